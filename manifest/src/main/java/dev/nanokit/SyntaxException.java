package dev.nanokit;

/**
 * Text the library cannot use (manifest text, an ops {@code config.json}), at a 1-based line and
 * column. The message is one line, {@code file:line:column: reason}, or {@code line:column: reason}
 * when the text has no name. Immutable.
 */
public abstract class SyntaxException extends NanokitException {
  private static final long serialVersionUID = 1L;

  private final String fileName;
  private final int line;
  private final int column;
  private final String reason;

  /**
   * @param fileName where the text came from, or null when it has no name (a command-line value)
   * @param line 1-based line, or 0 when unknown
   * @param column 1-based column in Unicode characters, or 0 when unknown
   * @param reason what is wrong, one line
   */
  protected SyntaxException(String fileName, int line, int column, String reason) {
    super(prefix(fileName, line, column) + reason);
    this.fileName = fileName;
    this.line = line;
    this.column = column;
    this.reason = reason;
  }

  /** {@code file:line:column: }; without a file {@code line:column: }; without a line {@code file: }. */
  public static String prefix(String fileName, int line, int column) {
    String position = line > 0 ? line + ":" + column + ": " : "";
    if (fileName == null) {
      return position;
    }
    return fileName + ":" + (position.isEmpty() ? " " : position);
  }

  /** The name given to the parser (usually the path), or null. */
  public String fileName() {
    return fileName;
  }

  /** 1-based line, or 0 when unknown. */
  public int line() {
    return line;
  }

  /** 1-based column, or 0 when unknown. */
  public int column() {
    return column;
  }

  /** The message without the position prefix. */
  public String reason() {
    return reason;
  }
}
