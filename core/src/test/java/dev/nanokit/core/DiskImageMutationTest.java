package dev.nanokit.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanokit.testing.manifest.ByteArrayChannel;
import dev.nanokit.testing.manifest.RandomCases;
import dev.nanokit.tfs.TfsFormatException;
import dev.nanokit.tfs.TfsReadOptions;
import dev.nanokit.tfs.TfsVolume;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded mutations of a whole disk image — partition entries, the MBR signature, the ESP type test,
 * both TFS headers, truncations: reading the root or boot filesystem ends in a correct read or a
 * {@link TfsFormatException}, never another exception or a hang.
 */
class DiskImageMutationTest {
  @TempDir Path tmp;

  @Test
  void mutatedDisksReadCorrectlyOrFailWithTheFormatException() throws Exception {
    Path program = tmp.resolve("hello");
    Files.writeString(program, "program");
    Path kernel = tmp.resolve("kernel.img");
    Files.write(kernel, new byte[3000]);
    Path boot = tmp.resolve("boot.img");
    Files.write(boot, NanosImageTest.bootImage(0x1000));
    Path out = tmp.resolve("disk.img");
    NanosImage.from(ImageSource.program(program)).setWorkingDirectory(tmp)
        .setRelease(NanosRelease.ofKernel(kernel).withBootImage(boot))
        .setDependencyFinder((p, r) -> List.of()).writeTo(out);
    byte[] disk = Files.readAllBytes(out);
    long rootOffset = ByteBuffer.wrap(disk).order(ByteOrder.LITTLE_ENDIAN).getInt(0x1CE + 8) * 512L;
    long bootOffset = ByteBuffer.wrap(disk).order(ByteOrder.LITTLE_ENDIAN).getInt(0x1BE + 8) * 512L;
    int[][] hot = {
      {0x1BE, 0x200}, // partition entries and signature
      {(int) bootOffset, (int) bootOffset + 64}, // boot TFS header
      {(int) rootOffset, (int) rootOffset + 64}, // root TFS header
      {(int) rootOffset + 512, (int) rootOffset + 1024}, // root log records
    };
    ExecutorService ex = Executors.newSingleThreadExecutor();
    try {
      RandomCases.run("disk mutants", 500, (r, i) -> {
        int[] range = hot[r.nextInt(hot.length)];
        int at = range[0] + r.nextInt(range[1] - range[0]);
        byte saved = disk[at];
        int length = disk.length;
        if (r.nextInt(6) == 0) {
          length = r.nextInt(disk.length);
        } else {
          disk[at] = mutate(saved, r);
        }
        int len = length;
        try {
          Future<?> f = ex.submit(() -> {
            for (TfsReadOptions.Filesystem fs : TfsReadOptions.Filesystem.values()) {
              TfsReadOptions o = TfsReadOptions.builder().setFilesystem(fs).build();
              try (TfsVolume v = TfsVolume.open(new ByteArrayChannel(disk, len), o)) {
                // It read: what it read must be right, not merely no crash.
                dev.nanokit.tfs.TfsVolumeInfo info = v.info();
                assertThat(info.offset() + info.size()).as("filesystem inside the disk").isLessThanOrEqualTo(len);
                java.util.List<dev.nanokit.tfs.DiskPartition> parts = v.partitions();
                boolean uefi = len >= 512 && (disk[0x1BE + 4] & 0xff) == 0xEF;
                for (dev.nanokit.tfs.DiskPartition p : parts) {
                  // docs/formats/disk-image.md, "8.1 Partition selection rule (used by stage2, the UEFI loader and the kernel)": roles by index, decided by entry 0's type alone
                  assertThat(p.role()).as("role of entry %d", p.index()).isEqualTo(uefi
                      ? new dev.nanokit.tfs.DiskPartition.Role[] {dev.nanokit.tfs.DiskPartition.Role.EFI_SYSTEM,
                          dev.nanokit.tfs.DiskPartition.Role.BOOT_FILESYSTEM,
                          dev.nanokit.tfs.DiskPartition.Role.ROOT_FILESYSTEM}[p.index()]
                      : new dev.nanokit.tfs.DiskPartition.Role[] {dev.nanokit.tfs.DiskPartition.Role.BOOT_FILESYSTEM,
                          dev.nanokit.tfs.DiskPartition.Role.ROOT_FILESYSTEM}[p.index()]);
                }
                dev.nanokit.testing.tfs.VolumeInvariants.check(v, false);
              } catch (TfsFormatException expected) {
                assertThat(expected.getMessage()).isNotBlank();
              }
            }
            return null;
          });
          f.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
          throw new AssertionError("mutant at byte " + at + " (length " + len + ") failed: " + e.getCause(), e);
        } finally {
          disk[at] = saved;
        }
      });
    } finally {
      ex.shutdownNow();
    }
  }

  private static byte mutate(byte b, Random r) {
    return switch (r.nextInt(3)) {
      case 0 -> (byte) (b ^ (1 << r.nextInt(8)));
      case 1 -> (byte) 0xFF;
      default -> (byte) r.nextInt(256);
    };
  }
}
