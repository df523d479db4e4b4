package dev.nanokit;

import java.io.IOException;

/**
 * The root of every checked error the nanokit library throws: format errors that carry a byte
 * offset, syntax errors that carry a file, line and column, and the typed conditions a caller can
 * branch on. It is an {@link IOException} because each one is about a file a caller handed in.
 *
 * <p>Messages are one line and name the file and the place; they never name a command-line flag (a
 * command-line tool adds its own hint). Instances are immutable once thrown.
 */
public class NanokitException extends IOException {
  private static final long serialVersionUID = 1L;

  public NanokitException(String message) {
    super(message);
  }

  public NanokitException(String message, Throwable cause) {
    super(message, cause);
  }
}
