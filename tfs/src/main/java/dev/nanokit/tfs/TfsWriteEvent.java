package dev.nanokit.tfs;

/**
 * What {@link TfsWriter#writeTo} reports while it works, on the writing thread, in this order:
 * {@link Planned} once, then per non-empty file {@link FileStarted} and any number of
 * {@link BytesWritten}, then {@link LogWritten}, then {@link Finished}. Register handlers with
 * {@link TfsWriter#addEventHandler}. Every event is an immutable value.
 */
public sealed interface TfsWriteEvent {
  /**
   * The volume is laid out; nothing is written yet.
   *
   * @param sizeBytes the volume size
   * @param dataBytes file bytes to copy
   * @param files regular files (including empty ones)
   * @param logExtensions extensions of the log, block 0 included
   */
  record Planned(long sizeBytes, long dataBytes, long files, int logExtensions) implements TfsWriteEvent {}

  /** Copying a file's data starts. */
  record FileStarted(String imagePath, long length) implements TfsWriteEvent {}

  /** File bytes copied so far, out of {@code total}, after each chunk. */
  record BytesWritten(long done, long total) implements TfsWriteEvent {}

  /** The log (metadata) is written; only block 0 and the final flush remain. */
  record LogWritten(long metadataBytes) implements TfsWriteEvent {}

  /** The volume is complete, flushed and (for a path) in place. */
  record Finished(TfsWriteResult result) implements TfsWriteEvent {}
}
