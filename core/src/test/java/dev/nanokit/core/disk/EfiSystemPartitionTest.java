package dev.nanokit.core.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EfiSystemPartitionTest {
  @TempDir Path tmp;

  private byte[] build(String loaderName, int loaderSize, long offset) throws Exception {
    return build(loaderName, UefiLoader.Machine.X86_64, loaderSize, offset);
  }

  private byte[] build(String loaderName, UefiLoader.Machine machine, int loaderSize, long offset) throws Exception {
    Path dir = Files.createTempDirectory(tmp, "esp");
    Path loader = dir.resolve(loaderName);
    byte[] content = new byte[loaderSize];
    for (int i = 0; i < loaderSize; i++) {
      content[i] = (byte) (i * 7 + 1);
    }
    Files.write(loader, content);
    Path disk = dir.resolve("disk.img");
    try (FileChannel ch = FileChannel.open(disk, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
        StandardOpenOption.READ)) {
      EfiSystemPartition.write(ch, offset, new UefiLoader(loader, machine));
      ch.write(ByteBuffer.allocate(1), offset + EfiSystemPartition.SIZE - 1);
    }
    return Arrays.copyOfRange(Files.readAllBytes(disk), (int) offset, (int) (offset + EfiSystemPartition.SIZE));
  }

  @Test
  void writesTheSpecLayoutWithAConsistentFat() throws Exception {
    byte[] esp = build("bootx64.efi", 100, 0);
    ByteBuffer b = ByteBuffer.wrap(esp).order(ByteOrder.LITTLE_ENDIAN);
    // Boot sector, backup at sector 6, FSInfo at 1 and 7.
    assertThat(Arrays.copyOfRange(esp, 0, 11)).isEqualTo(HexFormat.of().parseHex("EB58906D6B66732E666174"));
    assertThat(b.getInt(0x20)).isEqualTo(67_276);
    assertThat(Arrays.copyOfRange(esp, 0xC00, 0xE00)).isEqualTo(Arrays.copyOfRange(esp, 0, 0x200));
    assertThat(Arrays.copyOfRange(esp, 0xE00, 0x1000)).isEqualTo(Arrays.copyOfRange(esp, 0x200, 0x400));
    assertThat(b.getInt(0x3E8)).isEqualTo(66_208 - 3 - 1);
    assertThat(b.getInt(0x3EC)).isEqualTo(6);
    // FAT #1: the loader's one cluster ends its chain (Nanos and ops chain two spare clusters).
    assertThat(HexFormat.ofDelimiter(" ").withUpperCase().formatHex(esp, 0x4000, 0x4000 + 28))
        .isEqualTo("F8 FF FF 0F FF FF FF 0F F8 FF FF 0F FF FF FF 0F FF FF FF 0F FF FF FF 0F 00 00 00 00");
    assertThat(Arrays.copyOfRange(esp, 0x44C00, 0x44C00 + 518 * 512))
        .isEqualTo(Arrays.copyOfRange(esp, 0x4000, 0x4000 + 518 * 512));
    // EFI/BOOT directory: short entry with the size; loader bytes at cluster 5.
    assertThat(new String(esp, 0x85C60, 11, StandardCharsets.US_ASCII)).isEqualTo("BOOTX64 EFI");
    assertThat(b.getInt(0x85C7C)).isEqualTo(100);
    assertThat(esp[0x85E00]).isEqualTo((byte) 1);
    assertThat(esp[0x85E00 + 99]).isEqualTo((byte) (99 * 7 + 1));
  }

  @Test
  void namesTheLoaderAfterItsMachineNotItsFileName() throws Exception {
    byte[] esp = build("bootx64.efi", UefiLoader.Machine.AARCH64, 1500, 0);
    assertThat(new String(esp, 0x85C60, 11, StandardCharsets.US_ASCII)).isEqualTo("BOOTAA64EFI");
    assertThat(ByteBuffer.wrap(esp).order(ByteOrder.LITTLE_ENDIAN).getInt(0x4000 + 4 * 7)).isEqualTo(0x0FFFFFFF);
    assertThat(new String(build("BOOTAA64.EFI", UefiLoader.Machine.X86_64, 10, 0), 0x85C60, 11,
        StandardCharsets.US_ASCII)).isEqualTo("BOOTX64 EFI");
  }

  /** fsck.fat (Debian dosfstools) must find nothing to fix; skipped where it is not installed. */
  @Test
  void fsckFatReportsItClean() throws Exception {
    Path fsck = java.util.stream.Stream.of("/usr/sbin/fsck.fat", "/sbin/fsck.fat", "/usr/bin/fsck.fat").map(Path::of)
        .filter(Files::isExecutable).findFirst().orElse(null);
    Assumptions.assumeTrue(fsck != null, "fsck.fat not installed (apt-get install dosfstools)");
    for (int size : new int[] {0, 1, 512, 100_000}) {
      Path esp = tmp.resolve("esp-" + size + ".img");
      Files.write(esp, build("bootx64.efi", size, 0));
      Process p = new ProcessBuilder(fsck.toString(), "-n", esp.toString()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as("fsck.fat -n output for a %d-byte loader:%n%s", size, out).isZero();
    }
  }
}
