package dev.nanokit.tfs.log;

import dev.nanokit.tfs.TfsFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;

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

  /**
   * Writes the {@code count} bytes at {@code volumeOffset} to {@code target}. From an image file the
   * kernel moves them ({@link FileChannel#transferTo}: sendfile on Linux, when {@code target} is a
   * file, a pipe or a socket), so they never pass through the JVM; otherwise they are read and
   * written 64 KiB at a time.
   */
  public void transferTo(long volumeOffset, long count, WritableByteChannel target) throws IOException {
    if (volumeOffset < 0 || count < 0 || count > size - volumeOffset) {
      throw new TfsFormatException(
          "read of " + count + " bytes runs past the end of the filesystem (" + size + " bytes)",
          absolute(Math.max(0, volumeOffset)));
    }
    long pos = start + volumeOffset;
    long end = pos + count;
    if (image instanceof FileChannel file) {
      while (pos < end) {
        long n = file.transferTo(pos, end - pos, target);
        if (n <= 0) {
          if (pos >= file.size()) {
            throw new TfsFormatException("image file ends early", pos);
          }
          break; // the target took nothing (a non-blocking one that is full): copy the rest by hand
        }
        pos += n;
      }
    }
    if (pos < end) {
      ByteBuffer buf = ByteBuffer.allocate((int) Math.min(end - pos, 1 << 16));
      while (pos < end) {
        buf.clear().limit((int) Math.min(buf.capacity(), end - pos));
        int n = readAt(pos, buf);
        if (n < 0) {
          throw new TfsFormatException("image file ends early", pos);
        }
        buf.flip();
        while (buf.hasRemaining()) {
          target.write(buf);
        }
        pos += n;
      }
    }
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
