package dev.nanokit.tfs.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class MbrPartitionTableTest {
  /** The ESP the image builder writes: 33 MiB. */
  private static final long ESP_SIZE = 33L << 20;

  private static String hex(byte[] b) {
    return HexFormat.ofDelimiter(" ").withUpperCase().formatHex(b);
  }

  /** docs/formats/disk-image.md, "6.1 Worked example": S = 0x8000, P0 = 37376, 8 MiB root, without UEFI. */
  @Test
  void matchesTheWorkedExampleWithoutUefi() {
    long p0 = 37376;
    long proot = p0 + (12L << 20);
    byte[] entries = MbrPartitionTable.encode(List.of(
        new MbrPartitionTable.Entry(p0, 12L << 20, MbrPartitionTable.TYPE_TFS),
        new MbrPartitionTable.Entry(proot, 21_008_896 - proot, MbrPartitionTable.TYPE_TFS)));
    assertThat(hex(entries)).isEqualTo(
        "80 01 0B 00 83 88 10 01 49 00 00 00 00 60 00 00 "
            + "80 88 11 01 83 8D 14 02 49 60 00 00 00 40 00 00 "
            + "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 "
            + "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00");
  }

  @Test
  void matchesTheWorkedExampleWithUefi() {
    long p0 = 37376;
    long pboot = p0 + ESP_SIZE;
    long proot = pboot + (12L << 20);
    byte[] entries = MbrPartitionTable.encode(List.of(
        new MbrPartitionTable.Entry(p0, ESP_SIZE, MbrPartitionTable.TYPE_ESP),
        new MbrPartitionTable.Entry(pboot, 12L << 20, MbrPartitionTable.TYPE_TFS),
        new MbrPartitionTable.Entry(proot, 55_611_904 - proot, MbrPartitionTable.TYPE_TFS)));
    assertThat(hex(entries)).startsWith(
        "80 01 0B 00 EF 35 3A 04 49 00 00 00 00 08 01 00 "
            + "80 35 3B 04 83 BD 01 05 49 08 01 00 00 60 00 00 "
            + "80 BD 02 05 83 C2 05 06 49 68 01 00 00 40 00 00 "
            + "00 00 00 00");
  }

  @Test
  void clampsCylindersBeyond1023() {
    assertThat(hex(MbrPartitionTable.chs(8L << 30))).isEqualTo("FE 3F FF");
  }

  @Test
  void refusesPartitionsBeyond32BitLba() {
    assertThatThrownBy(() -> new MbrPartitionTable.Entry(512, 2L << 40, 0x83))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 TiB");
  }

  @Test
  void entriesAreWholeSectorsWithinThe32BitLbaRange() {
    assertThatThrownBy(() -> new MbrPartitionTable.Entry(511, 512, 0x83))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("partition must be whole sectors: offset 511 length 512");
    assertThatThrownBy(() -> new MbrPartitionTable.Entry(512, 513, 0x83)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MbrPartitionTable.Entry(512, 0, 0x83)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MbrPartitionTable.Entry(512, -512, 0x83)).isInstanceOf(IllegalArgumentException.class);
    assertThat(new MbrPartitionTable.Entry(512, 512, 0x83).length()).isEqualTo(512);
    // The last sector a 32-bit LBA can end at: (offset + length) / 512 == 2^32 - 1.
    long last = 0xFFFFFFFFL * 512;
    assertThat(new MbrPartitionTable.Entry(512, last - 512, 0x83).offset()).isEqualTo(512);
    assertThatThrownBy(() -> new MbrPartitionTable.Entry(512, last, 0x83))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("partition ends past 2 TiB, beyond 32-bit LBA: " + (last + 512));
  }

  @Test
  void encodesAtMostFourEntries() {
    MbrPartitionTable.Entry e = new MbrPartitionTable.Entry(512, 512, 0x83);
    assertThat(MbrPartitionTable.encode(List.of(e, e, e, e))).hasSize(64);
    assertThatThrownBy(() -> MbrPartitionTable.encode(List.of(e, e, e, e, e)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("an MBR holds 4 entries, not 5");
    assertThat(MbrPartitionTable.encode(List.of())).containsOnly(0).hasSize(64);
  }

  @Test
  void cylinder1023IsTheLastOneWrittenAsItIs() {
    // LBA of cylinder 1023, head 254, sector 63: the last address CHS can hold.
    long lastChs = ((1023L * 255 + 254) * 63 + 62) * 512;
    assertThat(hex(MbrPartitionTable.chs(lastChs))).isEqualTo("FE 3F FF");
    assertThat(hex(MbrPartitionTable.chs(1023L * 255 * 63 * 512))).isEqualTo("00 03 FF");
    assertThat(hex(MbrPartitionTable.chs(1024L * 255 * 63 * 512))).isEqualTo("FE 3F FF");
    assertThat(hex(MbrPartitionTable.chs(0))).isEqualTo("00 01 00");
  }
}
