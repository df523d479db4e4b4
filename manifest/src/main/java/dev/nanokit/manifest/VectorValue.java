package dev.nanokit.manifest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * An ordered list of values (v5 type 2, docs/formats/tfs.md, "4.3 Bodies"). Mutable for the same reason as {@link Tuple},
 * with a {@link #readOnlyView()} in the same way.
 *
 * <p>Not thread-safe while it is changed; its read-only view is safe once nobody changes it.
 */
public final class VectorValue implements Value {
  private final ArrayList<Value> elements;
  private final boolean readOnly;
  private VectorValue view;

  public VectorValue() {
    this(new ArrayList<>(), false);
  }

  private VectorValue(ArrayList<Value> elements, boolean readOnly) {
    this.elements = elements;
    this.readOnly = readOnly;
  }

  /** The read-only view of this vector (itself if it is one); the same object every time. */
  public synchronized VectorValue readOnlyView() {
    if (readOnly) {
      return this;
    }
    if (view == null) {
      view = new VectorValue(elements, true);
    }
    return view;
  }

  public boolean isReadOnly() {
    return readOnly;
  }

  private void checkWritable() {
    if (readOnly) {
      throw new UnsupportedOperationException("a read-only view of a vector cannot be changed");
    }
  }

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
    checkWritable();
    elements.add(Objects.requireNonNull(value, "value"));
    return this;
  }

  /** Sets element {@code index}; an index equal to the size appends. */
  public VectorValue set(int index, Value value) {
    Objects.requireNonNull(value, "value");
    checkWritable();
    if (index == elements.size()) {
      elements.add(value);
    } else {
      elements.set(index, value);
    }
    return this;
  }

  public Value get(int index) {
    Value v = elements.get(index);
    return readOnly ? Tuple.viewOf(v) : v;
  }

  public int size() {
    return elements.size();
  }

  /** The elements, read-only and live; through a view, the tuples and vectors in it are views too. */
  public List<Value> elements() {
    if (!readOnly) {
      return Collections.unmodifiableList(elements);
    }
    // Mapped lazily, never copied (see Tuple#entries).
    return new java.util.AbstractList<>() {
      @Override
      public Value get(int index) {
        return Tuple.viewOf(elements.get(index));
      }

      @Override
      public int size() {
        return elements.size();
      }
    };
  }

  /** A deep, mutable copy that preserves sharing and cycles inside this vector. */
  public VectorValue deepCopy() {
    return (VectorValue) ValueGraph.deepCopy(this);
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
