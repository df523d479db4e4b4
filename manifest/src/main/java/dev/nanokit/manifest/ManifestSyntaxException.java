package dev.nanokit.manifest;

import dev.nanokit.SyntaxException;

/**
 * Manifest text that Nanos {@code mkfs} would reject, or that nanokit refuses because Nanos would
 * hang on it (see docs/formats/manifest.md, "1.3 Grammar"). The message is one line,
 * {@code file:line:column: reason}; without a file name it is {@code line:column: reason}. Immutable.
 */
public class ManifestSyntaxException extends SyntaxException {
  private static final long serialVersionUID = 1L;

  /**
   * @param fileName where the text came from, or null when it has no name (a command-line value)
   * @param line 1-based line of the offending character
   * @param column 1-based column, counted in Unicode characters (a TAB counts as one)
   * @param reason what is wrong, one line
   */
  public ManifestSyntaxException(String fileName, int line, int column, String reason) {
    super(fileName, line, column, reason);
  }
}
