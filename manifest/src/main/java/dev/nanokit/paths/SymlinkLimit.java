package dev.nanokit.paths;

/**
 * How many symbolic links one path resolution may follow, wherever nanokit follows links: inside an
 * image, inside a target root or package sysroot on the host, inside an archive being unpacked.
 * Linux gives up after 40 ({@code MAXSYMLINKS}, ELOOP) and so does the Nanos kernel; so do we.
 */
public final class SymlinkLimit {
  /** Links followed in one resolution before it fails. */
  public static final int MAX_HOPS = 40;

  private SymlinkLimit() {}
}
