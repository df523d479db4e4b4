package dev.nanokit.core.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanokit.core.ImageFormatException;
import dev.nanokit.core.ImageResult;
import dev.nanokit.tfs.TfsReadOptions;
import dev.nanokit.tfs.TfsVolume;
import dev.nanokit.tfs.TfsWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DiskAssembler} against docs/formats/disk-image.md, "9 Build recipe": layout, partition entries from the final length, sizes. */
class DiskAssemblerTest {
  @TempDir Path tmp;

  private static TfsWriter bootFs() {
    return TfsWriter.create().setUuid(new byte[16]).addFile("/kernel", "k".getBytes(StandardCharsets.US_ASCII));
  }

  private static TfsWriter rootFs() {
    return TfsWriter.create().setUuid(new byte[16]).addFile("/hello", "hi\n".getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void biosLayoutBootThenKlogThenBootFsThenRootToTheEnd() throws IOException {
    List<String> phases = new ArrayList<>();
    Path out = tmp.resolve("d.img");
    ImageResult r = DiskAssembler.write(out, BootImage.none(), null, bootFs(), rootFs(), 0, e -> phases.add(e.phase()));
    assertThat(phases).containsExactly("bootfs", "rootfs", "partition table");
    long p0 = 512 + 4096;
    long rootOffset = p0 + DiskAssembler.BOOT_FS_SIZE;
    assertThat(r.rootOffset()).isEqualTo(rootOffset);
    assertThat(r.bootable()).isTrue();
    assertThat(Files.size(out)).isEqualTo(r.size());
    ByteBuffer s0 = ByteBuffer.wrap(Files.readAllBytes(out), 0, 512).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(s0.get(0x1FE) & 0xff).isEqualTo(0x55);
    assertThat(s0.get(0x1FF) & 0xff).isEqualTo(0xAA);
    assertThat(s0.get(0x1BE + 4) & 0xff).isEqualTo(0x83);
    assertThat(s0.getInt(0x1BE + 8)).isEqualTo((int) (p0 / 512));
    assertThat(s0.getInt(0x1BE + 12)).isEqualTo((int) (DiskAssembler.BOOT_FS_SIZE / 512));
    assertThat(s0.get(0x1CE + 4) & 0xff).isEqualTo(0x83);
    assertThat(s0.getInt(0x1CE + 8)).isEqualTo((int) (rootOffset / 512));
    assertThat(s0.getInt(0x1CE + 12) * 512L).isEqualTo(r.size() - rootOffset);
    assertThat(s0.getInt(0x1DE + 4)).isZero();
    try (TfsVolume root = TfsVolume.open(out)) {
      assertThat(root.info().offset()).isEqualTo(rootOffset);
      assertThat(root.lookup("/hello", false)).isPresent();
      assertThat(root.uuid()).isEqualTo(r.rootUuid());
    }
    try (TfsVolume boot = TfsVolume.open(out, TfsReadOptions.builder().setFilesystem(TfsReadOptions.Filesystem.BOOT).build())) {
      assertThat(boot.info().offset()).isEqualTo(p0);
      assertThat(boot.info().size()).isEqualTo(DiskAssembler.BOOT_FS_SIZE);
      assertThat(boot.lookup("/kernel", false)).isPresent();
    }
  }

  @Test
  void aRequestedSizeIsRoundedUpToASectorAndGivesTheRootTheRest() throws IOException {
    Path out = tmp.resolve("d.img");
    long requested = 64L << 20;
    ImageResult r = DiskAssembler.write(out, BootImage.none(), null, bootFs(), rootFs(), requested - 100,
        e -> { });
    assertThat(r.size()).isEqualTo(requested);
    assertThat(Files.size(out)).isEqualTo(requested);
  }

  @Test
  void tooSmallASizeNamesWhatIsNeededAndWritesNothing() {
    Path out = tmp.resolve("d.img");
    long rootOffset = 512 + 4096 + DiskAssembler.BOOT_FS_SIZE;
    assertThatThrownBy(() -> DiskAssembler.write(out, BootImage.none(), null, bootFs(), rootFs(), 13L << 20,
        e -> { }))
        .isInstanceOf(ImageFormatException.class)
        .hasMessageStartingWith("image size " + (13L << 20) + " bytes is too small: it needs at least ")
        .hasMessageContaining("(" + rootOffset + " before the root filesystem + ");
    assertThat(out).doesNotExist();
  }

  @Test
  void aBootFilesystemOverTwelveMebibytesIsRefused() {
    TfsWriter big = TfsWriter.create().addFile("/kernel", new byte[(int) DiskAssembler.BOOT_FS_SIZE]);
    assertThatThrownBy(() -> DiskAssembler.write(tmp.resolve("d.img"), BootImage.none(), null, big, rootFs(), 0,
        e -> { }))
        .isInstanceOf(ImageFormatException.class)
        .hasMessageEndingWith("more than the " + DiskAssembler.BOOT_FS_SIZE + "-byte boot filesystem holds");
  }

  @Test
  void layoutWithAnEspPutsItFirst() {
    DiskAssembler.Layout bios = DiskAssembler.Layout.of(BootImage.none(), false);
    assertThat(bios).isEqualTo(new DiskAssembler.Layout(4608, -1, 4608, 4608 + DiskAssembler.BOOT_FS_SIZE));
    DiskAssembler.Layout uefi = DiskAssembler.Layout.of(BootImage.none(), true);
    assertThat(uefi).isEqualTo(new DiskAssembler.Layout(4608, 4608, 4608 + EfiSystemPartition.SIZE,
        4608 + EfiSystemPartition.SIZE + DiskAssembler.BOOT_FS_SIZE));
  }

  @Test
  void exactlyTheNeededSizeIsEnough() throws IOException {
    Path out = tmp.resolve("d.img");
    String message = org.assertj.core.api.Assertions.catchThrowable(() ->
        DiskAssembler.write(out, BootImage.none(), null, bootFs(), rootFs(), 13L << 20, e -> { })).getMessage();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("needs at least (\\d+) bytes").matcher(message);
    assertThat(m.find()).as(message).isTrue();
    long needed = Long.parseLong(m.group(1));
    ImageResult r = DiskAssembler.write(out, BootImage.none(), null, bootFs(), rootFs(), needed, e -> { });
    assertThat(r.size()).isEqualTo(needed);
    assertThat(Files.size(out)).isEqualTo(needed);
  }

  @Test
  void uefiLayoutWritesTheEspFirstAndItsEntry() throws IOException {
    Path loader = tmp.resolve("bootx64.efi");
    Files.write(loader, new byte[] {1, 2, 3});
    List<String> phases = new ArrayList<>();
    Path out = tmp.resolve("u.img");
    ImageResult r = DiskAssembler.write(out, BootImage.none(), new UefiLoader(loader, UefiLoader.Machine.X86_64), bootFs(),
        rootFs(), 0, e -> phases.add(e.phase()));
    assertThat(phases).containsExactly("esp", "bootfs", "rootfs", "partition table");
    long p0 = 512 + 4096;
    byte[] disk = Files.readAllBytes(out);
    ByteBuffer s0 = ByteBuffer.wrap(disk, 0, 512).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(s0.get(0x1BE + 4) & 0xff).isEqualTo(0xEF);
    assertThat(s0.getInt(0x1BE + 8)).isEqualTo((int) (p0 / 512));
    assertThat(s0.getInt(0x1BE + 12) * 512L).isEqualTo(EfiSystemPartition.SIZE);
    assertThat(s0.getInt(0x1CE + 8) * 512L).isEqualTo(p0 + EfiSystemPartition.SIZE);
    assertThat(r.rootOffset()).isEqualTo(p0 + EfiSystemPartition.SIZE + DiskAssembler.BOOT_FS_SIZE);
    // The ESP's FAT boot sector: OEM name and signature.
    assertThat(new String(disk, (int) p0 + 3, 8, StandardCharsets.US_ASCII)).isEqualTo("mkfs.fat");
    assertThat(disk[(int) p0 + 510] & 0xff).isEqualTo(0x55);
    assertThat(disk[(int) p0 + 511] & 0xff).isEqualTo(0xAA);
  }
}
