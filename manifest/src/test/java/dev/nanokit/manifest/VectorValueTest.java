package dev.nanokit.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class VectorValueTest {

  @Test
  void setReplacesAnElementOrAppendsAtTheSize() {
    VectorValue v = VectorValue.of(StringValue.of("a"), StringValue.of("b"));
    assertThat(v.set(0, StringValue.of("A"))).isSameAs(v);
    v.set(2, StringValue.of("c"));
    assertThat(v.elements()).containsExactly(StringValue.of("A"), StringValue.of("b"), StringValue.of("c"));
    assertThat(v.size()).isEqualTo(3);
    assertThatThrownBy(() -> v.set(4, StringValue.of("x"))).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> v.set(0, null)).isInstanceOf(NullPointerException.class).hasMessage("value");
    assertThatThrownBy(() -> v.add(null)).isInstanceOf(NullPointerException.class).hasMessage("value");
  }

  @Test
  void ofStringsKeepsTheOrder() {
    assertThat(VectorValue.ofStrings(List.of("x", "y")).elements()).containsExactly(StringValue.of("x"), StringValue.of("y"));
  }

  @Test
  void theReadOnlyViewIsStableReadsThroughAndRefusesChanges() {
    Tuple t = Tuple.empty();
    VectorValue inner = VectorValue.of();
    VectorValue v = VectorValue.of(t, inner, StringValue.of("s"));
    VectorValue view = v.readOnlyView();
    assertThat(v.isReadOnly()).isFalse();
    assertThat(view.isReadOnly()).isTrue();
    assertThat(v.readOnlyView()).isSameAs(view);
    assertThat(view.readOnlyView()).isSameAs(view);
    assertThat(view.get(0)).isSameAs(t.readOnlyView());
    assertThat(view.get(1)).isSameAs(inner.readOnlyView());
    assertThat(view.get(2)).isEqualTo(StringValue.of("s"));
    assertThat(v.get(0)).isSameAs(t);
    assertThat(view.elements().get(0)).isSameAs(t.readOnlyView());
    assertThat(view.elements()).hasSize(3);
    v.add(StringValue.of("later"));
    assertThat(view.size()).isEqualTo(4);
    assertThat(view.elements()).hasSize(4);
    assertThatThrownBy(() -> view.add(StringValue.of("x")))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessage("a read-only view of a vector cannot be changed");
    assertThatThrownBy(() -> view.set(0, StringValue.of("x"))).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> view.elements().set(0, StringValue.of("x"))).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> v.elements().add(StringValue.of("x"))).isInstanceOf(UnsupportedOperationException.class);
    assertThat(v.get(0)).isSameAs(t);
  }

  @Test
  void equalityIsStructuralAndTheHashIsTheSize() {
    VectorValue a = VectorValue.of(StringValue.of("x"), Tuple.empty().put("k", "v"));
    VectorValue b = VectorValue.of(StringValue.of("x"), Tuple.empty().put("k", "v"));
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a.hashCode()).isEqualTo(2);
    assertThat(a).isNotEqualTo(VectorValue.of(StringValue.of("x")));
    assertThat(a).isNotEqualTo(VectorValue.of(StringValue.of("x"), Tuple.empty().put("k", "w")));
    assertThat(a).isNotEqualTo(Tuple.empty());
  }

  @Test
  void deepCopyIsIndependentAndToStringRendersElements() {
    VectorValue v = VectorValue.of(Tuple.empty().put("k", "v"), StringValue.of("s"));
    VectorValue copy = v.readOnlyView().deepCopy();
    assertThat(copy).isEqualTo(v);
    assertThat(copy.isReadOnly()).isFalse();
    ((Tuple) copy.get(0)).put("k", "w");
    assertThat(((Tuple) v.get(0)).get("k")).isEqualTo(StringValue.of("v"));
    assertThat(v.toString()).isEqualTo("[(k:\"v\") \"s\"]");
    assertThat(VectorValue.of().toString()).isEqualTo("[]");
  }
}
