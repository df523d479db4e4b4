package dev.nanokit.tfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;

/**
 * A file's bytes as a range of a host file: how {@link TarTreeReader} hands the writer the contents
 * it spooled, so a tar is read once and no file is held in memory. The range is read with
 * positional reads, so slices of one spool can be read in any order (the writer's layout order).
 */
final class FileSlice implements TfsWriterTree.Content {
  private final Path file;
  private final long offset;
  private final long length;
  private final String origin;

  FileSlice(Path file, long offset, long length, String origin) {
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("negative slice " + offset + "+" + length + " of " + file);
    }
    this.file = file;
    this.offset = offset;
    this.length = length;
    this.origin = origin;
  }

  @Override
  public ReadableByteChannel open() throws IOException {
    FileChannel ch = FileChannel.open(file);
    return new ReadableByteChannel() {
      private long position = offset;
      private final long end = offset + length;

      @Override
      public int read(ByteBuffer dst) throws IOException {
        if (position >= end) {
          return -1;
        }
        int limit = dst.limit();
        dst.limit(dst.position() + (int) Math.min(dst.remaining(), end - position));
        try {
          int n = ch.read(dst, position);
          if (n > 0) {
            position += n;
          }
          return n;
        } finally {
          dst.limit(limit);
        }
      }

      @Override
      public boolean isOpen() {
        return ch.isOpen();
      }

      @Override
      public void close() throws IOException {
        ch.close();
      }
    };
  }

  @Override
  public String origin() {
    return origin;
  }
}
