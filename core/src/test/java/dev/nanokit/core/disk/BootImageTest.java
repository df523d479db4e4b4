package dev.nanokit.core.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanokit.core.ImageFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link BootImage} against docs/formats/disk-image.md, "2 boot.img (x86-64 BIOS)" (stage1, stage2, the region record at 0x1AA) and "10 Discrepancies and ambiguities" item 3. */
class BootImageTest {
  @TempDir Path tmp;

  /** A boot image of {@code sectors} sectors whose region record says stage2 is {@code stage2} bytes. */
  private Path image(int sectors, long stage2, int type) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(512 * sectors).order(ByteOrder.LITTLE_ENDIAN);
    b.put(0x1FE, (byte) 0x55).put(0x1FF, (byte) 0xAA);
    b.putLong(0x1AA + 8, stage2).putInt(0x1AA + 16, type);
    if (sectors > 1) {
      b.put(512, (byte) 0x5A); // first byte of stage2
    }
    return Files.write(tmp.resolve("boot.img"), b.array());
  }

  @Test
  void readsStage2LengthFromTheRegionRecord() throws IOException {
    BootImage boot = BootImage.read(image(3, 1024, 12));
    assertThat(boot.stage2Length()).isEqualTo(1024);
    assertThat(boot.firstPartitionOffset()).isEqualTo(512 + 1024 + 4096);
    assertThat(boot.bytes()).hasSize(1536);
    assertThat(boot.bytes()[512]).isEqualTo((byte) 0x5A);
    boot.bytes()[512] = 0;
    assertThat(boot.bytes()[512]).isEqualTo((byte) 0x5A);
    BootImage oneSector = BootImage.read(image(1, 0, 12));
    assertThat(oneSector.stage2Length()).isZero();
  }

  @Test
  void noneIsASignedZeroSectorWithNoStage2() {
    BootImage none = BootImage.none();
    byte[] b = none.bytes();
    assertThat(b).hasSize(512);
    assertThat(b[0x1FE]).isEqualTo((byte) 0x55);
    assertThat(b[0x1FF]).isEqualTo((byte) 0xAA);
    assertThat(java.util.Arrays.copyOf(b, 0x1FE)).containsOnly(0);
    assertThat(none.stage2Length()).isZero();
    assertThat(none.firstPartitionOffset()).isEqualTo(512 + 4096);
  }

  @Test
  void sizesOtherThanWholeSectorsUpTo16MiBAreRefused() throws IOException {
    Path p = tmp.resolve("odd.img");
    for (int size : new int[] {0, 511, 513}) {
      Files.write(p, new byte[size]);
      assertThatThrownBy(() -> BootImage.read(p)).isInstanceOf(ImageFormatException.class)
          .hasMessage(p + ": a boot image is a whole number of 512-byte sectors up to 16777216 bytes, not " + size + " bytes");
    }
    Path big = image((16 << 20) / 512, (16 << 20) - 512, 12);
    assertThat(BootImage.read(big).stage2Length()).isEqualTo((16 << 20) - 512);
    Files.write(p, new byte[(16 << 20) + 512]);
    assertThatThrownBy(() -> BootImage.read(p)).isInstanceOf(ImageFormatException.class).hasMessageContaining("not 16777728 bytes");
  }

  @Test
  void theSignatureRecordTypeAndLengthMustAgree() throws IOException {
    Path p = image(3, 1024, 12);
    byte[] b = Files.readAllBytes(p);
    b[0x1FF] = 0;
    Files.write(p, b);
    assertThatThrownBy(() -> BootImage.read(p)).isInstanceOf(ImageFormatException.class)
        .hasMessage(p + ": no 55 AA boot signature at byte offset 510");
    b[0x1FF] = (byte) 0xAA;
    b[0x1FE] = 0;
    Files.write(p, b);
    assertThatThrownBy(() -> BootImage.read(p)).hasMessageContaining("no 55 AA boot signature");
    Path type = image(3, 1024, 11);
    assertThatThrownBy(() -> BootImage.read(type)).isInstanceOf(ImageFormatException.class)
        .hasMessage(type + ": filesystem region record type is 11, not 12, at byte offset 442");
    Path length = image(3, 1023, 12);
    assertThatThrownBy(() -> BootImage.read(length)).isInstanceOf(ImageFormatException.class)
        .hasMessage(length + ": region record says stage2 is 1023 bytes (byte offset 434) but the file holds 1024");
  }
}
