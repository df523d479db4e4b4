package dev.nanokit.core.disk;

import dev.nanokit.core.ImageFormatException;
import dev.nanokit.core.ImageResult;
import dev.nanokit.core.ProgressEvent;
import dev.nanokit.tfs.TfsWriteResult;
import dev.nanokit.tfs.TfsWriter;
import dev.nanokit.tfs.disk.AtomicFile;
import dev.nanokit.tfs.disk.MbrPartitionTable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Assembles a bootable disk by the recipe of docs/formats/disk-image.md, "9 Build recipe": boot.img (or a bare MBR) at 0, the
 * 4096-byte klog area, the optional ESP, the 12 MiB boot TFS, the root TFS to the end of the file,
 * then the partition entries of sector 0 from the final length. Written whole or not at all
 * ({@link AtomicFile}), so a failure never leaves a partial OUT.
 */
public final class DiskAssembler {
  public static final long BOOT_FS_SIZE = 12L << 20;

  private DiskAssembler() {}

  public record Layout(long p0, long espOffset, long bootOffset, long rootOffset) {
    public static Layout of(BootImage boot, boolean uefi) {
      long p0 = boot.firstPartitionOffset();
      long bootOffset = uefi ? p0 + EfiSystemPartition.SIZE : p0;
      return new Layout(p0, uefi ? p0 : -1, bootOffset, bootOffset + BOOT_FS_SIZE);
    }
  }

  /**
   * Writes the disk. {@code requestedSize} (≤ 0: none) is the whole file's size; the root TFS gets
   * what is left after the fixed parts, and an error names the size needed when that is too little.
   */
  public static ImageResult write(Path out, BootImage boot, UefiLoader uefiLoader, TfsWriter bootFs, TfsWriter rootFs,
      long requestedSize, java.util.function.Consumer<? super ProgressEvent> progress) throws IOException {
    Layout layout = Layout.of(boot, uefiLoader != null);
    bootFs.setSize(BOOT_FS_SIZE).setMinimumFreeBytes(0);
    long bootNeeds = bootFs.requiredBytes();
    if (bootNeeds > BOOT_FS_SIZE) {
      throw new ImageFormatException("the kernel and klibs need " + bootNeeds + " bytes, more than the "
          + BOOT_FS_SIZE + "-byte boot filesystem holds");
    }
    if (requestedSize > 0) {
      long size = (requestedSize + 511) / 512 * 512;
      long needed = layout.rootOffset() + rootFs.requiredBytes();
      if (size < needed) {
        throw new ImageFormatException("image size " + size + " bytes is too small: it needs at least " + needed
            + " bytes (" + layout.rootOffset() + " before the root filesystem + " + rootFs.requiredBytes()
            + " for its content and the free room the kernel needs)");
      }
      rootFs.setSize(size - layout.rootOffset());
    }

    Path target = out.toAbsolutePath().normalize();
    return AtomicFile.write(target, ch -> {
      write(ch, 0, ByteBuffer.wrap(boot.bytes()));
      if (uefiLoader != null) {
        progress.accept(new ProgressEvent("esp", 0, -1));
        EfiSystemPartition.write(ch, layout.espOffset(), uefiLoader);
      }
      progress.accept(new ProgressEvent("bootfs", 0, -1));
      bootFs.writeTo(ch, layout.bootOffset());
      progress.accept(new ProgressEvent("rootfs", 0, -1));
      TfsWriteResult root = rootFs.writeTo(ch, layout.rootOffset());
      long length = layout.rootOffset() + root.sizeBytes();
      if (ch.size() < length) {
        write(ch, length - 1, ByteBuffer.wrap(new byte[1]));
      }
      progress.accept(new ProgressEvent("partition table", 0, -1));
      List<MbrPartitionTable.Entry> entries = new ArrayList<>();
      if (uefiLoader != null) {
        entries.add(new MbrPartitionTable.Entry(layout.espOffset(), EfiSystemPartition.SIZE, MbrPartitionTable.TYPE_ESP));
      }
      entries.add(new MbrPartitionTable.Entry(layout.bootOffset(), BOOT_FS_SIZE, MbrPartitionTable.TYPE_TFS));
      entries.add(new MbrPartitionTable.Entry(layout.rootOffset(), length - layout.rootOffset(),
          MbrPartitionTable.TYPE_TFS));
      write(ch, MbrPartitionTable.ENTRIES_OFFSET, ByteBuffer.wrap(MbrPartitionTable.encode(entries)));
      return new ImageResult(target, length, true, layout.rootOffset(), root.uuid(), root.freeBytes());
    });
  }

  private static void write(FileChannel ch, long at, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      at += ch.write(b, at);
    }
  }
}
