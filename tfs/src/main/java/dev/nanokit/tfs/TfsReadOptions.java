package dev.nanokit.tfs;

import dev.nanokit.tfs.log.TfsFormat;

/**
 * How to open a volume for reading: which filesystem of a partitioned disk, and the limits that
 * keep a hostile image from costing more than it should. Every limit, when hit, fails with a
 * {@link TfsFormatException} that names it.
 *
 * <p>Immutable and safe for use by any number of threads; its builder is not.
 */
public final class TfsReadOptions {
  /** Which TFS of a partitioned Nanos disk to open (docs/formats/disk-image.md, "8.1 Partition selection rule (used by stage2, the UEFI loader and the kernel)"); ignored for a bare volume. */
  public enum Filesystem {
    ROOT,
    BOOT
  }

  private final Filesystem filesystem;
  private final int maxTupleDepth;
  private final int maxDirectoryEntries;
  private final int maxNameLength;
  private final int maxSymlinkHops;
  private final long maxMetadataBytes;
  private final long maxFileBytes;

  private TfsReadOptions(Builder b) {
    this.filesystem = b.filesystem;
    this.maxTupleDepth = b.maxTupleDepth;
    this.maxDirectoryEntries = b.maxDirectoryEntries;
    this.maxNameLength = b.maxNameLength;
    this.maxSymlinkHops = b.maxSymlinkHops;
    this.maxMetadataBytes = b.maxMetadataBytes;
    this.maxFileBytes = b.maxFileBytes;
  }

  public static TfsReadOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Filesystem filesystem() {
    return filesystem;
  }

  /** Nesting of tuples in the log; real trees are a few dozen deep. Default 512. */
  public int maxTupleDepth() {
    return maxTupleDepth;
  }

  /** Entries one directory may list. Default 4,000,000. */
  public int maxDirectoryEntries() {
    return maxDirectoryEntries;
  }

  /** Bytes of one file name. Default 4,096. */
  public int maxNameLength() {
    return maxNameLength;
  }

  /** Symlinks followed in one lookup; the kernel's limit is 40. */
  public int maxSymlinkHops() {
    return maxSymlinkHops;
  }

  /** Bytes of log extensions read in all. Default 1 GiB (2,048 extensions). */
  public long maxMetadataBytes() {
    return maxMetadataBytes;
  }

  /**
   * Length of a file whose contents may be read. A few kilobytes of log can claim a file of 2^62
   * bytes that is one extent and a hole, which a reader would turn into exabytes of zeros. Default
   * 1 TiB.
   */
  public long maxFileBytes() {
    return maxFileBytes;
  }

  /** Builds {@link TfsReadOptions}; not thread-safe, each builder serves one thread. */
  public static final class Builder {
    private Filesystem filesystem = Filesystem.ROOT;
    private int maxTupleDepth = 512;
    private int maxDirectoryEntries = 4_000_000;
    private int maxNameLength = 4096;
    private int maxSymlinkHops = dev.nanokit.paths.SymlinkLimit.MAX_HOPS;
    private long maxMetadataBytes = 1L << 30;
    private long maxFileBytes = 1L << 40;

    private Builder() {}

    public Builder setFilesystem(Filesystem filesystem) {
      this.filesystem = java.util.Objects.requireNonNull(filesystem, "filesystem");
      return this;
    }

    public Builder setMaxTupleDepth(int n) {
      this.maxTupleDepth = positive("maxTupleDepth", n);
      return this;
    }

    public Builder setMaxDirectoryEntries(int n) {
      this.maxDirectoryEntries = positive("maxDirectoryEntries", n);
      return this;
    }

    public Builder setMaxNameLength(int n) {
      this.maxNameLength = positive("maxNameLength", n);
      return this;
    }

    public Builder setMaxSymlinkHops(int n) {
      this.maxSymlinkHops = positive("maxSymlinkHops", n);
      return this;
    }

    public Builder setMaxMetadataBytes(long n) {
      if (n < TfsFormat.BLOCK_SIZE) {
        throw new IllegalArgumentException("maxMetadataBytes must be at least one block: " + n);
      }
      this.maxMetadataBytes = n;
      return this;
    }

    public Builder setMaxFileBytes(long n) {
      if (n < 0) {
        throw new IllegalArgumentException("maxFileBytes must not be negative: " + n);
      }
      this.maxFileBytes = n;
      return this;
    }

    private static int positive(String what, int n) {
      if (n < 1) {
        throw new IllegalArgumentException(what + " must be positive: " + n);
      }
      return n;
    }

    public TfsReadOptions build() {
      return new TfsReadOptions(this);
    }
  }
}
