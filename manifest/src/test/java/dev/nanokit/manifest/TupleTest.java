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

  /** Small tuples keep their entries in arrays, larger ones in a map: the two behave as one. */
  @Test
  void orderReplacementRemovalAndViewsHoldOnBothSidesOfTheSmallTupleLimit() {
    for (int n : new int[] {1, 7, 8, 9, 30}) {
      Tuple t = Tuple.withExpectedSize(n % 2 == 0 ? n : 0);
      Tuple view = t.readOnlyView();
      List<String> want = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        t.put("k" + i, Integer.toString(i));
        want.add("k" + i);
      }
      assertThat(t.names()).as("n=%d", n).containsExactlyElementsOf(want);
      assertThat(view.names()).containsExactlyElementsOf(want);
      assertThat(view.size()).isEqualTo(n);
      t.put("k0", "again"); // replacing keeps the first position
      assertThat(t.names()).containsExactlyElementsOf(want);
      assertThat(view.get("k0")).isEqualTo(StringValue.of("again"));
      assertThat(t.remove("k0")).isEqualTo(StringValue.of("again"));
      want.remove("k0");
      assertThat(t.names()).containsExactlyElementsOf(want);
      assertThat(t.contains("k0")).isFalse();
      assertThat(view.contains("k0")).isFalse();
      assertThat(t.get("k0")).isNull();
      assertThat(t.remove("k0")).isNull();
      t.put("k0", "back"); // a name put again goes last
      want.add("k0");
      assertThat(view.entries().keySet()).containsExactlyElementsOf(want);
      assertThat(view.entries().get("k0")).isEqualTo(StringValue.of("back"));
      assertThat(view.entries().containsKey("k0")).isTrue();
      // Equal to the same entries built one at a time from empty, whichever form each holds them in.
      Tuple same = Tuple.empty();
      for (String name : want) {
        same.put(name, t.get(name));
      }
      assertThat(same).isEqualTo(t).hasSameHashCodeAs(t);
    }
  }

  @Test
  void aTupleChangedWhileItsEntriesAreIteratedFailsFast() {
    for (int n : new int[] {3, 12}) {
      Tuple t = Tuple.empty();
      for (int i = 0; i < n; i++) {
        t.put("k" + i, "v");
      }
      java.util.Iterator<Map.Entry<String, Value>> it = t.entries().entrySet().iterator();
      it.next();
      t.put("new", "v");
      assertThatThrownBy(it::next).as("n=%d", n).isInstanceOf(java.util.ConcurrentModificationException.class);
      java.util.Iterator<Map.Entry<String, Value>> done = Tuple.empty().put("a", "1").entries().entrySet().iterator();
      done.next();
      assertThat(done.hasNext()).isFalse();
      assertThatThrownBy(done::next).isInstanceOf(java.util.NoSuchElementException.class);
      assertThatThrownBy(() -> t.entries().put("x", StringValue.of("y"))).isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> t.names().remove("k1")).isInstanceOf(UnsupportedOperationException.class);
    }
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
