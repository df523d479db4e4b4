package dev.nanokit.tfs.log;

import dev.nanokit.manifest.codec.Varint;
import dev.nanokit.tfs.LogExtension;
import dev.nanokit.tfs.TfsNoSpaceException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The one implementation of the "3.4 How writers fill extensions (split rule)" split rule (docs/formats/tfs.md): tuples go into the current extension as
 * TUPLE_AVAILABLE and TUPLE_EXTENDED records, and a new 1024-block extension is linked once
 * {@code pos + 74 >= size}. Used two ways:
 *
 * <ul>
 *   <li>{@link #fresh} — the writer's chain, starting with an empty extension (docs/formats/tfs.md, "9.1 Writer (recommended, ops-compatible layout)");
 *   <li>{@link #continuing} — appending to an existing log the way the running kernel does ("7.3 What the running kernel appends (read-write mount)"):
 *       after the END_OF_LOG byte of the last extension, opening a fresh v5 extension first when
 *       that one is v4 (the kernel never writes v4).
 * </ul>
 *
 * <p>Nothing here touches the disk: {@link #finish()} returns the writes. An editor commits them by
 * turning the old END_OF_LOG byte at {@link #commitOffset()} into END_OF_SEGMENT; until that one byte
 * changes, every reader still stops at the old end.
 */
public final class LogAppender {
  /** Where the next 1024-block extension goes. */
  public interface Allocator {
    public long nextExtension() throws TfsNoSpaceException;
  }

  /**
   * Bytes to write at {@code volumeOffset}; {@code newExtension} when they start a whole extension
   * (header first), whose unused tail must read as zeros.
   */
  public record Write(long volumeOffset, byte[] bytes, boolean newExtension) {}

  private final Allocator allocator;
  private final int newVersion;
  private final long commitOffset;
  private final List<Write> writes = new ArrayList<>();
  private final List<LogExtension> added = new ArrayList<>();

  private long base; // volume offset of buf's first byte
  private int size = TfsFormat.EXTENSION_BYTES; // bytes of the current extension
  private int pos; // position inside the current extension
  private ByteArrayOutputStream buf = new ByteArrayOutputStream();
  private boolean fresh; // the current extension was started here

  private LogAppender(Allocator allocator, int newVersion, long commitOffset) {
    this.allocator = allocator;
    this.newVersion = newVersion;
    this.commitOffset = commitOffset;
  }

  /** A new chain whose first extension is at {@code firstBlock}, encoded with {@code version}. */
  public static LogAppender fresh(long firstBlock, int version, Allocator allocator) {
    LogAppender a = new LogAppender(allocator, version, -1);
    a.startExtension(firstBlock);
    return a;
  }

  /** Continues the log whose END_OF_LOG byte is at {@code endOfLogPosition} of {@code last}. */
  public static LogAppender continuing(LogExtension last, int endOfLogPosition, SpaceMap space) throws TfsNoSpaceException {
    long commit = last.startBlock() * TfsFormat.BLOCK_SIZE + endOfLogPosition;
    LogAppender a = new LogAppender(() -> {
      long start = space.allocateContiguous(TfsFormat.EXTENSION_BLOCKS);
      if (start < 0) {
        throw new TfsNoSpaceException("no free run of " + TfsFormat.EXTENSION_BYTES
            + " bytes for a new log extension", TfsFormat.EXTENSION_BYTES);
      }
      return start;
    }, 5, commit);
    a.base = commit + 1;
    a.size = (int) (last.blocks() * TfsFormat.BLOCK_SIZE);
    a.pos = endOfLogPosition + 1;
    if (last.version() != 5) {
      a.linkNewExtension();
    }
    return a;
  }

  /** Volume offset of the END_OF_LOG byte whose change commits an append; -1 for a fresh chain. */
  public long commitOffset() {
    return commitOffset;
  }

  /** Extensions linked by this appender, in chain order. */
  public List<LogExtension> addedExtensions() {
    return added;
  }

  /** Appends one encoded tuple as TUPLE_AVAILABLE (+ TUPLE_EXTENDED) records. */
  public void append(byte[] tuple) throws TfsNoSpaceException {
    if (tuple.length == 0) {
      throw new IllegalArgumentException("an encoded tuple is at least one byte");
    }
    int written = 0;
    while (written < tuple.length) {
      if (pos + TfsFormat.NEW_EXTENSION_THRESHOLD >= size) {
        linkNewExtension();
      }
      int avail = size - pos - TfsFormat.LINK_RESERVE - TfsFormat.RECORD_HEADER_RESERVE;
      int n = Math.min(avail, tuple.length - written);
      if (written == 0) {
        emit(TfsFormat.TUPLE_AVAILABLE);
        emitVarint(tuple.length);
      } else {
        emit(TfsFormat.TUPLE_EXTENDED);
      }
      emitVarint(n);
      buf.write(tuple, written, n);
      pos += n;
      written += n;
    }
  }

  /** Ends the log and returns every write in chain order; the commit byte is not among them. */
  public List<Write> finish() {
    emit(TfsFormat.END_OF_LOG);
    flushCurrent();
    return writes;
  }

  private void linkNewExtension() throws TfsNoSpaceException {
    long start = allocator.nextExtension();
    emit(TfsFormat.LOG_EXTENSION_LINK);
    emitVarint(start);
    emitVarint(TfsFormat.EXTENSION_BLOCKS);
    emit(TfsFormat.END_OF_LOG);
    flushCurrent();
    startExtension(start);
  }

  private void startExtension(long startBlock) {
    added.add(new LogExtension(startBlock, TfsFormat.EXTENSION_BLOCKS, newVersion));
    fresh = true;
    base = startBlock * TfsFormat.BLOCK_SIZE;
    size = TfsFormat.EXTENSION_BYTES;
    buf = new ByteArrayOutputStream();
    buf.writeBytes(TfsFormat.MAGIC);
    Varint.write(buf, newVersion);
    Varint.write(buf, TfsFormat.EXTENSION_BLOCKS);
    pos = buf.size();
  }

  private void flushCurrent() {
    writes.add(new Write(base, buf.toByteArray(), fresh));
  }

  private void emit(int b) {
    buf.write(b);
    pos++;
  }

  private void emitVarint(long v) {
    Varint.write(buf, v);
    pos += Varint.length(v);
  }
}
