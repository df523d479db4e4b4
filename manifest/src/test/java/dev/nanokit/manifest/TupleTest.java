package dev.nanokit.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TupleTest {

  @Test
  void putKeepsTheFirstPositionOfANameAndReturnsTheTuple() {
    Tuple t = Tuple.empty();
    assertThat(t.put("a", "1")).isSameAs(t);
    t.put("b", "2").put("a", "3");
    assertThat(t.names()).containsExactly("a", "b");
    assertThat(t.get("a")).isEqualTo(StringValue.of("3"));
    assertThat(t.size()).isEqualTo(2);
    assertThat(t.isEmpty()).isFalse();
    assertThat(Tuple.empty().isEmpty()).isTrue();
    assertThat(t.contains("b")).isTrue();
    assertThat(t.contains("c")).isFalse();
    assertThat(t.remove("b")).isEqualTo(StringValue.of("2"));
    assertThat(t.remove("b")).isNull();
    assertThat(t.names()).containsExactly("a");
  }

  @Test
  void aTupleMadeWithAnExpectedSizeIsAnEmptyTupleThatGrowsPastIt() {
    Tuple t = Tuple.withExpectedSize(2);
    assertThat(t.isEmpty()).isTrue();
    assertThat(t.isReadOnly()).isFalse();
    assertThat(t).isEqualTo(Tuple.empty());
    for (int i = 0; i < 40; i++) {
      t.put("n" + i, Integer.toString(i));
    }
    assertThat(t.size()).isEqualTo(40);
    assertThat(t.names()).startsWith("n0", "n1", "n2").endsWith("n39");
    assertThat(Tuple.withExpectedSize(0).put("a", "1").names()).containsExactly("a");
    assertThatThrownBy(() -> Tuple.withExpectedSize(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("negative expected size: -1");
  }

  @Test
  void nullNamesAndValuesAreRefused() {
    assertThatThrownBy(() -> Tuple.empty().put(null, "x")).isInstanceOf(NullPointerException.class).hasMessage("name");
    assertThatThrownBy(() -> Tuple.empty().put("x", (Value) null))
        .isInstanceOf(NullPointerException.class).hasMessage("value");
  }

  @Test
  void getTupleReturnsOnlyTuples() {
    Tuple child = Tuple.empty();
    Tuple t = Tuple.empty().put("c", child).put("s", "x");
    assertThat(t.getTuple("c")).isSameAs(child);
    assertThat(t.getTuple("s")).isNull();
    assertThat(t.getTuple("missing")).isNull();
  }

  @Test
  void theReadOnlyViewIsOneStableObjectThatReadsThroughAndRefusesChanges() {
    Tuple child = Tuple.empty().put("x", "1");
    VectorValue vec = VectorValue.of(Tuple.empty());
    Tuple t = Tuple.empty().put("child", child).put("vec", vec).put("s", "v");
    Tuple view = t.readOnlyView();
    assertThat(t.isReadOnly()).isFalse();
    assertThat(view.isReadOnly()).isTrue();
    assertThat(t.readOnlyView()).isSameAs(view);
    assertThat(view.readOnlyView()).isSameAs(view);

    assertThat(view.get("child")).isSameAs(child.readOnlyView());
    assertThat(view.get("vec")).isSameAs(vec.readOnlyView());
    assertThat(view.get("s")).isEqualTo(StringValue.of("v"));
    assertThat(view.get("missing")).isNull();
    assertThat(view.getTuple("child").isReadOnly()).isTrue();

    t.put("later", "2");
    assertThat(view.names()).containsExactly("child", "vec", "s", "later");
    assertThat(view.size()).isEqualTo(4);
    assertThat(view).isEqualTo(t);

    assertThatThrownBy(() -> view.put("y", "z"))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessage("a read-only view of a tuple cannot be changed");
    assertThatThrownBy(() -> view.remove("s")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> ((Tuple) view.get("child")).put("y", "z")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> ((VectorValue) view.get("vec")).add(Tuple.empty()))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(child.names()).containsExactly("x");
  }

  @Test
  void entriesOfAViewMapValuesToViewsInOrder() {
    Tuple child = Tuple.empty();
    Tuple t = Tuple.empty().put("a", child).put("b", "s");
    Map<String, Value> entries = t.readOnlyView().entries();
    assertThat(entries.size()).isEqualTo(2);
    assertThat(entries.containsKey("a")).isTrue();
    assertThat(entries.containsKey("z")).isFalse();
    assertThat(entries.get("a")).isSameAs(child.readOnlyView());
    assertThat(entries.get("z")).isNull();
    List<String> seen = new ArrayList<>();
    for (Map.Entry<String, Value> e : entries.entrySet()) {
      seen.add(e.getKey() + "=" + (e.getValue() instanceof Tuple tt ? "view:" + tt.isReadOnly() : e.getValue()));
    }
    assertThat(seen).containsExactly("a=view:true", "b=\"s\"");
    assertThat(entries.entrySet()).hasSize(2);
    assertThatThrownBy(() -> entries.put("c", child)).isInstanceOf(UnsupportedOperationException.class);
    // A mutable tuple hands out its own values, unmodifiably.
    assertThat(t.entries().get("a")).isSameAs(child);
    assertThatThrownBy(() -> t.entries().remove("a")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> t.names().remove("a")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void viewOfLeavesScalarsAndNullAlone() {
    StringValue s = StringValue.of("x");
    assertThat(Tuple.viewOf(s)).isSameAs(s);
    assertThat(Tuple.viewOf(null)).isNull();
  }

  @Test
  void equalityIsStructuralAndTheHashFollowsTheNames() {
    Tuple a = Tuple.empty().put("x", "1").put("y", Tuple.empty().put("z", IntegerValue.of(3)));
    Tuple b = Tuple.empty().put("x", "1").put("y", Tuple.empty().put("z", IntegerValue.of(3)));
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a.hashCode()).isEqualTo(java.util.Set.of("x", "y").hashCode());
    assertThat(a).isNotEqualTo(Tuple.empty().put("x", "1").put("y", Tuple.empty().put("z", IntegerValue.of(4))));
    assertThat(a).isNotEqualTo(Tuple.empty().put("x", "1"));
    assertThat(a).isNotEqualTo(VectorValue.of(StringValue.of("1")));
    assertThat(a.equals("x")).isFalse();
  }

  @Test
  void deepCopyIsMutableAndIndependent() {
    Tuple inner = Tuple.empty().put("k", "v");
    Tuple t = Tuple.empty().put("inner", inner);
    Tuple copy = t.readOnlyView().deepCopy();
    assertThat(copy).isEqualTo(t);
    assertThat(copy.isReadOnly()).isFalse();
    copy.getTuple("inner").put("k", "changed");
    assertThat(inner.get("k")).isEqualTo(StringValue.of("v"));
  }

  @Test
  void toStringRendersLikeAManifest() {
    Tuple t = Tuple.empty().put("a", "x").put("b", Tuple.empty()).put("c", VectorValue.of(StringValue.of("1"), IntegerValue.of(2)));
    assertThat(t.toString()).isEqualTo("(a:\"x\" b:() c:[\"1\" 2])");
  }
}
