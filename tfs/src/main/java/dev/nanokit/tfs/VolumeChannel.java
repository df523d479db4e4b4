package dev.nanokit.tfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;

/**
 * The byte range of one filesystem inside an image file. Offsets are relative to the filesystem
 * start (tfs.md conventions); errors report the absolute offset in the image file.
 */
final class VolumeChannel {
  private final SeekableByteChannel image;
  private final long start;
  private final long size;

  VolumeChannel(SeekableByteChannel image, long start, long size) {
    this.image = image;
    this.start = start;
    this.size = size;
  }

  long start() {
    return start;
  }

  long size() {
    return size;
  }

  long absolute(long volumeOffset) {
    return start + volumeOffset;
  }

  /** Reads exactly {@code dst.remaining()} bytes at {@code volumeOffset}. */
  void readFully(long volumeOffset, ByteBuffer dst) throws IOException {
    if (volumeOffset < 0 || dst.remaining() > size - volumeOffset) {
      throw new TfsFormatException(
          "read of " + dst.remaining() + " bytes runs past the end of the filesystem (" + size + " bytes)",
          absolute(volumeOffset));
    }
    long pos = start + volumeOffset;
    while (dst.hasRemaining()) {
      image.position(pos);
      int n = image.read(dst);
      if (n < 0) {
        throw new TfsFormatException("image file ends early", pos);
      }
      pos += n;
    }
  }

  /** Reads up to {@code dst.remaining()} bytes at {@code volumeOffset}, at least one unless at the end. */
  int read(long volumeOffset, ByteBuffer dst) throws IOException {
    image.position(start + volumeOffset);
    int n = image.read(dst);
    if (n < 0) {
      throw new TfsFormatException("image file ends early", start + volumeOffset);
    }
    return n;
  }
}
