package dev.nanokit.manifest;

/**
 * Character-by-character reading of manifest text with 1-based line/column tracking
 * (docs/formats/manifest.md, "1.2 Characters"). Nanos works on Unicode characters, so the cursor steps over code points, not
 * UTF-16 units, and columns count characters.
 */
final class ManifestCursor {
  static final int EOF = -1;

  private final String text;
  private final String fileName;
  private int index;
  private int line = 1;
  private int column = 1;

  ManifestCursor(String text, String fileName) {
    this.text = text;
    this.fileName = fileName;
  }

  /** The current character, or {@link #EOF}. */
  int peek() throws ManifestSyntaxException {
    if (index >= text.length()) {
      return EOF;
    }
    char c = text.charAt(index);
    if (!Character.isSurrogate(c)) {
      return c;
    }
    // A Java string can hold half a surrogate pair; UTF-8 text cannot, so it is not a character.
    if (Character.isHighSurrogate(c) && index + 1 < text.length()
        && Character.isLowSurrogate(text.charAt(index + 1))) {
      return Character.toCodePoint(c, text.charAt(index + 1));
    }
    throw errorHere("invalid character: unpaired UTF-16 surrogate");
  }

  /** Moves past the current character, which {@link #peek()} has already validated. */
  void advance() {
    int c = text.codePointAt(index);
    index += Character.charCount(c);
    if (c == '\n') {
      line++;
      column = 1;
    } else {
      column++;
    }
  }

  static boolean isWhitespace(int c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  /**
   * Skips whitespace and comments. Only called where Nanos runs its {@code eat_whitespace} state
   * ("1.4 Where whitespace/comments are skipped"), which is the only place a {@code #} starts a comment.
   */
  void skipBlank() throws ManifestSyntaxException {
    while (true) {
      int c = peek();
      if (c == '#') {
        do {
          advance();
          c = peek();
        } while (c != '\n' && c != EOF);
      }
      if (!isWhitespace(c)) {
        return;
      }
      advance();
    }
  }

  /** The current position packed for {@link #error(long, String)}: line in the high half. */
  long mark() {
    return ((long) line << 32) | column;
  }

  ManifestSyntaxException error(long mark, String reason) {
    return new ManifestSyntaxException(fileName, (int) (mark >>> 32), (int) mark, reason);
  }

  ManifestSyntaxException errorHere(String reason) {
    return error(mark(), reason);
  }

  /** Renders a character for a one-line message; control characters would break the line. */
  static String display(int c) {
    if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029) {
      return String.format("\\u%04X", c);
    }
    return new String(Character.toChars(c));
  }
}
