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
  /** Up to this many entries live in two arrays searched in order; more, in a hash map. */
  private static final int ARRAY_LIMIT = 8;
  private static final String[] NO_NAMES = {};
  private static final Value[] NO_VALUES = {};

  // Most tuples of a TFS log hold two or three entries (a file, its extents, one extent): two small
  // arrays take a third of the memory of a LinkedHashMap, its table and an entry object per name,
  // and a 50,000-file volume has 150,000 such tuples. A tuple that grows past ARRAY_LIMIT moves its
  // entries, in order, to a LinkedHashMap for good (a directory's children).
  private String[] names;
  private Value[] values;
  private int size;
  private LinkedHashMap<String, Value> map;
  private int modCount;

  /** The tuple whose entries this one holds or shows: itself, or for a read-only view, the tuple viewed. */
  private final Tuple source;
  private final boolean readOnly;
  private Tuple view; // the one read-only view, so that its identity is stable

  public Tuple() {
    this(0);
  }

  private Tuple(int expectedSize) {
    this.source = this;
    this.readOnly = false;
    if (expectedSize > ARRAY_LIMIT) {
      map = new LinkedHashMap<>((int) (((long) expectedSize * 4 + 2) / 3));
      names = NO_NAMES;
      values = NO_VALUES;
    } else {
      names = expectedSize == 0 ? NO_NAMES : new String[expectedSize];
      values = expectedSize == 0 ? NO_VALUES : new Value[expectedSize];
    }
  }

  private Tuple(Tuple source) {
    this.source = source;
    this.readOnly = true;
  }

  /** The read-only view of this tuple (itself if it is one); the same object every time. */
  public synchronized Tuple readOnlyView() {
    if (readOnly) {
      return this;
    }
    if (view == null) {
      view = new Tuple(this);
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
   * An empty tuple with room for {@code expectedSize} entries before it grows: what a decoder that
   * has read an entry count makes.
   */
  public static Tuple withExpectedSize(int expectedSize) {
    if (expectedSize < 0) {
      throw new IllegalArgumentException("negative expected size: " + expectedSize);
    }
    return new Tuple(expectedSize);
  }

  public static Tuple empty() {
    return new Tuple();
  }

  /** Sets {@code name} to {@code value} (replacing keeps the name's original position) and returns this. */
  public Tuple put(String name, Value value) {
    checkWritable();
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    if (map != null) {
      if (map.put(name, value) == null) {
        modCount++;
      }
      return this;
    }
    int i = indexOf(name);
    if (i >= 0) {
      values[i] = value;
      return this;
    }
    modCount++;
    if (size == ARRAY_LIMIT) {
      map = new LinkedHashMap<>(32);
      for (int k = 0; k < size; k++) {
        map.put(names[k], values[k]);
      }
      map.put(name, value);
      names = NO_NAMES;
      values = NO_VALUES;
      size = 0;
      return this;
    }
    if (size == names.length) {
      int capacity = Math.min(ARRAY_LIMIT, Math.max(2, size * 2));
      names = java.util.Arrays.copyOf(names, capacity);
      values = java.util.Arrays.copyOf(values, capacity);
    }
    names[size] = name;
    values[size++] = value;
    return this;
  }

  /** Convenience for string values. */
  public Tuple put(String name, String value) {
    return put(name, StringValue.of(value));
  }

  public Value get(String name) {
    Value v = source.rawGet(name);
    return readOnly ? viewOf(v) : v;
  }

  private Value rawGet(Object name) {
    if (map != null) {
      return map.get(name);
    }
    int i = indexOf(name);
    return i < 0 ? null : values[i];
  }

  private int indexOf(Object name) {
    for (int i = 0; i < size; i++) {
      if (names[i] == name) {
        return i;
      }
    }
    if (name != null) {
      for (int i = 0; i < size; i++) {
        if (names[i].equals(name)) {
          return i;
        }
      }
    }
    return -1;
  }

  public boolean contains(String name) {
    Tuple t = source;
    return t.map != null ? t.map.containsKey(name) : t.indexOf(name) >= 0;
  }

  /** Removes {@code name}; returns the value it had, or null. */
  public Value remove(String name) {
    checkWritable();
    if (map != null) {
      Value old = map.remove(name);
      if (old != null) {
        modCount++;
      }
      return old;
    }
    int i = indexOf(name);
    if (i < 0) {
      return null;
    }
    Value old = values[i];
    System.arraycopy(names, i + 1, names, i, size - i - 1);
    System.arraycopy(values, i + 1, values, i, size - i - 1);
    size--;
    names[size] = null;
    values[size] = null;
    modCount++;
    return old;
  }

  public int size() {
    Tuple t = source;
    return t.map != null ? t.map.size() : t.size;
  }

  public boolean isEmpty() {
    return size() == 0;
  }

  /** A read-only live view of the entries in insertion order; through a view, the values are views too. */
  public Map<String, Value> entries() {
    // Mapped lazily, never copied: a reader walks large and shared value graphs through views.
    return new EntryMap(source, readOnly);
  }

  public Set<String> names() {
    return Collections.unmodifiableSet(entries().keySet());
  }

  /** The entries of {@code tuple} as an unmodifiable map, read live, values mapped to views if asked. */
  private static final class EntryMap extends java.util.AbstractMap<String, Value> {
    private final Tuple tuple;
    private final boolean views;

    EntryMap(Tuple tuple, boolean views) {
      this.tuple = tuple;
      this.views = views;
    }

    @Override
    public Set<Map.Entry<String, Value>> entrySet() {
      return new java.util.AbstractSet<>() {
        @Override
        public java.util.Iterator<Map.Entry<String, Value>> iterator() {
          if (tuple.map != null) {
            java.util.Iterator<Map.Entry<String, Value>> it = tuple.map.entrySet().iterator();
            return new java.util.Iterator<>() {
              @Override
              public boolean hasNext() {
                return it.hasNext();
              }

              @Override
              public Map.Entry<String, Value> next() {
                Map.Entry<String, Value> e = it.next();
                return new java.util.AbstractMap.SimpleImmutableEntry<>(e.getKey(),
                    views ? viewOf(e.getValue()) : e.getValue());
              }
            };
          }
          return new java.util.Iterator<>() {
            private int next;
            private final int expectedModCount = tuple.modCount;

            @Override
            public boolean hasNext() {
              return next < tuple.size && tuple.map == null;
            }

            @Override
            public Map.Entry<String, Value> next() {
              if (tuple.modCount != expectedModCount) {
                throw new java.util.ConcurrentModificationException();
              }
              if (!hasNext()) {
                throw new java.util.NoSuchElementException();
              }
              Value v = tuple.values[next];
              return new java.util.AbstractMap.SimpleImmutableEntry<>(tuple.names[next++], views ? viewOf(v) : v);
            }
          };
        }

        @Override
        public int size() {
          return tuple.size();
        }
      };
    }

    @Override
    public Value get(Object key) {
      Value v = tuple.rawGet(key);
      return views ? viewOf(v) : v;
    }

    @Override
    public boolean containsKey(Object key) {
      return tuple.map != null ? tuple.map.containsKey(key) : tuple.indexOf(key) >= 0;
    }

    @Override
    public int size() {
      return tuple.size();
    }
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
    return names().hashCode();
  }

  @Override
  public String toString() {
    return ValueGraph.toString(this);
  }
}
