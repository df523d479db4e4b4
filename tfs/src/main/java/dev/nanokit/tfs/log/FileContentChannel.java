package dev.nanokit.tfs.log;

import dev.nanokit.tfs.TfsExtent;
import dev.nanokit.tfs.TfsFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.List;

/**
 * A file's contents over its extents (docs/formats/tfs.md, "6.3 Regular files"): bytes inside an extent's {@code length} come
 * straight from the image into the caller's buffer; holes, {@code uninited} extents and the bytes
 * past {@code length} read as zeros; everything is clipped to {@code filelength}.
 */
public final class FileContentChannel implements SeekableByteChannel {
  private static final byte[] ZEROS = new byte[8192];

  private final VolumeChannel volume;
  private final String path;
  private final long size;
  private final List<TfsExtent> extents;
  private long position;
  private boolean open = true;

  public FileContentChannel(VolumeChannel volume, String path, long size, List<TfsExtent> extents) {
    this.volume = volume;
    this.path = path;
    this.size = size;
    this.extents = extents;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    ensureOpen();
    if (position >= size) {
      return -1;
    }
    int want = (int) Math.min(dst.remaining(), size - position);
    if (want == 0) {
      return 0;
    }
    long block = position / TfsFormat.BLOCK_SIZE;
    int i = extentAtOrAfter(block);
    TfsExtent x = i < extents.size() ? extents.get(i) : null;
    if (x == null || block < x.fileBlock()) {
      long holeEnd = x == null ? size : Math.min(size, x.fileBlock() * TfsFormat.BLOCK_SIZE);
      return zeros(dst, (int) Math.min(want, holeEnd - position));
    }
    long extentEnd = Math.min(size, (x.fileBlock() + x.length()) * TfsFormat.BLOCK_SIZE);
    int n = (int) Math.min(want, extentEnd - position);
    if (x.uninited()) {
      return zeros(dst, n);
    }
    long volumeOffset = (x.offset() + (block - x.fileBlock())) * TfsFormat.BLOCK_SIZE + position % TfsFormat.BLOCK_SIZE;
    int limit = dst.limit();
    dst.limit(dst.position() + n);
    try {
      int read = 0;
      while (dst.hasRemaining()) {
        int r = volume.read(volumeOffset + read, dst);
        if (r == 0) {
          throw new TfsFormatException(path + ": no progress reading data", volume.absolute(volumeOffset + read));
        }
        read += r;
      }
      position += read;
      return read;
    } finally {
      dst.limit(limit);
    }
  }

  /**
   * Writes every byte from the position to the end of the file to {@code target} and moves the
   * position there; returns how many. Extents go by {@link VolumeChannel#transferTo} (the kernel
   * copies, when it can), holes and uninited extents as zeros.
   */
  public long transferTo(WritableByteChannel target) throws IOException {
    ensureOpen();
    long start = position;
    while (position < size) {
      long block = position / TfsFormat.BLOCK_SIZE;
      int i = extentAtOrAfter(block);
      TfsExtent x = i < extents.size() ? extents.get(i) : null;
      if (x == null || block < x.fileBlock()) {
        long holeEnd = x == null ? size : Math.min(size, x.fileBlock() * TfsFormat.BLOCK_SIZE);
        writeZeros(target, holeEnd - position);
        continue;
      }
      long extentEnd = Math.min(size, (x.fileBlock() + x.length()) * TfsFormat.BLOCK_SIZE);
      if (x.uninited()) {
        writeZeros(target, extentEnd - position);
        continue;
      }
      long volumeOffset = (x.offset() + (block - x.fileBlock())) * TfsFormat.BLOCK_SIZE + position % TfsFormat.BLOCK_SIZE;
      volume.transferTo(volumeOffset, extentEnd - position, target);
      position = extentEnd;
    }
    return position - start;
  }

  private void writeZeros(WritableByteChannel target, long n) throws IOException {
    ByteBuffer zeros = ByteBuffer.wrap(ZEROS).asReadOnlyBuffer(); // a target cannot write into ZEROS
    for (long left = n; left > 0; ) {
      zeros.clear().limit((int) Math.min(left, ZEROS.length));
      int k = zeros.remaining();
      while (zeros.hasRemaining()) {
        target.write(zeros);
      }
      left -= k;
      position += k;
    }
  }

  /** Index of the extent containing {@code block}, else of the first one after it (or size()). */
  private int extentAtOrAfter(long block) {
    int lo = 0;
    int hi = extents.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      TfsExtent x = extents.get(mid);
      if (block < x.fileBlock()) {
        hi = mid - 1;
      } else if (block >= x.fileBlock() + x.length()) {
        lo = mid + 1;
      } else {
        return mid;
      }
    }
    return lo;
  }

  private int zeros(ByteBuffer dst, int n) {
    for (int left = n; left > 0; ) {
      int k = Math.min(left, ZEROS.length);
      dst.put(ZEROS, 0, k);
      left -= k;
    }
    position += n;
    return n;
  }

  @Override
  public int write(ByteBuffer src) {
    throw new NonWritableChannelException();
  }

  @Override
  public long position() throws IOException {
    ensureOpen();
    return position;
  }

  @Override
  public SeekableByteChannel position(long newPosition) throws IOException {
    ensureOpen();
    if (newPosition < 0) {
      throw new IllegalArgumentException("negative position: " + newPosition);
    }
    position = newPosition;
    return this;
  }

  @Override
  public long size() throws IOException {
    ensureOpen();
    return size;
  }

  @Override
  public SeekableByteChannel truncate(long newSize) {
    throw new NonWritableChannelException();
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void close() {
    open = false;
  }

  private void ensureOpen() throws ClosedChannelException {
    if (!open) {
      throw new ClosedChannelException();
    }
  }
}
