package dev.nanokit.elf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;

/**
 * Bounds-checked positional reads over a channel.
 *
 * <p>Every read is validated against the file size before any buffer is allocated, so a hostile
 * length can never cause a large allocation or a read past the end (docs/formats/elf-deps.md, "2 ELF64 structures needed": all offsets
 * in the headers are untrusted 64-bit values).
 */
final class ByteSource {
  /** Upper bound for any single structure we load; real ELF metadata is far smaller. */
  static final int MAX_READ = 16 << 20;

  private final SeekableByteChannel channel;
  private final String name;
  private final long size;
  private ByteOrder order = ByteOrder.LITTLE_ENDIAN;

  ByteSource(SeekableByteChannel channel, String name) throws IOException {
    this.channel = channel;
    this.name = name;
    this.size = channel.size();
  }

  long size() {
    return size;
  }

  String name() {
    return name;
  }

  void order(ByteOrder order) {
    this.order = order;
  }

  ElfFormatException error(String reason, long offset) {
    return new ElfFormatException(name, reason, offset);
  }

  /** True if {@code [offset, offset+length)} lies inside the file; all values unsigned. */
  boolean inFile(long offset, long length) {
    if (offset < 0 || length < 0) {
      return false; // unsigned values >= 2^63 can never be inside a real file
    }
    return offset <= size && length <= size - offset;
  }

  void check(long offset, long length, String what) throws ElfFormatException {
    if (!inFile(offset, length)) {
      throw error(what + " (" + Long.toUnsignedString(length) + " bytes) extends beyond end of file (size "
          + size + ")", offset);
    }
  }

  /** Reads exactly {@code length} bytes at {@code offset} after checking bounds. */
  ByteBuffer read(long offset, long length, String what) throws IOException {
    return read(offset, length, what, MAX_READ);
  }

  /**
   * Like {@link #read(long, long, String)} with a caller-chosen cap, for tables such as
   * {@code .strtab} that legitimately exceed {@link #MAX_READ} but are still bounded by the file.
   */
  ByteBuffer read(long offset, long length, String what, int maxBytes) throws IOException {
    check(offset, length, what);
    if (length > maxBytes) {
      throw error(what + " too large (" + length + " bytes)", offset);
    }
    ByteBuffer buf = ByteBuffer.allocate((int) length).order(order);
    long pos = offset;
    while (buf.hasRemaining()) {
      channel.position(pos);
      int n = channel.read(buf);
      if (n < 0) {
        // The file shrank while we read it.
        throw error(what + " truncated", pos);
      }
      pos += n;
    }
    return buf.flip();
  }

  /**
   * Reads a NUL-terminated string starting at {@code offset} that must end before {@code limit}
   * (exclusive, already known to be within the file).
   */
  String readString(long offset, long limit, String what) throws IOException {
    if (offset < 0 || limit < 0 || offset >= limit || limit > size) {
      throw error(what + " outside its table", offset);
    }
    final int chunk = 256;
    final int maxLen = 64 * 1024; // far beyond PATH_MAX; stops pathological scans
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    long pos = offset;
    while (pos < limit) {
      int n = (int) Math.min(chunk, limit - pos);
      ByteBuffer b = read(pos, n, what);
      for (int i = 0; i < n; i++) {
        byte c = b.get(i);
        if (c == 0) {
          return new String(out.toByteArray(), java.nio.charset.StandardCharsets.UTF_8);
        }
        out.write(c);
      }
      pos += n;
      if (out.size() > maxLen) {
        throw error(what + " longer than " + maxLen + " bytes", offset);
      }
    }
    throw error(what + " not NUL-terminated", offset);
  }
}
