package dev.nanokit.testing.tfs;

import dev.nanokit.manifest.codec.Varint;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds volume bytes record by record, for tests that need logs no writer would produce: kernel
 * appends, split tuples, mixed versions, and corruptions. Block 0 links to an extension at block 1.
 */
public final class RawVolume {
  private final byte[] image;
  private int extensionStart = 1;
  private int version = 5;
  private final int extensionBlocks;
  private ByteArrayOutputStream ext;

  /** A volume of {@code blocks} blocks whose block 0 links to a 1024-block extension at block 1. */
  public RawVolume(int blocks, String label, int version) {
    this(blocks, label, version, 1024);
  }

  /**
   * A volume whose extensions are {@code extensionBlocks} long: small ones make small images, for
   * generators that build thousands.
   */
  public RawVolume(int blocks, String label, int version, int extensionBlocks) {
    this.extensionBlocks = extensionBlocks;
    this.image = new byte[blocks * 512];
    this.version = version;
    ByteArrayOutputStream b0 = new ByteArrayOutputStream();
    b0.writeBytes("NVMTFS".getBytes(StandardCharsets.US_ASCII));
    Varint.write(b0, version);
    Varint.write(b0, 1);
    for (int i = 0; i < 16; i++) {
      b0.write(i * 0x11);
    }
    b0.writeBytes(label.getBytes(StandardCharsets.UTF_8));
    b0.write(0);
    b0.write(0x05);
    Varint.write(b0, 1);
    Varint.write(b0, extensionBlocks);
    b0.write(0x01);
    System.arraycopy(b0.toByteArray(), 0, image, 0, b0.size());
    startExtension(version);
  }

  private void startExtension(int v) {
    ext = new ByteArrayOutputStream();
    ext.writeBytes("NVMTFS".getBytes(StandardCharsets.US_ASCII));
    Varint.write(ext, v);
    Varint.write(ext, extensionBlocks);
    this.version = v;
  }

  /** A TUPLE_AVAILABLE record holding all of {@code tuple}. */
  public RawVolume tuple(byte[] tuple) {
    ext.write(0x02);
    Varint.write(ext, tuple.length);
    Varint.write(ext, tuple.length);
    ext.writeBytes(tuple);
    return this;
  }

  /** A TUPLE_AVAILABLE with the first {@code first} bytes; the rest goes into the next extension. */
  public RawVolume splitTuple(byte[] tuple, int first, int nextExtensionBlock) {
    ext.write(0x02);
    Varint.write(ext, tuple.length);
    Varint.write(ext, first);
    ext.write(tuple, 0, first);
    link(nextExtensionBlock, version);
    ext.write(0x03);
    Varint.write(ext, tuple.length - first);
    ext.write(tuple, first, tuple.length - first);
    return this;
  }

  /** Links to a new 1024-block extension at {@code block} with encoding {@code v}. */
  public RawVolume link(int block, int v) {
    ext.write(0x05);
    Varint.write(ext, block);
    Varint.write(ext, extensionBlocks);
    ext.write(0x01);
    flush();
    extensionStart = block;
    startExtension(v);
    return this;
  }

  public RawVolume raw(int... bytes) {
    for (int b : bytes) {
      ext.write(b);
    }
    return this;
  }

  public RawVolume data(long block, byte[] bytes) {
    System.arraycopy(bytes, 0, image, (int) (block * 512), bytes.length);
    return this;
  }

  /** Ends the log with END_OF_LOG and returns the image bytes. */
  public byte[] build() {
    ext.write(0x01);
    flush();
    return image;
  }

  /** Returns the image without terminating the log. */
  public byte[] buildUnterminated() {
    flush();
    return image;
  }

  private void flush() {
    byte[] b = ext.toByteArray();
    Arrays.fill(image, extensionStart * 512, extensionStart * 512 + extensionBlocks * 512, (byte) 0);
    System.arraycopy(b, 0, image, extensionStart * 512, b.length);
  }
}
