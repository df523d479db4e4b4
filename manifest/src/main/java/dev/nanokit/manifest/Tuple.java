package dev.nanokit.manifest;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A tuple: an insertion-ordered map from attribute name to {@link Value} (tfs.md §4.3, §5.5).
 *
 * <p>Mutable and owned by whoever built or decoded it: a TFS log updates tuples that earlier
 * records created, so identity matters (the encoder numbers objects by identity, tfs.md §5.2).
 * Equality is structural and safe on the cyclic graphs a hostile log can build.
 */
public final class Tuple implements Value {
  private final LinkedHashMap<String, Value> entries = new LinkedHashMap<>();

  public Tuple() {}

  public static Tuple empty() {
    return new Tuple();
  }

  /** Sets {@code name} to {@code value} (replacing keeps the name's original position) and returns this. */
  public Tuple put(String name, Value value) {
    entries.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
    return this;
  }

  /** Convenience for string values. */
  public Tuple put(String name, String value) {
    return put(name, StringValue.of(value));
  }

  public Value get(String name) {
    return entries.get(name);
  }

  public boolean contains(String name) {
    return entries.containsKey(name);
  }

  /** Removes {@code name}; returns the value it had, or null. */
  public Value remove(String name) {
    return entries.remove(name);
  }

  public int size() {
    return entries.size();
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /** A read-only live view of the entries in insertion order. */
  public Map<String, Value> entries() {
    return Collections.unmodifiableMap(entries);
  }

  public Set<String> names() {
    return Collections.unmodifiableSet(entries.keySet());
  }

  /** The value of {@code name} if it is a tuple, else null. */
  public Tuple getTuple(String name) {
    return entries.get(name) instanceof Tuple t ? t : null;
  }

  /** A deep copy that preserves sharing and cycles inside this tuple. */
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
