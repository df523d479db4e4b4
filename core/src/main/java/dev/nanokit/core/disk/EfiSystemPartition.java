package dev.nanokit.core.disk;

import dev.nanokit.core.ImageFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The 33 MiB FAT32 EFI System Partition holding {@code EFI/Boot/bootx64.efi} or {@code bootaa64.efi}, as the
 * loader's PE machine says
 * (docs/formats/disk-image.md, "4 EFI System Partition (optional, `-u` / `Uefi`)"). Geometry, directory entries and constants are those Nanos and ops write; unlike
 * theirs, the FAT is made consistent so that {@code fsck.fat -n} reports it clean ("10 Discrepancies and ambiguities" item 7): FAT #2
 * copies FAT #1, the loader's cluster chain is exactly as long as the file, the FSInfo counters are
 * true, and the backup boot sector and backup FSInfo are where the BPB says.
 */
public final class EfiSystemPartition {
  public static final long SIZE = 33L << 20;
  private static final int SECTOR = 512;
  private static final int RESERVED_SECTORS = 32;
  private static final int FAT_SECTORS = 518;
  private static final int TOTAL_SECTORS = 67_276;
  private static final long FAT1 = RESERVED_SECTORS * SECTOR;
  private static final long FAT2 = FAT1 + (long) FAT_SECTORS * SECTOR;
  private static final long DATA = FAT2 + (long) FAT_SECTORS * SECTOR;
  private static final int DATA_CLUSTERS = TOTAL_SECTORS - RESERVED_SECTORS - 2 * FAT_SECTORS;
  private static final int LOADER_CLUSTER = 5;
  /** The loader's clusters must fit in the data region: clusters 5 … DATA_CLUSTERS + 1. */
  public static final long MAX_LOADER_SIZE = (long) (DATA_CLUSTERS + 2 - LOADER_CLUSTER) * SECTOR;

  private static final byte[] BOOT_SECTOR_START = hex(
      "EB58906D6B66732E66617400020120000200000000F800002000400000000000"
          + "CC06010006020000000000000200000001000600000000000000000000000000"
          + "800029 9EF943DF 4E4F204E414D45202020 2046415433322020200E1FBE777CAC"
          + "22C0740B56B40EBB0700CD105EEBF032E4CD16CD19EBFE54686973206973206E"
          + "6F74206120626F6F7461626C65206469736B2E2020506C6561736520696E7365"
          + "7274206120626F6F7461626C6520666C6F70707920616E640D0A707265737320"
          + "616E79206B657920746F2074727920616761696E202E2E2E200D0A");

  private static final byte[] ROOT_DIRECTORY = hex(
      "454649202020202020202010000060397C527C52000060397C52030000000000");

  private static final byte[] EFI_DIRECTORY = hex(
      "2E2020202020202020202010000 08F9C7B527B520000 8F9C7B52030000000000"
          + "2E2E20202020202020202010000 08F9C7B527B520000 8F9C7B52000000000000"
          + "4142006F006F00740000000F00DDFFFF FFFFFFFFFFFFFFFFFFFF0000FFFFFFFF"
          + "424F4F5420202020202020100000 8F9C7B527B5200008F9C7B52040000000000");

  private static final String BOOT_DOTS =
      "2E2020202020202020202010000 08F9C7B527B520000 8F9C7B52040000000000"
          + "2E2E20202020202020202010000 08F9C7B527B520000 8F9C7B52030000000000";

  private static final byte[] BOOT_DIRECTORY_X64 = hex(BOOT_DOTS
      + "41620 06F006F007400780 00F001D3600340 02E006500660069000000 0000FFFF"
      + "424F4F54583634204546492000008F9C7B527B5200008F9C7B52050000000000");

  private static final byte[] BOOT_DIRECTORY_AA64 = hex(BOOT_DOTS
      + "416200 6F006F00740061000F0054610036003400 2E0065006600000069000000"
      + "424F4F54414136344546492000644B9C7B527B5200004B9C7B52050000000000");

  private EfiSystemPartition() {}

  /**
   * Writes the partition at {@code offset} of {@code disk}, the loader under the name its PE machine
   * calls for; bytes not written stay zero (sparse).
   */
  public static void write(FileChannel disk, long offset, UefiLoader uefi) throws IOException {
    boolean x64 = uefi.machine() == UefiLoader.Machine.X86_64;
    Path loader = uefi.file();
    try (FileChannel in = FileChannel.open(loader, StandardOpenOption.READ)) {
      long size = in.size();
      if (size > MAX_LOADER_SIZE) {
        throw new ImageFormatException(loader + ": a UEFI loader of " + size + " bytes does not fit in the "
            + "EFI system partition (at most " + MAX_LOADER_SIZE + " bytes)");
      }
      int clusters = (int) ((size + SECTOR - 1) / SECTOR);

      ByteBuffer boot = sector();
      boot.put(BOOT_SECTOR_START);
      boot.put(0x1FE, (byte) 0x55).put(0x1FF, (byte) 0xAA);
      ByteBuffer fsInfo = sector();
      fsInfo.putInt(0, 0x41615252).putInt(0x1E4, 0x61417272);
      fsInfo.putInt(0x1E8, DATA_CLUSTERS - 3 - clusters); // free: all but root, EFI, EFI/BOOT and the loader
      fsInfo.putInt(0x1EC, LOADER_CLUSTER + clusters); // next free
      fsInfo.put(0x1FE, (byte) 0x55).put(0x1FF, (byte) 0xAA);
      put(disk, offset, boot);
      put(disk, offset + SECTOR, fsInfo);
      put(disk, offset + 6L * SECTOR, boot);
      put(disk, offset + 7L * SECTOR, fsInfo);

      ByteBuffer fat = ByteBuffer.allocate(4 * (LOADER_CLUSTER + clusters)).order(ByteOrder.LITTLE_ENDIAN);
      fat.putInt(0x0FFFFFF8).putInt(0x0FFFFFFF).putInt(0x0FFFFFF8).putInt(0x0FFFFFFF).putInt(0x0FFFFFFF);
      for (int c = LOADER_CLUSTER; c < LOADER_CLUSTER + clusters; c++) {
        fat.putInt(c == LOADER_CLUSTER + clusters - 1 ? 0x0FFFFFFF : c + 1);
      }
      put(disk, offset + FAT1, fat);
      put(disk, offset + FAT2, fat);

      put(disk, offset + DATA, ByteBuffer.wrap(ROOT_DIRECTORY));
      put(disk, offset + DATA + SECTOR, ByteBuffer.wrap(EFI_DIRECTORY));
      ByteBuffer bootDir = ByteBuffer.wrap((x64 ? BOOT_DIRECTORY_X64 : BOOT_DIRECTORY_AA64).clone())
          .order(ByteOrder.LITTLE_ENDIAN);
      bootDir.putInt(0x7C, (int) size);
      if (size == 0) {
        bootDir.putShort(0x74, (short) 0).putShort(0x7A, (short) 0); // an empty file owns no cluster
      }
      put(disk, offset + DATA + 2L * SECTOR, bootDir);

      long at = offset + DATA + 3L * SECTOR;
      long done = 0;
      while (done < size) {
        long n = in.transferTo(done, size - done, disk.position(at + done));
        if (n <= 0) {
          throw new IOException(loader + ": short read at byte " + done);
        }
        done += n;
      }
    }
  }

  private static ByteBuffer sector() {
    return ByteBuffer.allocate(SECTOR).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static void put(FileChannel disk, long at, ByteBuffer b) throws IOException {
    b.rewind();
    while (b.hasRemaining()) {
      at += disk.write(b, at);
    }
  }

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  static {
    if (BOOT_SECTOR_START.length != 219 || EFI_DIRECTORY.length != 128 || BOOT_DIRECTORY_X64.length != 128
        || BOOT_DIRECTORY_AA64.length != 128 || ROOT_DIRECTORY.length != 32) {
      throw new AssertionError("ESP constant blocks have the wrong length");
    }
  }
}
