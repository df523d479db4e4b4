package dev.nanokit.manifest.codec;

import dev.nanokit.manifest.TupleFormatException;

/**
 * Reads from a byte range that the caller bounded; every read checks what remains, so a length
 * taken from the input can never run past it.
 */
final class ByteCursor {
  private final byte[] buf;
  private final int start;
  private final int end;
  private int pos;

  ByteCursor(byte[] buf, int offset, int length) {
    if (offset < 0 || length < 0 || offset > buf.length - length) {
      throw new IndexOutOfBoundsException("range " + offset + "+" + length + " outside " + buf.length);
    }
    this.buf = buf;
    this.start = offset;
    this.end = offset + length;
    this.pos = offset;
  }

  /** Position relative to the start of the range. */
  int position() {
    return pos - start;
  }

  int remaining() {
    return end - pos;
  }

  int readByte() throws TupleFormatException {
    if (pos >= end) {
      throw new TupleFormatException("unexpected end of tuple data", position());
    }
    return buf[pos++] & 0xff;
  }

  byte[] readBytes(long n) throws TupleFormatException {
    if (n > remaining()) {
      throw new TupleFormatException("length " + n + " exceeds the " + remaining() + " bytes that remain", position());
    }
    byte[] out = new byte[(int) n];
    System.arraycopy(buf, pos, out, 0, (int) n);
    pos += (int) n;
    return out;
  }

  /**
   * The next {@code n} bytes as a string if they are all ASCII (what almost every name is), read
   * without an intermediate copy; null, and nothing read, if one is not.
   */
  String readName(long n) throws TupleFormatException {
    if (n > remaining()) {
      throw new TupleFormatException("length " + n + " exceeds the " + remaining() + " bytes that remain", position());
    }
    int len = (int) n;
    for (int i = pos; i < pos + len; i++) {
      if (buf[i] < 0) {
        return null;
      }
    }
    // ASCII bytes are their Latin-1 chars: the JDK copies them once, with no decoder.
    String s = new String(buf, pos, len, java.nio.charset.StandardCharsets.ISO_8859_1);
    pos += len;
    return s;
  }

  long readVarint() throws TupleFormatException {
    int at = position();
    long v = 0;
    for (int i = 0; i < Varint.MAX_LENGTH; i++) {
      int b = readByte();
      if ((v >>> 57) != 0) {
        throw new TupleFormatException("varint overflows 64 bits", at);
      }
      v = (v << 7) | (b & 0x7f);
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw new TupleFormatException("varint longer than " + Varint.MAX_LENGTH + " bytes", at);
  }
}
