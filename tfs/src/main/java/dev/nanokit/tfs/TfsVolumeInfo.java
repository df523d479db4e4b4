package dev.nanokit.tfs;

import java.util.List;

/**
 * What {@code tfs info} reports about one filesystem (docs/cli).
 *
 * @param version TFS version of the first extension (4 or 5)
 * @param uuid the UUID in text form (docs/formats/tfs.md, "3.2 Extension header")
 * @param label the volume label, possibly empty
 * @param offset byte offset of the filesystem in the image file
 * @param size filesystem size in bytes (for a root filesystem: to the end of the disk, as the kernel sees it)
 * @param usedBytes bytes in log extensions and in allocated extent ranges
 * @param freeBytes {@code size - usedBytes}
 * @param directories, files, symlinks nodes reachable from the root
 * @param extensions the log chain in order
 * @param partitions the disk's partitions, empty for a bare volume
 *
 * <p>Immutable and safe for use by any number of threads.
 */
public record TfsVolumeInfo(
    int version,
    String uuid,
    String label,
    long offset,
    long size,
    long usedBytes,
    long freeBytes,
    long directories,
    long files,
    long symlinks,
    List<LogExtension> extensions,
    List<DiskPartition> partitions) {
  public TfsVolumeInfo {
    extensions = List.copyOf(extensions);
    partitions = List.copyOf(partitions);
  }
}
