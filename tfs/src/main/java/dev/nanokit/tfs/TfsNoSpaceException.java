package dev.nanokit.tfs;

import dev.nanokit.NanokitException;

/**
 * The volume lacks the room an operation needs; nothing was written.
 *
 * <p>Immutable.
 */
public class TfsNoSpaceException extends NanokitException {
  private static final long serialVersionUID = 1L;
  private final long missingBytes;

  public TfsNoSpaceException(String message, long missingBytes) {
    super(message);
    this.missingBytes = missingBytes;
  }

  /** How many more free bytes the operation would have needed. */
  public long missingBytes() {
    return missingBytes;
  }
}
