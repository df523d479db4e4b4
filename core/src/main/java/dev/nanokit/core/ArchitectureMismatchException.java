package dev.nanokit.core;

/**
 * The program is built for another machine than the kernel (an aarch64 program on an x86-64 kernel).
 *
 * <p>Immutable.
 */
public final class ArchitectureMismatchException extends ImageInputException {
  private static final long serialVersionUID = 1L;

  public ArchitectureMismatchException(String message) {
    super(message);
  }
}
