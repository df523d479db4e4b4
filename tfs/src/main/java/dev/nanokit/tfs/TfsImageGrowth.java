package dev.nanokit.tfs;

import dev.nanokit.tfs.disk.MbrPartitionTable;
import dev.nanokit.tfs.log.TfsFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

/**
 * Makes a TFS volume, or the root filesystem of a Nanos disk, larger in place, as a larger virtual
 * disk would (docs/formats/disk-image.md, "5.2 Root filesystem"): TFS records no size of its own, so the filesystem is
 * what lies between its start and the end of the file. A bare volume grows by extending the file; a
 * partitioned disk by extending the file and then the sector count of the root partition's MBR entry
 * ("6 MBR partition entries"), which must be the last partition.
 *
 * <p>The order keeps the image valid at every instant: the file is extended (zeros, sparse where the
 * host filesystem allows) and forced first — a disk whose file is longer than its root entry says is
 * still read to the end by the kernel and by {@link TfsVolume}; then the one 16-byte entry is
 * rewritten and forced. A crash leaves the old size or the new one.
 *
 * <p>Stateless; safe for use by any number of threads, though two growing one image at once race.
 */
public final class TfsImageGrowth {
  private TfsImageGrowth() {}

  /**
   * Grows {@code image} to {@code size} bytes, rounded up to a whole 512-byte sector. A size at or
   * below the current one leaves the image as it is.
   *
   * @return the image's size afterwards
   * @throws TfsEditException ({@link TfsEditException.Condition#INVALID}) if the root filesystem is not
   *     the last partition, or the size is past the 2 TiB an MBR entry can describe
   * @throws TfsFormatException if the image is not a TFS volume or Nanos disk
   */
  public static long growTo(Path image, long size) throws IOException {
    FileChannel ch;
    try {
      ch = FileChannel.open(image, StandardOpenOption.READ, StandardOpenOption.WRITE);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(image.toString(), null, "no such file");
    }
    try (ch) {
      long old = ch.size();
      long target = (size + TfsFormat.BLOCK_SIZE - 1) / TfsFormat.BLOCK_SIZE * TfsFormat.BLOCK_SIZE;
      // Only a readable TFS (or a disk whose root filesystem is one) is grown.
      try (TfsVolume v = TfsVolume.open(ch, TfsReadOptions.defaults())) {
        // opened to check it; the channel stays ours
      }
      if (target <= old) {
        return old;
      }
      Optional<MbrPartitionTable> table = MbrPartitionTable.read(ch);
      byte[] rootEntry = null;
      long rootEntryAt = 0;
      if (table.isPresent()) {
        DiskPartition root = table.get().find(DiskPartition.Role.ROOT_FILESYSTEM).orElseThrow();
        for (DiskPartition p : table.get().partitions()) {
          if (p != root && p.offset() > root.offset()) {
            throw new TfsEditException(TfsEditException.Condition.INVALID, "partition " + p.index()
                + " lies after the root filesystem, so the root filesystem cannot grow");
          }
        }
        if (target / TfsFormat.BLOCK_SIZE > 0xFFFFFFFFL) {
          throw new TfsEditException(TfsEditException.Condition.INVALID, target
              + " bytes is past the 2 TiB an MBR partition entry can describe");
        }
        // The entry as the disk's writer wrote it ("6 MBR partition entries"), with the new sector count and last-sector CHS.
        rootEntry = java.util.Arrays.copyOf(MbrPartitionTable.encode(List.of(
            new MbrPartitionTable.Entry(root.offset(), target - root.offset(), root.type()))), 16);
        rootEntryAt = MbrPartitionTable.entryOffset(root.index());
      }
      // 1. The file: one zero byte at the new end (the rest reads as zeros), forced.
      write(ch, target - 1, new byte[1]);
      ch.force(true);
      // 2. The root partition's entry, forced.
      if (rootEntry != null) {
        write(ch, rootEntryAt, rootEntry);
        ch.force(false);
      }
      return target;
    }
  }

  private static void write(FileChannel ch, long at, byte[] bytes) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    while (b.hasRemaining()) {
      at += ch.write(b, at);
    }
  }
}
