package dev.nanokit.tfs;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The file data of a volume on its way to the channel, in two stages on two threads: the caller
 * reads file contents into a batch (one direct buffer of consecutive blocks, so a run of small files
 * — most of a source tree — costs one write instead of one each), and a writer thread takes each full
 * batch, adds its bytes to the content digests and writes it. Reading the next files thus overlaps
 * hashing and writing the last ones, and no byte is copied between the Java heap and the kernel.
 * Into a fresh (all-zero) file, all-zero 4 KiB granules are skipped so the file stays sparse.
 *
 * <p>The digests are what {@link TfsReproducibility} derives the UUID from: each file's
 * {@linkplain TfsReproducibility#contentFingerprint content fingerprint}, added to the volume digest in
 * layout order.
 *
 * <p>Not thread-safe: one caller per write, which must {@link #finish} or {@link #close} it.
 */
final class DataOutput implements AutoCloseable {
  private static final int GRANULE = 4096;
  private static final byte[] PADDING = new byte[511];
  /** Batches in flight: one being filled, one being written, and slack for the writer to fall behind. */
  private static final int BATCHES = 4;
  /**
   * Bytes written between two requests to the flusher thread. The volume is forced when complete; the
   * disk then still has to take all of it at once unless writing back starts earlier — forcing what
   * is written so far while the rest is still being read overlaps the two.
   */
  private static final long FLUSH_EVERY = 8L << 20;

  /** A buffer of consecutive blocks and where each file's bytes lie in it. */
  private static final class Batch {
    final ByteBuffer buffer;
    /** Channel position of {@code buffer}'s first byte. */
    long start;
    int fill;
    /** Per piece of a file: offset in the buffer, data length (without padding), whether the file ends there. */
    final int[] pieceAt;
    final int[] pieceLength;
    final boolean[] pieceEndsFile;
    int pieces;

    Batch(int capacity, int maxPieces) {
      buffer = ByteBuffer.allocateDirect(capacity);
      pieceAt = new int[maxPieces];
      pieceLength = new int[maxPieces];
      pieceEndsFile = new boolean[maxPieces];
    }
  }

  /** Handed to the writer thread to say the data is complete. */
  private static final Batch END = new Batch(0, 0);

  private final FileChannel channel;
  private final boolean fresh;
  private final int capacity;
  private final MessageDigest volumeDigest;
  /** The running fingerprint of the file whose bytes the writer thread is at. */
  private final java.util.zip.CRC32C fileCrc32c = new java.util.zip.CRC32C();
  private final java.util.zip.CRC32 fileCrc32 = new java.util.zip.CRC32();
  private final ByteBuffer zeros = ByteBuffer.allocateDirect(GRANULE);
  private final BlockingQueue<Batch> free = new ArrayBlockingQueue<>(BATCHES);
  private final BlockingQueue<Batch> full = new ArrayBlockingQueue<>(BATCHES + 1);
  private final Thread writer;
  private final Thread flusher;
  /** Holds one request to force what is written so far (or {@code false}: stop); further ones coalesce. */
  private final BlockingQueue<Boolean> flushRequests = new ArrayBlockingQueue<>(1);
  private long unflushed;
  /** The writer thread's failure, for the caller to throw; written before the batch it failed on is freed. */
  private volatile Throwable failure;
  /** Set by {@link #close} before a finish: the writer thread drops what is left. */
  private volatile boolean abandoned;
  private Batch current;
  private boolean finished;

  /**
   * @param capacity bytes per batch, a whole number of 512-byte blocks: the most {@link #reserve} gives
   * @param volumeDigest the digest that takes each file's fingerprint in turn; null to hash nothing
   */
  DataOutput(FileChannel channel, boolean fresh, int capacity, MessageDigest volumeDigest) {
    this.channel = channel;
    this.fresh = fresh;
    this.capacity = capacity;
    this.volumeDigest = volumeDigest;
    for (int i = 0; i < BATCHES; i++) {
      // Every piece but a batch's last starts a file, and files are padded to whole blocks.
      free.add(new Batch(capacity, capacity / 512 + 1));
    }
    writer = new Thread(this::writeBatches, "tfs-data-writer");
    writer.setDaemon(true);
    flusher = new Thread(this::flushWhenAsked, "tfs-data-flusher");
    flusher.setDaemon(true);
    writer.start();
    flusher.start();
  }

  /** The largest region {@link #reserve} gives. */
  int capacity() {
    return capacity;
  }

  /**
   * A buffer positioned to take up to {@code length} bytes (at most {@link #capacity}) that go to
   * channel position {@code position}: the caller puts data there, then {@link #commit}s. A region
   * that does not follow on from the pending one, or does not fit after it, starts a new batch.
   */
  ByteBuffer reserve(long position, int length) throws IOException {
    if (current != null && (position != current.start + current.fill || current.fill + length > capacity)) {
      submit();
    }
    if (current == null) {
      current = take(free);
      current.start = position;
      current.fill = 0;
      current.pieces = 0;
    }
    ByteBuffer b = current.buffer;
    b.limit(current.fill + length).position(current.fill);
    return b;
  }

  /**
   * Takes the {@code dataLength} bytes put into the reserved region, pads them with zeros to
   * {@code paddedLength}, and records them as a piece of the current file, its last if {@code endsFile}.
   */
  void commit(int dataLength, int paddedLength, boolean endsFile) {
    Batch b = current;
    ByteBuffer buf = b.buffer;
    buf.limit(b.fill + paddedLength).position(b.fill + dataLength);
    buf.put(PADDING, 0, paddedLength - dataLength); // at most 511 bytes: the tail of a file's last block
    b.pieceAt[b.pieces] = b.fill;
    b.pieceLength[b.pieces] = dataLength;
    b.pieceEndsFile[b.pieces] = endsFile;
    b.pieces++;
    b.fill += paddedLength;
  }

  /** Writes everything pending and waits until it is written; throws what the writer thread met. */
  void finish() throws IOException {
    if (current != null) {
      submit();
    }
    finished = true;
    put(END);
    try {
      writer.join();
      flusher.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while writing file data");
    }
    rethrow();
  }

  /**
   * Stops the writer thread if {@link #finish} was not reached (a failure while reading): batches not
   * yet written are dropped. The thread is told, not interrupted — an interrupt would close the
   * channel under an I/O call.
   */
  @Override
  public void close() {
    if (finished) {
      return;
    }
    finished = true;
    abandoned = true;
    boolean interrupted = false;
    // There is room in the queue for every batch and END: this offer does not fail.
    full.offer(END);
    while (writer.isAlive() || flusher.isAlive()) {
      try {
        writer.join();
        flusher.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void submit() throws IOException {
    put(current);
    current = null;
    rethrow();
  }

  private void put(Batch b) throws IOException {
    try {
      full.put(b);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while writing file data");
    }
  }

  private Batch take(BlockingQueue<Batch> queue) throws IOException {
    try {
      Batch b = queue.take();
      rethrow();
      return b;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while writing file data");
    }
  }

  private void rethrow() throws IOException {
    Throwable t = failure;
    if (t instanceof IOException e) {
      throw e;
    } else if (t instanceof RuntimeException e) {
      throw e;
    } else if (t instanceof Error e) {
      throw e;
    }
  }

  // ------------------------------------------------------------ writer thread

  private void writeBatches() {
    try {
      for (Batch b = full.take(); b != END; b = full.take()) {
        if (failure == null && !abandoned) {
          try {
            digest(b);
            write(b);
            requestFlush(b.fill);
          } catch (Throwable t) {
            failure = t;
          }
        }
        free.put(b);
      }
    } catch (InterruptedException e) {
      // not interrupted by this class; stop as for END
    } finally {
      stopFlusher();
    }
  }

  private void requestFlush(int written) {
    unflushed += written;
    if (unflushed >= FLUSH_EVERY) {
      unflushed = 0;
      flushRequests.offer(Boolean.TRUE); // one already pending covers this one too
    }
  }

  private void stopFlusher() {
    boolean interrupted = false;
    while (true) {
      try {
        flushRequests.put(Boolean.FALSE);
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void flushWhenAsked() {
    try {
      while (flushRequests.take()) {
        if (failure == null && !abandoned) {
          try {
            channel.force(false);
          } catch (Throwable t) {
            failure = t;
          }
        }
      }
    } catch (InterruptedException e) {
      // not interrupted by this class
    }
  }

  private void digest(Batch b) {
    if (volumeDigest == null) {
      return;
    }
    ByteBuffer buf = b.buffer;
    for (int i = 0; i < b.pieces; i++) {
      buf.limit(b.pieceAt[i] + b.pieceLength[i]).position(b.pieceAt[i]);
      fileCrc32c.update(buf);
      buf.position(b.pieceAt[i]);
      fileCrc32.update(buf);
      if (b.pieceEndsFile[i]) {
        volumeDigest.update(TfsReproducibility.contentFingerprint(fileCrc32c.getValue(), fileCrc32.getValue()));
        fileCrc32c.reset();
        fileCrc32.reset();
      }
    }
  }

  private void write(Batch b) throws IOException {
    if (!fresh) {
      writeFully(b, 0, b.fill);
      return;
    }
    int i = 0;
    while (i < b.fill) {
      while (i < b.fill && isZero(b, i, Math.min(b.fill, i + GRANULE))) {
        i = Math.min(b.fill, i + GRANULE);
      }
      int from = i;
      while (i < b.fill && !isZero(b, i, Math.min(b.fill, i + GRANULE))) {
        i = Math.min(b.fill, i + GRANULE);
      }
      if (i > from) {
        writeFully(b, from, i - from);
      }
    }
  }

  private boolean isZero(Batch b, int from, int to) {
    ByteBuffer buf = b.buffer;
    buf.limit(to).position(from);
    zeros.limit(to - from).position(0);
    return buf.mismatch(zeros) < 0;
  }

  private void writeFully(Batch b, int from, int length) throws IOException {
    ByteBuffer buf = b.buffer;
    buf.limit(from + length).position(from);
    long pos = b.start + from;
    while (buf.hasRemaining()) {
      pos += channel.write(buf, pos);
    }
  }
}
