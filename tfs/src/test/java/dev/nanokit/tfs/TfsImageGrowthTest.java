package dev.nanokit.tfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanokit.testing.manifest.Hex;
import dev.nanokit.testing.tfs.GoldenVolumes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TfsImageGrowthTest {
  private static final long MIB = 1 << 20;
  @TempDir Path tmp;

  private static List<String> find(Path image) throws IOException {
    try (TfsVolume v = TfsVolume.open(image)) {
      List<String> out = new ArrayList<>();
      v.walk(v.root(), n -> out.add(n.type().letter() + " " + n.size() + " " + n.path()
          + (n.linkTarget() != null ? " -> " + n.linkTarget() : "")));
      return out;
    }
  }

  private static long free(Path image) throws IOException {
    try (TfsVolume v = TfsVolume.open(image)) {
      return v.info().freeBytes();
    }
  }

  private Path threeMegabytes() throws IOException {
    byte[] b = new byte[3 * 1000 * 1000];
    new Random(16).nextBytes(b);
    return Files.write(tmp.resolve("three.bin"), b);
  }

  /** Nanos mkfs leaves 2 MB free, ops nothing: after growing, both take a 3 MB put, and keep their tree. */
  @ParameterizedTest
  @ValueSource(strings = {"mkfs-small", "ops-small", "ops-small-v4"})
  void aGrownGoldenVolumeTakesAThreeMegabytePut(String name) throws Exception {
    Path image = GoldenVolumes.unpack(name, tmp);
    List<String> before = find(image);
    long size = Files.size(image);
    long freeBefore = free(image);
    Path three = threeMegabytes();
    try (TfsEditor e = TfsEditor.open(image)) {
      assertThatThrownBy(() -> e.put(three, "/three.bin")).isInstanceOf(TfsNoSpaceException.class);
    }
    assertThat(TfsImageGrowth.growTo(image, size + 4 * MIB)).isEqualTo(size + 4 * MIB);
    assertThat(Files.size(image)).isEqualTo(size + 4 * MIB);
    assertThat(free(image)).isEqualTo(freeBefore + 4 * MIB);
    assertThat(find(image)).isEqualTo(before);
    try (TfsEditor e = TfsEditor.open(image)) {
      e.put(three, "/three.bin");
      e.commit();
    }
    try (TfsVolume v = TfsVolume.open(image); InputStream in = v.lookup("/three.bin", false).orElseThrow().newInputStream()) {
      assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(three));
    }
    List<String> after = find(image);
    assertThat(after).containsAll(before).contains("f 3000000 /three.bin");
  }

  @Test
  void sizesRoundUpToASectorAndNeverShrink() throws Exception {
    Path image = GoldenVolumes.unpack("ops-small", tmp);
    long size = Files.size(image);
    assertThat(TfsImageGrowth.growTo(image, size - 512)).isEqualTo(size);
    assertThat(TfsImageGrowth.growTo(image, size + 1)).isEqualTo(size + 512);
    assertThat(Files.size(image)).isEqualTo(size + 512);
  }

  /**
   * The worked example of docs/formats/disk-image.md, "6.1 Worked example": boot at LBA 73 (24576 sectors), root at LBA 24649
   * (16384 sectors), a 21,008,896-byte file; the root filesystem is the ops golden volume.
   */
  private Path disk() throws Exception {
    Path disk = tmp.resolve("disk.img");
    byte[] mbr = new byte[512];
    byte[] entries = Hex.bytes("80 01 0B 00 83 88 10 01 49 00 00 00 00 60 00 00"
        + " 80 88 11 01 83 8D 14 02 49 60 00 00 00 40 00 00");
    System.arraycopy(entries, 0, mbr, 0x1BE, entries.length);
    mbr[0x1FE] = 0x55;
    mbr[0x1FF] = (byte) 0xAA;
    try (FileChannel ch = FileChannel.open(disk, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(mbr), 0);
      ch.write(ByteBuffer.wrap(Files.readAllBytes(GoldenVolumes.unpack("mkfs-small", tmp))), 73 * 512L);
      ch.write(ByteBuffer.wrap(Files.readAllBytes(GoldenVolumes.unpack("ops-small", tmp))), 24649 * 512L);
      ch.write(ByteBuffer.wrap(new byte[1]), 21_008_896L - 1);
    }
    return disk;
  }

  private static byte[] sector0(Path disk) throws IOException {
    try (InputStream in = Files.newInputStream(disk)) {
      return in.readNBytes(512);
    }
  }

  @Test
  void aDiskGrowsItsFileAndTheRootPartitionEntry() throws Exception {
    Path disk = disk();
    List<String> before = find(disk);
    byte[] mbrBefore = sector0(disk);
    long freeBefore = free(disk);
    assertThat(TfsImageGrowth.growTo(disk, 21_008_896L + 8 * MIB)).isEqualTo(21_008_896L + 8 * MIB);
    byte[] mbr = sector0(disk);
    // root: LBA 24649, 32768 sectors; last sector LBA 57416 = cylinder 3, head 146, sector 24.
    assertThat(Arrays.copyOfRange(mbr, 0x1CE, 0x1DE)).isEqualTo(Hex.bytes("80 88 11 01 83 92 18 03 49 60 00 00 00 80 00 00"));
    // Everything else in sector 0 is as it was.
    System.arraycopy(mbrBefore, 0x1CE, mbr, 0x1CE, 16);
    assertThat(mbr).isEqualTo(mbrBefore);
    assertThat(free(disk)).isEqualTo(freeBefore + 8 * MIB);
    assertThat(find(disk)).isEqualTo(before);
    try (TfsVolume v = TfsVolume.open(disk)) {
      DiskPartition root = v.partitions().get(1);
      assertThat(root.length()).isEqualTo(32768L * 512);
    }
    try (TfsEditor e = TfsEditor.open(disk)) {
      e.put(threeMegabytes(), "/three.bin");
      e.commit();
    }
    assertThat(find(disk)).contains("f 3000000 /three.bin");
    try (TfsVolume boot = TfsVolume.open(disk, TfsReadOptions.builder().setFilesystem(TfsReadOptions.Filesystem.BOOT).build())) {
      assertThat(boot.label()).isEqualTo("golden");
    }
  }

  @Test
  void aDiskWhoseFileGrewButNotItsEntryIsStillWhole() throws Exception {
    // The state a crash between the two steps leaves: the kernel and TfsVolume read to the end of the file.
    Path disk = disk();
    List<String> before = find(disk);
    long freeBefore = free(disk);
    try (FileChannel ch = FileChannel.open(disk, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[1]), 21_008_896L + MIB - 1);
    }
    assertThat(find(disk)).isEqualTo(before);
    assertThat(free(disk)).isEqualTo(freeBefore + MIB);
  }

  @Test
  void refusesWhatItCannotGrow() throws Exception {
    Path disk = disk();
    // Swap the entries' places: the root filesystem (mkfs's volume at LBA 73) now lies before the boot filesystem.
    byte[] mbr = sector0(disk);
    byte[] swapped = mbr.clone();
    System.arraycopy(Hex.bytes("80 88 11 01 83 8D 14 02 49 60 00 00 00 40 00 00"), 0, swapped, 0x1BE, 16);
    System.arraycopy(Hex.bytes("80 01 0B 00 83 88 10 01 49 00 00 00 00 60 00 00"), 0, swapped, 0x1CE, 16);
    try (FileChannel ch = FileChannel.open(disk, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(swapped), 0);
    }
    long size = Files.size(disk);
    assertThatThrownBy(() -> TfsImageGrowth.growTo(disk, size + MIB))
        .isInstanceOfSatisfying(TfsEditException.class, e -> assertThat(e.condition()).isEqualTo(TfsEditException.Condition.INVALID))
        .hasMessage("partition 0 lies after the root filesystem, so the root filesystem cannot grow");
    assertThat(Files.size(disk)).isEqualTo(size);

    Path text = Files.writeString(tmp.resolve("notes.txt"), "not a volume\n".repeat(100));
    assertThatThrownBy(() -> TfsImageGrowth.growTo(text, 1 << 20)).isInstanceOf(TfsFormatException.class);
    assertThat(Files.size(text)).isEqualTo(1300);
  }
}
