package dev.nanokit.tfs;

import dev.nanokit.manifest.Varint;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends records to an existing log the way the running kernel does (tfs.md §7.3): new records go
 * after the END_OF_LOG byte of the last extension, split by the §3.4 rule, with a new 1024-block
 * extension linked (first fit) when the current one is full or is a v4 extension.
 *
 * <p>Nothing here touches the disk: {@link #finish()} returns the writes, and the caller commits them
 * by turning the old END_OF_LOG byte at {@link #commitOffset()} into END_OF_SEGMENT. Until that one
 * byte changes, every reader still stops at the old end — the edit is invisible; after it, the whole
 * edit is there.
 */
final class LogAppender {
  record Write(long volumeOffset, byte[] bytes) {}

  private final SpaceMap space;
  private final long commitOffset;
  private final List<Write> writes = new ArrayList<>();
  private final List<LogExtension> added = new ArrayList<>();

  private long base; // volume offset of buf's first byte
  private int size; // bytes of the current extension
  private int pos; // position inside the current extension
  private ByteArrayOutputStream buf = new ByteArrayOutputStream();
  private boolean fresh; // the current extension was created here: write it whole
  private long freshStart;

  LogAppender(LogExtension last, int endOfLogPosition, SpaceMap space) throws TfsNoSpaceException {
    this.space = space;
    long extStart = last.startBlock() * TfsFormat.BLOCK_SIZE;
    this.commitOffset = extStart + endOfLogPosition;
    this.base = commitOffset + 1;
    this.size = (int) (last.blocks() * TfsFormat.BLOCK_SIZE);
    this.pos = endOfLogPosition + 1;
    if (last.version() != 5) {
      // The kernel never writes v4: it continues a v4 log in a fresh v5 extension.
      newExtension();
    }
  }

  long commitOffset() {
    return commitOffset;
  }

  List<LogExtension> addedExtensions() {
    return added;
  }

  /** Appends one encoded tuple as TUPLE_AVAILABLE (+ TUPLE_EXTENDED) records. */
  void append(byte[] tuple) throws TfsNoSpaceException {
    if (tuple.length == 0) {
      throw new IllegalArgumentException("an encoded tuple is at least one byte");
    }
    int written = 0;
    while (written < tuple.length) {
      if (pos + TfsFormat.NEW_EXTENSION_THRESHOLD >= size) {
        newExtension();
      }
      int avail = size - pos - TfsFormat.LINK_RESERVE - TfsFormat.RECORD_HEADER_RESERVE;
      int n = Math.min(avail, tuple.length - written);
      if (written == 0) {
        emit(TfsFormat.TUPLE_AVAILABLE);
        emitVarint(tuple.length);
        emitVarint(n);
      } else {
        emit(TfsFormat.TUPLE_EXTENDED);
        emitVarint(n);
      }
      buf.write(tuple, written, n);
      pos += n;
      written += n;
    }
  }

  /** Ends the log and returns every write; the commit byte is not among them. */
  List<Write> finish() {
    emit(TfsFormat.END_OF_LOG);
    flushCurrent();
    return writes;
  }

  private void newExtension() throws TfsNoSpaceException {
    long start = space.allocateContiguous(TfsFormat.EXTENSION_BLOCKS);
    if (start < 0) {
      throw new TfsNoSpaceException("no free run of " + TfsFormat.EXTENSION_BYTES
          + " bytes for a new log extension", TfsFormat.EXTENSION_BYTES);
    }
    emit(TfsFormat.LOG_EXTENSION_LINK);
    emitVarint(start);
    emitVarint(TfsFormat.EXTENSION_BLOCKS);
    emit(TfsFormat.END_OF_LOG);
    flushCurrent();
    added.add(new LogExtension(start, TfsFormat.EXTENSION_BLOCKS, 5));
    fresh = true;
    freshStart = start * TfsFormat.BLOCK_SIZE;
    base = freshStart;
    size = TfsFormat.EXTENSION_BYTES;
    buf = new ByteArrayOutputStream();
    buf.writeBytes(TfsFormat.MAGIC);
    Varint.write(buf, 5);
    Varint.write(buf, TfsFormat.EXTENSION_BLOCKS);
    pos = buf.size();
  }

  private void flushCurrent() {
    byte[] bytes = buf.toByteArray();
    if (fresh) {
      // A whole new extension: zero the rest so stale data never sits behind our END_OF_LOG.
      byte[] whole = new byte[TfsFormat.EXTENSION_BYTES];
      System.arraycopy(bytes, 0, whole, 0, bytes.length);
      writes.add(new Write(freshStart, whole));
    } else {
      writes.add(new Write(base, bytes));
    }
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
