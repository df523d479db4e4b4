package dev.nanokit.manifest;

import java.io.IOException;

/**
 * Manifest text that Nanos {@code mkfs} would reject, or that nanokit refuses because Nanos would
 * hang on it (manifest.md §1.3). The message is one line, {@code file:line:column: reason}, so a
 * command-line tool can print it as is; without a file name it is {@code line:column: reason}.
 */
public class ManifestSyntaxException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String fileName;
  private final int line;
  private final int column;
  private final String reason;

  /**
   * @param fileName where the text came from, or null when it has no name (a command-line value)
   * @param line 1-based line of the offending character
   * @param column 1-based column, counted in Unicode characters (a TAB counts as one)
   * @param reason what is wrong, one line
   */
  public ManifestSyntaxException(String fileName, int line, int column, String reason) {
    super((fileName == null ? "" : fileName + ":") + line + ":" + column + ": " + reason);
    this.fileName = fileName;
    this.line = line;
    this.column = column;
    this.reason = reason;
  }

  /** The name given to the parser, or null. */
  public String fileName() {
    return fileName;
  }

  public int line() {
    return line;
  }

  public int column() {
    return column;
  }

  /** The message without the position prefix. */
  public String reason() {
    return reason;
  }
}
