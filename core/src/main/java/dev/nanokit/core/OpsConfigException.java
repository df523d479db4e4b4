package dev.nanokit.core;

import dev.nanokit.SyntaxException;

/**
 * An ops {@code config.json} that cannot be used (see docs/formats/manifest.md, "5 ops `config.json`"): invalid JSON, or a
 * field of the wrong JSON type. The message is one line, {@code file:line:column: reason} (without a
 * file name {@code line:column: reason}); line and column are 1-based, from Jackson's location of the
 * offending token. Immutable.
 */
public class OpsConfigException extends SyntaxException {
  private static final long serialVersionUID = 1L;

  public OpsConfigException(String sourceName, int line, int column, String reason) {
    super(sourceName, line, column, reason);
  }

  /** The name given to the reader (usually the file path), or null. */
  public String sourceName() {
    return fileName();
  }
}
