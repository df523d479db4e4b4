package dev.nanokit.manifest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/** An ordered list of values (v5 type 2, tfs.md §4.3). Mutable for the same reason as {@link Tuple}. */
public final class VectorValue implements Value {
  private final ArrayList<Value> elements = new ArrayList<>();

  public VectorValue() {}

  public static VectorValue of(Value... values) {
    VectorValue v = new VectorValue();
    for (Value value : values) {
      v.add(value);
    }
    return v;
  }

  public static VectorValue ofStrings(List<String> values) {
    VectorValue v = new VectorValue();
    values.forEach(s -> v.add(StringValue.of(s)));
    return v;
  }

  public VectorValue add(Value value) {
    elements.add(Objects.requireNonNull(value, "value"));
    return this;
  }

  /** Sets element {@code index}; an index equal to the size appends. */
  public VectorValue set(int index, Value value) {
    Objects.requireNonNull(value, "value");
    if (index == elements.size()) {
      elements.add(value);
    } else {
      elements.set(index, value);
    }
    return this;
  }

  public Value get(int index) {
    return elements.get(index);
  }

  public int size() {
    return elements.size();
  }

  public List<Value> elements() {
    return Collections.unmodifiableList(elements);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VectorValue && ValueGraph.equal(this, (Value) o);
  }

  @Override
  public int hashCode() {
    return elements.size();
  }

  @Override
  public String toString() {
    return ValueGraph.toString(this);
  }
}
