package dev.nanokit.elf;

import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/** Read-only in-memory channel so fuzz tests do not touch the disk. */
final class MemoryChannel implements SeekableByteChannel {
  private final byte[] data;
  private final int length;
  private long position;
  private boolean open = true;

  MemoryChannel(byte[] data) {
    this(data, data.length);
  }

  MemoryChannel(byte[] data, int length) {
    this.data = data;
    this.length = length;
  }

  @Override
  public int read(ByteBuffer dst) {
    if (position >= length) {
      return -1;
    }
    int n = (int) Math.min(dst.remaining(), length - position);
    dst.put(data, (int) position, n);
    position += n;
    return n;
  }

  @Override
  public int write(ByteBuffer src) {
    throw new NonWritableChannelException();
  }

  @Override
  public long position() {
    return position;
  }

  @Override
  public SeekableByteChannel position(long newPosition) {
    position = newPosition;
    return this;
  }

  @Override
  public long size() {
    return length;
  }

  @Override
  public SeekableByteChannel truncate(long size) {
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
}
