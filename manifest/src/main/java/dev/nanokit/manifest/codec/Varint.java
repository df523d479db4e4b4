package dev.nanokit.manifest.codec;

import java.io.ByteArrayOutputStream;

/**
 * The TFS varint (docs/formats/tfs.md, "2 Varint"): 7-bit groups, most significant group first, continuation bit 0x80.
 * This is the opposite group order from LEB128.
 */
public final class Varint {
  /** A 64-bit value needs at most 10 groups. */
  public static final int MAX_LENGTH = 10;

  private Varint() {}

  /** Appends the minimal encoding of the unsigned value {@code value}. */
  public static void write(ByteArrayOutputStream out, long value) {
    int groups = Math.max(1, (64 - Long.numberOfLeadingZeros(value) + 6) / 7);
    for (int i = groups - 1; i >= 0; i--) {
      int group = (int) ((value >>> (7 * i)) & 0x7f);
      out.write(i > 0 ? group | 0x80 : group);
    }
  }

  /** The minimal encoding of {@code value}. */
  public static byte[] encode(long value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(MAX_LENGTH);
    write(out, value);
    return out.toByteArray();
  }

  /** Number of bytes {@link #write} produces for {@code value}. */
  public static int length(long value) {
    return Math.max(1, (64 - Long.numberOfLeadingZeros(value) + 6) / 7);
  }
}
