package dev.nanokit.elf;

/**
 * The GNU ABI tag note ({@code .note.ABI-tag}): the oldest kernel the object's C library supports.
 * glibc's loader skips a library whose tag names a newer kernel than the running one, which is why
 * an image builder may want to compare it against the Linux version Nanos emulates.
 *
 * @param os 0 Linux, 1 GNU/Hurd, 2 Solaris, 3 FreeBSD
 *
 * <p>Immutable and safe for use by any number of threads.
 */
public record AbiTag(int os, int major, int minor, int patch) {
  public static final int OS_LINUX = 0;

  /** {@code Linux 3.2.0} style text. */
  @Override
  public String toString() {
    String n = switch (os) {
      case 0 -> "Linux";
      case 1 -> "GNU/Hurd";
      case 2 -> "Solaris";
      case 3 -> "FreeBSD";
      default -> "OS " + os;
    };
    return n + " " + major + "." + minor + "." + patch;
  }
}
