package dev.nanokit.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Equality, copying and rendering on graphs with sharing and cycles, as a hostile log can build them. */
class ValueGraphTest {

  @Test
  void cyclicGraphsOfTheSameShapeAreEqual() {
    Tuple a = Tuple.empty().put("n", "1");
    a.put("self", a);
    Tuple b = Tuple.empty().put("n", "1");
    b.put("self", b);
    assertThat(ValueGraph.equal(a, b)).isTrue();
    Tuple c = Tuple.empty().put("n", "2");
    c.put("self", c);
    assertThat(ValueGraph.equal(a, c)).isFalse();
    VectorValue va = VectorValue.of(StringValue.of("x"));
    va.add(va);
    VectorValue vb = VectorValue.of(StringValue.of("x"));
    vb.add(vb);
    assertThat(ValueGraph.equal(va, vb)).isTrue();
    VectorValue vc = VectorValue.of(StringValue.of("y"));
    vc.add(vc);
    assertThat(ValueGraph.equal(va, vc)).isFalse();
  }

  @Test
  void valuesOfDifferentKindsOrContentsDiffer() {
    assertThat(ValueGraph.equal(Tuple.empty(), VectorValue.of())).isFalse();
    assertThat(ValueGraph.equal(VectorValue.of(), Tuple.empty())).isFalse();
    assertThat(ValueGraph.equal(StringValue.of("1"), IntegerValue.of(1))).isFalse();
    assertThat(ValueGraph.equal(StringValue.of("1"), StringValue.of("1"))).isTrue();
    assertThat(ValueGraph.equal(Tuple.empty().put("a", "1"), Tuple.empty().put("b", "1"))).isFalse();
    // A later element differing after an earlier equal one still counts.
    assertThat(ValueGraph.equal(
        VectorValue.of(StringValue.of("a"), StringValue.of("b")),
        VectorValue.of(StringValue.of("a"), StringValue.of("c")))).isFalse();
    assertThat(ValueGraph.equal(
        Tuple.empty().put("a", "1").put("b", "2"),
        Tuple.empty().put("a", "1").put("b", "3"))).isFalse();
  }

  @Test
  void aSharedChildComparedTwiceAgainstDifferentPartnersIsCheckedEachTime() {
    Tuple shared = Tuple.empty().put("k", "v");
    Tuple a = Tuple.empty().put("x", shared).put("y", shared);
    Tuple b = Tuple.empty().put("x", Tuple.empty().put("k", "v")).put("y", Tuple.empty().put("k", "w"));
    assertThat(ValueGraph.equal(a, b)).isFalse();
    VectorValue sv = VectorValue.of(StringValue.of("e"));
    VectorValue va = VectorValue.of(sv, sv);
    VectorValue vb = VectorValue.of(VectorValue.of(StringValue.of("e")), VectorValue.of(StringValue.of("f")));
    assertThat(ValueGraph.equal(va, vb)).isFalse();
  }

  @Test
  void deepCopyPreservesSharingAndCycles() {
    Tuple shared = Tuple.empty().put("k", "v");
    VectorValue vec = VectorValue.of(shared, StringValue.of("s"));
    Tuple root = Tuple.empty().put("a", shared).put("b", shared).put("v", vec);
    root.put("self", root);
    vec.add(vec);
    Tuple copy = (Tuple) ValueGraph.deepCopy(root);
    assertThat(copy).isNotSameAs(root);
    assertThat(copy.get("self")).isSameAs(copy);
    assertThat(copy.get("a")).isSameAs(copy.get("b")).isNotSameAs(shared).isEqualTo(shared);
    VectorValue vecCopy = (VectorValue) copy.get("v");
    assertThat(vecCopy).isNotSameAs(vec);
    assertThat(vecCopy.size()).isEqualTo(3);
    assertThat(vecCopy.get(0)).isSameAs(copy.get("a"));
    assertThat(vecCopy.get(1)).isEqualTo(StringValue.of("s"));
    assertThat(vecCopy.get(2)).isSameAs(vecCopy);
    assertThat(ValueGraph.equal(copy, root)).isTrue();
    StringValue s = StringValue.of("x");
    assertThat(ValueGraph.deepCopy(s)).isSameAs(s);
  }

  @Test
  void toStringMarksCyclesButRepeatsSharedValues() {
    Tuple shared = Tuple.empty().put("k", "v");
    Tuple root = Tuple.empty().put("a", shared).put("b", shared);
    root.put("self", root);
    VectorValue vec = VectorValue.of(StringValue.of("e"));
    vec.add(vec);
    root.put("v", vec);
    assertThat(ValueGraph.toString(root)).isEqualTo("(a:(k:\"v\") b:(k:\"v\") self:<cycle> v:[\"e\" <cycle>])");
    assertThat(ValueGraph.toString(IntegerValue.of(7))).isEqualTo("7");
  }

  @Test
  void toStringStopsPastTheLimit() {
    // Twenty levels of a tuple shared twice: 2^20 leaves if printed in full.
    Value v = StringValue.of("leaf");
    for (int i = 0; i < 20; i++) {
      v = Tuple.empty().put("l", v).put("r", v);
    }
    String s = ValueGraph.toString(v);
    assertThat(s).endsWith("…");
    assertThat(s.length()).isBetween(ValueGraph.TO_STRING_LIMIT + 1, ValueGraph.TO_STRING_LIMIT + 64);
    String small = ValueGraph.toString(Tuple.empty().put("a", "b"));
    assertThat(small).isEqualTo("(a:\"b\")");
  }
}
