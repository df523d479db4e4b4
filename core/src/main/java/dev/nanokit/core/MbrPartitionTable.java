package dev.nanokit.core;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The four partition entries of sector 0 (disk-image.md §6): every written entry is active
 * ({@code 80}), CHS values use the 255×63 geometry with the cylinder's high bits packed the
 * non-standard way Nanos and ops both use, unused entries are zeros.
 */
final class MbrPartitionTable {
  static final int ENTRIES_OFFSET = 0x1BE;
  static final int ENTRIES_LENGTH = 64;
  static final int TYPE_ESP = 0xEF;
  static final int TYPE_TFS = 0x83;

  /** One entry: byte offset and length on the disk, MBR type. */
  record Entry(long offset, long length, int type) {
    Entry {
      if (offset % 512 != 0 || length % 512 != 0 || length <= 0) {
        throw new IllegalArgumentException("partition must be whole sectors: offset " + offset + " length " + length);
      }
      if ((offset + length) / 512 > 0xFFFFFFFFL) {
        throw new IllegalArgumentException("partition ends past 2 TiB, beyond 32-bit LBA: " + (offset + length));
      }
    }
  }

  private MbrPartitionTable() {}

  /** The 64 bytes at 0x1BE for up to four entries. */
  static byte[] encode(List<Entry> entries) {
    if (entries.size() > 4) {
      throw new IllegalArgumentException("an MBR holds 4 entries, not " + entries.size());
    }
    ByteBuffer b = ByteBuffer.allocate(ENTRIES_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
    for (Entry e : entries) {
      b.put((byte) 0x80);
      b.put(chs(e.offset()));
      b.put((byte) e.type());
      b.put(chs(e.offset() + e.length() - 512));
      b.putInt((int) (e.offset() / 512));
      b.putInt((int) (e.length() / 512));
    }
    return b.array();
  }

  static byte[] chs(long byteOffset) {
    long lba = byteOffset / 512;
    long cyl = (lba / 63) / 255;
    long head = (lba / 63) % 255;
    long sec = (lba % 63) + 1;
    if (cyl > 1023) {
      cyl = 1023;
      head = 254;
      sec = 63;
    }
    // Not the standard (cyl >> 2) & 0xC0 packing: reproduced for byte-identical images (§6).
    return new byte[] {(byte) head, (byte) (((cyl >> 8) | sec) & 0xFF), (byte) (cyl & 0xFF)};
  }
}
