package dev.nanokit.tfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;

/**
 * The file data of a volume on its way to the channel: file contents are placed in one buffer and
 * written when the next one does not follow on, or the buffer is full. Files are laid out one after
 * another, so a run of small files (most of a source tree) costs one write instead of one each.
 * Into a fresh (all-zero) file, all-zero 4 KiB granules are skipped so the file stays sparse.
 *
 * <p>Not thread-safe: one per write.
 */
final class DataOutput {
  private static final int GRANULE = 4096;
  private static final byte[] ZEROS = new byte[GRANULE];

  private final FileChannel channel;
  private final boolean fresh;
  private final byte[] buffer;
  private final ByteBuffer view;
  /** Channel position of {@code buffer[0]}. */
  private long start;
  private int fill;

  DataOutput(FileChannel channel, boolean fresh, int capacity) {
    this.channel = channel;
    this.fresh = fresh;
    this.buffer = new byte[capacity];
    this.view = ByteBuffer.wrap(buffer);
  }

  /** The largest region {@link #reserve} gives. */
  int capacity() {
    return buffer.length;
  }

  /**
   * Room for {@code length} bytes (at most {@link #capacity}) that go to channel position
   * {@code position}, writing what is pending first unless they follow on from it and fit. Returns
   * the offset in {@link #array} where the caller puts them before {@link #commit}.
   */
  int reserve(long position, int length) throws IOException {
    if (fill > 0 && (position != start + fill || fill + length > buffer.length)) {
      flush();
    }
    if (fill == 0) {
      start = position;
    }
    return fill;
  }

  /** The buffer {@link #reserve} offsets point into. */
  byte[] array() {
    return buffer;
  }

  /** The buffer as a ByteBuffer over {@code [offset, offset + length)}, for a channel to read into. */
  ByteBuffer window(int offset, int length) {
    view.limit(offset + length).position(offset);
    return view;
  }

  /** Takes the {@code length} bytes put at the reserved offset. */
  void commit(int length) {
    fill += length;
  }

  /** Writes everything pending. */
  void flush() throws IOException {
    if (fresh) {
      writeSkippingZeros();
    } else {
      writeFully(0, fill);
    }
    fill = 0;
  }

  private void writeSkippingZeros() throws IOException {
    int i = 0;
    while (i < fill) {
      while (i < fill && isZero(i, Math.min(fill, i + GRANULE))) {
        i = Math.min(fill, i + GRANULE);
      }
      int from = i;
      while (i < fill && !isZero(i, Math.min(fill, i + GRANULE))) {
        i = Math.min(fill, i + GRANULE);
      }
      if (i > from) {
        writeFully(from, i - from);
      }
    }
  }

  private boolean isZero(int from, int to) {
    return Arrays.mismatch(buffer, from, to, ZEROS, 0, to - from) < 0;
  }

  private void writeFully(int from, int length) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(buffer, from, length);
    long pos = start + from;
    while (b.hasRemaining()) {
      pos += channel.write(b, pos);
    }
  }
}
