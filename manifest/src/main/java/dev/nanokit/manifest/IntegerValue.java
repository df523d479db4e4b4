package dev.nanokit.manifest;

/**
 * A signed 64-bit integer value (v5 type 3, docs/formats/tfs.md, "4.3 Bodies"). The kernel and mkfs write file metadata
 * this way; manifests never produce integers.
 *
 * <p>Immutable and safe for use by any number of threads.
 */
public record IntegerValue(long value) implements Value {
  public static IntegerValue of(long value) {
    return new IntegerValue(value);
  }

  @Override
  public String toString() {
    return Long.toString(value);
  }
}
