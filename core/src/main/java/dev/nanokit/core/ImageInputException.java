package dev.nanokit.core;

import dev.nanokit.NanokitException;

/**
 * The inputs cannot make an image: no program named anywhere, a program that is not there, two
 * entries that cannot both be in the image. The message names the input.
 *
 * <p>Immutable.
 */
public class ImageInputException extends NanokitException {
  private static final long serialVersionUID = 1L;

  public ImageInputException(String message) {
    super(message);
  }

  public ImageInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
