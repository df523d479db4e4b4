package dev.nanokit.tfs;

import dev.nanokit.NanokitException;

/**
 * A TFS volume or Nanos disk image that does not follow the format (docs/formats/tfs.md, docs/formats/disk-image.md, "8 How the pieces are found at boot").
 * Carries the byte offset of the offending data, relative to the start of the image file.
 *
 * <p>Immutable.
 */
public class TfsFormatException extends NanokitException {
  private static final long serialVersionUID = 1L;
  private final long offset;

  /** {@code offset} is -1 when the problem is in the tuple tree rather than at one place on disk. */
  public TfsFormatException(String message, long offset) {
    super(describe(message, offset));
    this.offset = offset;
  }

  public TfsFormatException(String message, long offset, Throwable cause) {
    super(describe(message, offset), cause);
    this.offset = offset;
  }

  private static String describe(String message, long offset) {
    return offset < 0 ? message : message + " at byte offset " + offset;
  }

  /** Byte offset in the image file (not the partition) where the problem was found, or -1. */
  public long offset() {
    return offset;
  }
}
