package dev.nanokit.manifest;

import java.util.Arrays;

/**
 * An untyped byte buffer (type 0 used as a value, docs/formats/tfs.md, "4.3 Bodies"). The only one writers should produce
 * in v5 is {@link #NULL_FLAG} ({@code 81 00}), the kernel's presence-only flag value.
 *
 * <p>Immutable and safe for use by any number of threads.
 */
public final class BufferValue implements Value {
  /** The kernel's null flag value, one zero byte; used for flags such as {@code uninited}. */
  public static final BufferValue NULL_FLAG = new BufferValue(new byte[] {0});

  private final byte[] bytes;

  private BufferValue(byte[] bytes) {
    this.bytes = bytes;
  }

  /** A buffer with these bytes; an empty buffer cannot be a value, it encodes a deletion. */
  public static BufferValue of(byte[] bytes) {
    if (bytes.length == 0) {
      throw new IllegalArgumentException("an empty buffer is the deletion marker, not a value");
    }
    if (bytes.length == 1 && bytes[0] == 0) {
      return NULL_FLAG;
    }
    return new BufferValue(bytes.clone());
  }

  static BufferValue wrap(byte[] bytes) {
    return bytes.length == 1 && bytes[0] == 0 ? NULL_FLAG : new BufferValue(bytes);
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  /** Number of bytes. */
  public int length() {
    return bytes.length;
  }

  /** Writes the bytes without handing out the array. */
  public void writeTo(java.io.ByteArrayOutputStream out) {
    out.write(bytes, 0, bytes.length);
  }

  byte[] rawBytes() {
    return bytes;
  }

  public boolean isNullFlag() {
    return bytes.length == 1 && bytes[0] == 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BufferValue b && Arrays.equals(bytes, b.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    if (isNullFlag()) {
      return "<flag>";
    }
    StringBuilder sb = new StringBuilder("<buffer");
    for (byte b : bytes) {
      sb.append(' ').append(String.format("%02x", b & 0xff));
    }
    return sb.append('>').toString();
  }
}
