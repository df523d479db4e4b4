package dev.nanokit.tfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads sector 0 of a disk and finds the Nanos partitions by the rule of disk-image.md §8.1: no
 * {@code 55 AA} signature means no partition table (a bare TFS volume); otherwise entry 0 of type
 * {@code EF} makes entries 0, 1, 2 the ESP, boot and root filesystems, else entries 0 and 1 are boot
 * and root.
 */
final class MbrPartitionTable {
  private static final int ENTRY_TABLE = 0x1BE;
  private static final int ENTRY_SIZE = 16;
  private static final int TYPE_ESP = 0xEF;

  private final List<DiskPartition> partitions;

  private MbrPartitionTable(List<DiskPartition> partitions) {
    this.partitions = List.copyOf(partitions);
  }

  /** The partition table of {@code disk}, or empty if sector 0 carries no MBR signature. */
  static Optional<MbrPartitionTable> read(SeekableByteChannel disk) throws IOException {
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

  List<DiskPartition> partitions() {
    return partitions;
  }

  Optional<DiskPartition> find(DiskPartition.Role role) {
    return partitions.stream().filter(p -> p.role() == role).findFirst();
  }

  /** Byte offset of the entry for {@code index} in sector 0, for error messages. */
  static long entryOffset(int index) {
    return ENTRY_TABLE + (long) ENTRY_SIZE * index;
  }
}
