package dev.nanokit.manifest;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A string value (v5 type 4, docs/formats/tfs.md, "4.3 Bodies"). Holds the bytes as they are on disk, which a hostile
 * image may make invalid UTF-8; {@link #text()} decodes them leniently.
 *
 * <p>Immutable and safe for use by any number of threads.
 */
public final class StringValue implements Value {
  private final byte[] bytes;

  private StringValue(byte[] bytes) {
    this.bytes = bytes;
  }

  public static StringValue of(String text) {
    return new StringValue(text.getBytes(StandardCharsets.UTF_8));
  }

  public static StringValue ofBytes(byte[] bytes) {
    return new StringValue(bytes.clone());
  }

  static StringValue wrap(byte[] bytes) {
    return new StringValue(bytes);
  }

  public String text() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  /** Number of bytes (not characters). */
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

  @Override
  public boolean equals(Object o) {
    return o instanceof StringValue s && Arrays.equals(bytes, s.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return '"' + text().replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
