package dev.nanokit.manifest.text;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 decoding of a text file (manifest text, config.json): invalid bytes are an error at
 * the line and column where they start, never a U+FFFD that turns a file name into another one.
 * Each reader words the error in its own exception. Stateless.
 */
public final class StrictUtf8 {
  private StrictUtf8() {}

  /**
   * Where the bytes stop being UTF-8.
   *
   * @param line 1-based line of the first bad byte
   * @param column 1-based column in Unicode characters
   * @param byteOffset offset of the first bad byte
   * @param badByte its value, 0–255
   * @param truncated whether the input ends inside a sequence that began well
   */
  public record Malformed(int line, int column, int byteOffset, int badByte, boolean truncated) {}

  /** Thrown with where the input stops being UTF-8. */
  public static final class MalformedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Malformed where;

    MalformedException(Malformed where) {
      super("invalid UTF-8 at line " + where.line() + ", column " + where.column(), null, false, false);
      this.where = where;
    }

    public Malformed where() {
      return where;
    }
  }

  /** The text of {@code utf8}. */
  public static String decode(byte[] utf8) throws MalformedException {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(utf8);
    // UTF-8 never needs more UTF-16 units than bytes.
    CharBuffer out = CharBuffer.allocate(utf8.length);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    out.flip();
    if (!result.isError()) {
      return out.toString();
    }
    int line = 1;
    int column = 1;
    for (int i = 0; i < out.limit(); i++) {
      if (out.get(i) == '\n') {
        line++;
        column = 1;
      } else if (!Character.isLowSurrogate(out.get(i))) {
        column++;
      }
    }
    int at = in.position();
    int bad = utf8[at] & 0xff;
    boolean truncated = at + result.length() >= utf8.length && bad >= 0xC0;
    throw new MalformedException(new Malformed(line, column, at, bad, truncated));
  }
}
