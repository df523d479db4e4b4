package dev.nanokit.tfs.disk;

import dev.nanokit.tfs.DiskPartition;
import dev.nanokit.tfs.log.TfsFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The MBR partition table of a Nanos disk, read and written in one place.
 *
 * <p>Reading finds the Nanos partitions by the rule of docs/formats/disk-image.md, "8.1 Partition selection rule (used by stage2, the UEFI loader and the kernel)": no
 * {@code 55 AA} signature means no partition table (a bare TFS volume); otherwise entry 0 of type
 * {@code EF} makes entries 0, 1, 2 the ESP, boot and root filesystems, else entries 0 and 1 are boot
 * and root. Writing ("6 MBR partition entries") makes every entry active ({@code 80}), packs CHS values for the 255×63
 * geometry with the cylinder's high bits the non-standard way Nanos and ops both use, and leaves
 * unused entries zero. Immutable.
 */
public final class MbrPartitionTable {
  public static final int ENTRIES_OFFSET = 0x1BE;
  public static final int ENTRIES_LENGTH = 64;
  public static final int TYPE_ESP = 0xEF;
  public static final int TYPE_TFS = 0x83;
  private static final int ENTRY_TABLE = ENTRIES_OFFSET;
  private static final int ENTRY_SIZE = 16;

  /** One entry to write: byte offset and length on the disk, MBR type. */
  public record Entry(long offset, long length, int type) {
    public Entry {
      if (offset % 512 != 0 || length % 512 != 0 || length <= 0) {
        throw new IllegalArgumentException("partition must be whole sectors: offset " + offset + " length " + length);
      }
      if ((offset + length) / 512 > 0xFFFFFFFFL) {
        throw new IllegalArgumentException("partition ends past 2 TiB, beyond 32-bit LBA: " + (offset + length));
      }
    }
  }

  private final List<DiskPartition> partitions;

  private MbrPartitionTable(List<DiskPartition> partitions) {
    this.partitions = List.copyOf(partitions);
  }

  /** The partition table of {@code disk}, or empty if sector 0 carries no MBR signature. */
  public static Optional<MbrPartitionTable> read(SeekableByteChannel disk) throws IOException {
    if (disk.size() < TfsFormat.BLOCK_SIZE) {
      return Optional.empty();
    }
    ByteBuffer sector = ByteBuffer.allocate(TfsFormat.BLOCK_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    disk.position(0);
    while (sector.hasRemaining() && disk.read(sector) >= 0) {
      // read fully
    }
    if ((sector.get(0x1FE) & 0xff) != 0x55 || (sector.get(0x1FF) & 0xff) != 0xAA) {
      return Optional.empty();
    }
    boolean uefi = (sector.get(ENTRY_TABLE + 4) & 0xff) == TYPE_ESP;
    DiskPartition.Role[] roles = uefi
        ? new DiskPartition.Role[] {
            DiskPartition.Role.EFI_SYSTEM, DiskPartition.Role.BOOT_FILESYSTEM, DiskPartition.Role.ROOT_FILESYSTEM}
        : new DiskPartition.Role[] {DiskPartition.Role.BOOT_FILESYSTEM, DiskPartition.Role.ROOT_FILESYSTEM};
    List<DiskPartition> found = new ArrayList<>();
    for (int i = 0; i < roles.length; i++) {
      int at = ENTRY_TABLE + ENTRY_SIZE * i;
      int type = sector.get(at + 4) & 0xff;
      long lba = Integer.toUnsignedLong(sector.getInt(at + 8));
      long sectors = Integer.toUnsignedLong(sector.getInt(at + 12));
      if (type == 0 && lba == 0 && sectors == 0) {
        continue;
      }
      found.add(new DiskPartition(i, roles[i], type, lba * TfsFormat.BLOCK_SIZE, sectors * TfsFormat.BLOCK_SIZE));
    }
    return Optional.of(new MbrPartitionTable(found));
  }

  public List<DiskPartition> partitions() {
    return partitions;
  }

  public Optional<DiskPartition> find(DiskPartition.Role role) {
    return partitions.stream().filter(p -> p.role() == role).findFirst();
  }

  /** Byte offset of the entry for {@code index} in sector 0, for error messages. */
  public static long entryOffset(int index) {
    return ENTRY_TABLE + (long) ENTRY_SIZE * index;
  }

  /** The 64 bytes at 0x1BE for up to four entries. */
  public static byte[] encode(List<Entry> entries) {
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

  /** Head, sector|cylinder-high, cylinder-low of a byte offset. */
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
    // Not the standard (cyl >> 2) & 0xC0 packing: reproduced for byte-identical images ("6 MBR partition entries").
    return new byte[] {(byte) head, (byte) (((cyl >> 8) | sec) & 0xFF), (byte) (cyl & 0xFF)};
  }
}
