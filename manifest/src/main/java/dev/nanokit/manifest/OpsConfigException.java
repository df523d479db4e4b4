package dev.nanokit.manifest;

import java.io.IOException;

/**
 * An ops {@code config.json} that cannot be used (manifest.md §5): invalid JSON, or a field of the
 * wrong JSON type. The message is one line, {@code file:line:column: reason} (without a file name
 * {@code line:column: reason}); line and column are 1-based, from Jackson's location of the
 * offending token.
 */
public class OpsConfigException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String sourceName;
  private final int line;
  private final int column;
  private final String reason;

  public OpsConfigException(String sourceName, int line, int column, String reason) {
    super(OpsConfigReader.prefix(sourceName, line, column) + reason);
    this.sourceName = sourceName;
    this.line = line;
    this.column = column;
    this.reason = reason;
  }

  /** The name given to the reader (usually the file path), or null. */
  public String sourceName() {
    return sourceName;
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
