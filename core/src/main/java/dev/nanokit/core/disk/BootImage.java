package dev.nanokit.core.disk;

import dev.nanokit.core.ImageFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * boot.img: stage1 in sector 0 and stage2 after it (docs/formats/disk-image.md, "2 boot.img (x86-64 BIOS)"). The filesystem region record
 * at 0x1AA says how long stage2 is; partitions are placed from it, so it must agree with the file
 * ("10 Discrepancies and ambiguities" item 3: a mismatch silently misplaces every partition).
 */
public final class BootImage {
  private static final int REGION_RECORD = 0x1AA;
  private static final int REGION_FILESYSTEM = 12;
  /** Far larger than any real stage2 (32 KiB); bounds what we read. */
  private static final long MAX_SIZE = 16L << 20;

  private final byte[] bytes;
  private final long stage2Length;

  private BootImage(byte[] bytes, long stage2Length) {
    this.bytes = bytes;
    this.stage2Length = stage2Length;
  }

  public static BootImage read(Path path) throws IOException {
    long size = Files.size(path);
    if (size < 512 || size > MAX_SIZE || size % 512 != 0) {
      throw new ImageFormatException(path + ": a boot image is a whole number of 512-byte sectors up to "
          + MAX_SIZE + " bytes, not " + size + " bytes");
    }
    byte[] bytes = Files.readAllBytes(path);
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if ((bytes[0x1FE] & 0xff) != 0x55 || (bytes[0x1FF] & 0xff) != 0xAA) {
      throw new ImageFormatException(path + ": no 55 AA boot signature at byte offset 510");
    }
    int type = b.getInt(REGION_RECORD + 16);
    if (type != REGION_FILESYSTEM) {
      throw new ImageFormatException(path + ": filesystem region record type is " + type + ", not 12, at byte offset "
          + (REGION_RECORD + 16));
    }
    long length = b.getLong(REGION_RECORD + 8);
    if (length != size - 512) {
      throw new ImageFormatException(path + ": region record says stage2 is " + length + " bytes (byte offset "
          + (REGION_RECORD + 8) + ") but the file holds " + (size - 512));
    }
    return new BootImage(bytes, length);
  }

  /** A disk with no boot loader: a zero sector with only the signature ("1 Overall layout"), S = 0. */
  public static BootImage none() {
    byte[] sector = new byte[512];
    sector[0x1FE] = 0x55;
    sector[0x1FF] = (byte) 0xAA;
    return new BootImage(sector, 0);
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  public long stage2Length() {
    return stage2Length;
  }

  /** Byte offset of the first partition: boot.img, then the 4096-byte klog area ("1 Overall layout", "3 klog dump area"). */
  public long firstPartitionOffset() {
    return 512 + stage2Length + 4096;
  }
}
