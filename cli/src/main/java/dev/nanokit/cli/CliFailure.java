package dev.nanokit.cli;

/** A failure already phrased for the user: printed as one line, exit status 1. */
final class CliFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  CliFailure(String message) {
    super(message);
  }

  CliFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
