package dev.nanokit.core;

import dev.nanokit.NanokitException;

/**
 * An input file that is not what the image needs (a boot.img whose region record disagrees, …).
 *
 * <p>Immutable.
 */
public class ImageFormatException extends NanokitException {
  private static final long serialVersionUID = 1L;

  public ImageFormatException(String message) {
    super(message);
  }

  public ImageFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
