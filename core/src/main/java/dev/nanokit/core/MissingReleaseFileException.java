package dev.nanokit.core;

/**
 * A bootable image needs a file of the Nanos release that was not given and not found: the kernel, the
 * UEFI loader, a klib. {@link #file()} says which, so a caller can say how to provide it.
 *
 * <p>Immutable.
 */
public final class MissingReleaseFileException extends ImageInputException {
  private static final long serialVersionUID = 1L;

  /** The release file that is missing. */
  public enum ReleaseFile { KERNEL, UEFI_LOADER, KLIB }

  private final ReleaseFile file;
  private final String version;

  /** {@code version}: the Nanos release that was asked for and is missing, or null when none was named. */
  public MissingReleaseFileException(ReleaseFile file, String version, String message) {
    super(message);
    this.file = file;
    this.version = version;
  }

  public ReleaseFile file() {
    return file;
  }

  /** The Nanos version that was asked for and is not in the release cache, if one was named. */
  public java.util.Optional<String> version() {
    return java.util.Optional.ofNullable(version);
  }
}
