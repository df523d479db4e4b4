package dev.nanokit.tfs;

import java.util.List;

/**
 * What {@link TfsWriter#writeTo} wrote.
 *
 * @param version TFS version (5, or 4 for the legacy encoding)
 * @param uuid the volume UUID in text form (docs/formats/tfs.md, "3.2 Extension header")
 * @param label the volume label, possibly empty
 * @param sizeBytes the volume size: every log extension lies entirely inside it
 * @param usedBlocks blocks in log extensions and file extents (block 0 included)
 * @param freeBytes {@code sizeBytes - usedBlocks × 512}: what the running kernel can allocate
 * @param extensions the log chain in order, block 0 first
 * @param metadataBytes length of the encoded root tuple (the TUPLE_AVAILABLE total)
 * @param directories directories, the root included
 * @param files regular files, empty ones included
 * @param symlinks symbolic links
 * @param dataBytes file bytes copied (without block padding)
 *
 * <p>Immutable and safe for use by any number of threads.
 */
public record TfsWriteResult(
    int version,
    String uuid,
    String label,
    long sizeBytes,
    long usedBlocks,
    long freeBytes,
    List<LogExtension> extensions,
    long metadataBytes,
    long directories,
    long files,
    long symlinks,
    long dataBytes) {

  public TfsWriteResult {
    extensions = List.copyOf(extensions);
  }

  /** Number of log extensions, block 0 included. */
  public int extensionCount() {
    return extensions.size();
  }
}
