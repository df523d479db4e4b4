package dev.nanokit.tfs;

import dev.nanokit.NanokitException;

/**
 * An edit that makes no sense for the volume as it is. {@link #condition()} says which case it is,
 * so a caller can branch without reading the message; the message names the image path. Immutable.
 */
public class TfsEditException extends NanokitException {
  private static final long serialVersionUID = 1L;

  /** What is wrong with the edit. */
  public enum Condition {
    /** The path, or a directory on the way to it, does not exist. */
    NOT_FOUND,
    /** A path component that must be a directory is a file or symlink. */
    NOT_A_DIRECTORY,
    /** A directory that would have to be removed whole holds entries. */
    DIRECTORY_NOT_EMPTY,
    /** The name is taken. */
    ALREADY_EXISTS,
    /** A directory would be replaced by a file. */
    IS_A_DIRECTORY,
    /** A name, target, key or host file the volume cannot hold. */
    INVALID
  }

  private final Condition condition;

  public TfsEditException(Condition condition, String message) {
    super(message);
    this.condition = java.util.Objects.requireNonNull(condition, "condition");
  }

  public Condition condition() {
    return condition;
  }
}
