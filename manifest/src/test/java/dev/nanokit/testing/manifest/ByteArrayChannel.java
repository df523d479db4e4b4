package dev.nanokit.testing.manifest;

import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/** A read-only channel over a byte array, for tests that mutate an image in memory. */
public final class ByteArrayChannel implements SeekableByteChannel {
  private final byte[] bytes;
  private final int length;
  private long position;
  private long bytesRead;
  private boolean open = true;

  public ByteArrayChannel(byte[] bytes) {
    this(bytes, bytes.length);
  }

  /** A channel over the first {@code length} bytes only: a truncated image without copying it. */
  public ByteArrayChannel(byte[] bytes, int length) {
    this.bytes = bytes;
    this.length = length;
  }

  @Override
  public int read(ByteBuffer dst) {
    if (position >= length) {
      return -1;
    }
    int n = (int) Math.min(dst.remaining(), length - position);
    dst.put(bytes, (int) position, n);
    position += n;
    bytesRead += n;
    return n;
  }

  /** Bytes handed out by {@link #read} so far: what a reader consumed of the image. */
  public long bytesRead() {
    return bytesRead;
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
