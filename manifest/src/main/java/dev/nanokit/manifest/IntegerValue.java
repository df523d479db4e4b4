package dev.nanokit.manifest;

/**
 * A signed 64-bit integer value (v5 type 3, docs/formats/tfs.md, "4.3 Bodies"). The kernel and mkfs write file metadata
 * this way; manifests never produce integers.
 *
 * <p>Immutable and safe for use by any number of threads.
 */
public record IntegerValue(long value) implements Value {
  /** 0 to 1023: block counts, lengths of small files; a 50,000-file log holds 100,000 of them. */
  private static final IntegerValue[] SMALL = new IntegerValue[1024];

  static {
    for (int i = 0; i < SMALL.length; i++) {
      SMALL[i] = new IntegerValue(i);
    }
  }

  /** The value {@code value}; small ones are shared (a record: equality, not identity, is what counts). */
  public static IntegerValue of(long value) {
    return value >= 0 && value < SMALL.length ? SMALL[(int) value] : new IntegerValue(value);
  }

  @Override
  public String toString() {
    return Long.toString(value);
  }
}
