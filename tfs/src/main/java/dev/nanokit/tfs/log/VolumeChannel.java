package dev.nanokit.tfs.log;

import dev.nanokit.tfs.TfsFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;

/**
 * The byte range of one filesystem inside an image file. Offsets are relative to the filesystem
 * start (docs/formats/tfs.md conventions); errors report the absolute offset in the image file.
 *
 * <p>Safe for concurrent readers: a {@link FileChannel} is read with positional reads, which never
 * move a shared position; any other channel is read under its lock, position and read together.
 */
public final class VolumeChannel {
  private final SeekableByteChannel image;
  private final long start;
  private final long size;

  public VolumeChannel(SeekableByteChannel image, long start, long size) {
    this.image = image;
    this.start = start;
    this.size = size;
  }

  public long start() {
    return start;
  }

  public long size() {
    return size;
  }

  public long absolute(long volumeOffset) {
    return start + volumeOffset;
  }

  /** Reads exactly {@code dst.remaining()} bytes at {@code volumeOffset}. */
  public void readFully(long volumeOffset, ByteBuffer dst) throws IOException {
    if (volumeOffset < 0 || dst.remaining() > size - volumeOffset) {
      throw new TfsFormatException(
          "read of " + dst.remaining() + " bytes runs past the end of the filesystem (" + size + " bytes)",
          absolute(volumeOffset));
    }
    long pos = start + volumeOffset;
    while (dst.hasRemaining()) {
      int n = readAt(pos, dst);
      if (n < 0) {
        throw new TfsFormatException("image file ends early", pos);
      }
      pos += n;
    }
  }

  /** Reads up to {@code dst.remaining()} bytes at {@code volumeOffset}, at least one unless at the end. */
  public int read(long volumeOffset, ByteBuffer dst) throws IOException {
    int n = readAt(start + volumeOffset, dst);
    if (n < 0) {
      throw new TfsFormatException("image file ends early", start + volumeOffset);
    }
    return n;
  }

  private int readAt(long position, ByteBuffer dst) throws IOException {
    if (image instanceof FileChannel file) {
      return file.read(dst, position);
    }
    synchronized (image) {
      image.position(position);
      return image.read(dst);
    }
  }
}
