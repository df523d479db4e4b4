package dev.nanokit.manifest;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A tuple: an insertion-ordered map from attribute name to {@link Value} (docs/formats/tfs.md, "4.3 Bodies", "5.5 Update semantics (replay)").
 *
 * <p>Mutable and owned by whoever built or decoded it: a TFS log updates tuples that earlier
 * records created, so identity matters (the encoder numbers objects by identity, docs/formats/tfs.md, "5.2 Writer rules").
 * Equality is structural and safe on the cyclic graphs a hostile log can build.
 *
 * <p>Not thread-safe while it is changed. A {@link #readOnlyView()} is what a reader hands out: it
 * reads through to the tuple, every tuple and vector reached through it is a view too, and every
 * mutator throws {@link UnsupportedOperationException}; a view of a tuple nobody changes any more is
 * safe for any number of threads.
 */
public final class Tuple implements Value {
  private final LinkedHashMap<String, Value> entries;
  private final boolean readOnly;
  private Tuple view; // the one read-only view, so that its identity is stable

  public Tuple() {
    this(new LinkedHashMap<>(), false);
  }

  private Tuple(LinkedHashMap<String, Value> entries, boolean readOnly) {
    this.entries = entries;
    this.readOnly = readOnly;
  }

  /** The read-only view of this tuple (itself if it is one); the same object every time. */
  public synchronized Tuple readOnlyView() {
    if (readOnly) {
      return this;
    }
    if (view == null) {
      view = new Tuple(entries, true);
    }
    return view;
  }

  /** Whether this is a read-only view. */
  public boolean isReadOnly() {
    return readOnly;
  }

  /** {@code v}, or its read-only view when it is a tuple or vector. */
  static Value viewOf(Value v) {
    if (v == null) {
      return null;
    }
    if (v instanceof Tuple t) {
      return t.readOnlyView();
    }
    if (v instanceof VectorValue w) {
      return w.readOnlyView();
    }
    return v;
  }

  private void checkWritable() {
    if (readOnly) {
      throw new UnsupportedOperationException("a read-only view of a tuple cannot be changed");
    }
  }

  /**
   * An empty tuple with room for {@code expectedSize} entries before its table grows: what a decoder
   * that has read an entry count makes (a default table is 16 slots; most tuples of a TFS log hold
   * two or three entries).
   */
  public static Tuple withExpectedSize(int expectedSize) {
    if (expectedSize < 0) {
      throw new IllegalArgumentException("negative expected size: " + expectedSize);
    }
    // The capacity whose table holds expectedSize entries at the load factor of 3/4 (in integers:
    // Math.ceil is StrictMath's Java code under the CLI's C1 JIT, and cost more than the map).
    return new Tuple(new LinkedHashMap<>((int) (((long) expectedSize * 4 + 2) / 3)), false);
  }

  public static Tuple empty() {
    return new Tuple();
  }

  /** Sets {@code name} to {@code value} (replacing keeps the name's original position) and returns this. */
  public Tuple put(String name, Value value) {
    checkWritable();
    entries.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
    return this;
  }

  /** Convenience for string values. */
  public Tuple put(String name, String value) {
    return put(name, StringValue.of(value));
  }

  public Value get(String name) {
    Value v = entries.get(name);
    return readOnly ? viewOf(v) : v;
  }

  public boolean contains(String name) {
    return entries.containsKey(name);
  }

  /** Removes {@code name}; returns the value it had, or null. */
  public Value remove(String name) {
    checkWritable();
    return entries.remove(name);
  }

  public int size() {
    return entries.size();
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /** A read-only live view of the entries in insertion order; through a view, the values are views too. */
  public Map<String, Value> entries() {
    if (!readOnly) {
      return Collections.unmodifiableMap(entries);
    }
    // Mapped lazily, never copied: a reader walks large and shared value graphs through views.
    return new java.util.AbstractMap<>() {
      @Override
      public Set<Map.Entry<String, Value>> entrySet() {
        return new java.util.AbstractSet<>() {
          @Override
          public java.util.Iterator<Map.Entry<String, Value>> iterator() {
            java.util.Iterator<Map.Entry<String, Value>> it = entries.entrySet().iterator();
            return new java.util.Iterator<>() {
              @Override
              public boolean hasNext() {
                return it.hasNext();
              }

              @Override
              public Map.Entry<String, Value> next() {
                Map.Entry<String, Value> e = it.next();
                return new java.util.AbstractMap.SimpleImmutableEntry<>(e.getKey(), viewOf(e.getValue()));
              }
            };
          }

          @Override
          public int size() {
            return entries.size();
          }
        };
      }

      @Override
      public Value get(Object key) {
        return viewOf(entries.get(key));
      }

      @Override
      public boolean containsKey(Object key) {
        return entries.containsKey(key);
      }

      @Override
      public int size() {
        return entries.size();
      }
    };
  }

  public Set<String> names() {
    return Collections.unmodifiableSet(entries.keySet());
  }

  /** The value of {@code name} if it is a tuple, else null. */
  public Tuple getTuple(String name) {
    return get(name) instanceof Tuple t ? t : null;
  }

  /** A deep, mutable copy that preserves sharing and cycles inside this tuple. */
  public Tuple deepCopy() {
    return (Tuple) ValueGraph.deepCopy(this);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tuple && ValueGraph.equal(this, (Value) o);
  }

  /** Hashes the names only: equal tuples have equal names, and values may be cyclic. */
  @Override
  public int hashCode() {
    return entries.keySet().hashCode();
  }

  @Override
  public String toString() {
    return ValueGraph.toString(this);
  }
}
