package dev.nanokit.tfs;

/**
 * Progress of {@link TfsWriter#writeTo}. All methods are called on the writing thread, in this order:
 * {@link #planned} once, then per non-empty file {@link #fileStarted} and any number of
 * {@link #bytesWritten}, then {@link #logWritten}, then {@link #finished}. The writer itself never
 * prints anything.
 */
public interface TfsWriteListener {
  /** A listener that ignores everything. */
  TfsWriteListener NONE = new TfsWriteListener() {};

  /**
   * The volume is laid out; nothing is written yet.
   *
   * @param sizeBytes the volume size
   * @param dataBytes file bytes to copy
   * @param files regular files (including empty ones)
   * @param logExtensions extensions of the log, block 0 included
   */
  default void planned(long sizeBytes, long dataBytes, long files, int logExtensions) {}

  /** Copying a file's data starts. */
  default void fileStarted(String imagePath, long length) {}

  /** File bytes copied so far, out of {@code totalBytes}, after each chunk. */
  default void bytesWritten(long doneBytes, long totalBytes) {}

  /** The log (metadata) is written; only block 0 and the final flush remain. */
  default void logWritten(long metadataBytes) {}

  /** The volume is complete, flushed and (for a path) in place. */
  default void finished(TfsWriteResult result) {}
}
