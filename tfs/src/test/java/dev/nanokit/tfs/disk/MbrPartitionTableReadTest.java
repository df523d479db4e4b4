package dev.nanokit.tfs.disk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanokit.testing.manifest.ByteArrayChannel;
import dev.nanokit.tfs.DiskPartition;
import dev.nanokit.tfs.DiskPartition.Role;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The tfs-side partition finder against docs/formats/disk-image.md, "8.1 Partition selection rule (used by stage2, the UEFI loader and the kernel)" (selection by index and the EF test only). */
class MbrPartitionTableReadTest {

  private static byte[] sector(int[][] entries, boolean signature) {
    ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < entries.length; i++) {
      int at = 0x1BE + 16 * i;
      b.put(at + 4, (byte) entries[i][0]);
      b.putInt(at + 8, entries[i][1]);
      b.putInt(at + 12, entries[i][2]);
    }
    if (signature) {
      b.put(0x1FE, (byte) 0x55).put(0x1FF, (byte) 0xAA);
    }
    return b.array();
  }

  private static Optional<MbrPartitionTable> read(byte[] disk) throws IOException {
    return MbrPartitionTable.read(new ByteArrayChannel(disk));
  }

  @Test
  void entryZeroOfTypeEfMakesEntriesZeroOneTwoTheEspBootAndRoot() throws IOException {
    MbrPartitionTable t = read(sector(new int[][] {{0xEF, 100, 50}, {0x83, 150, 20}, {0x83, 170, 30}}, true)).orElseThrow();
    assertThat(t.partitions()).containsExactly(
        new DiskPartition(0, Role.EFI_SYSTEM, 0xEF, 100 * 512L, 50 * 512L),
        new DiskPartition(1, Role.BOOT_FILESYSTEM, 0x83, 150 * 512L, 20 * 512L),
        new DiskPartition(2, Role.ROOT_FILESYSTEM, 0x83, 170 * 512L, 30 * 512L));
    assertThat(t.find(Role.ROOT_FILESYSTEM).orElseThrow().index()).isEqualTo(2);
  }

  @Test
  void withoutEfInEntryZeroEntriesZeroAndOneAreBootAndRoot() throws IOException {
    // An EF in entry 1 is not the UEFI test ("8.1 Partition selection rule (used by stage2, the UEFI loader and the kernel)" looks at entry 0 only); entry 2 is ignored.
    MbrPartitionTable t = read(sector(new int[][] {{0x83, 100, 50}, {0xEF, 150, 20}, {0x83, 170, 30}}, true)).orElseThrow();
    assertThat(t.partitions()).containsExactly(
        new DiskPartition(0, Role.BOOT_FILESYSTEM, 0x83, 100 * 512L, 50 * 512L),
        new DiskPartition(1, Role.ROOT_FILESYSTEM, 0xEF, 150 * 512L, 20 * 512L));
    assertThat(t.find(Role.EFI_SYSTEM)).isEmpty();
  }

  @Test
  void typesAreNotCheckedBeyondTheEfTestAndEmptyEntriesAreLeftOut() throws IOException {
    MbrPartitionTable t = read(sector(new int[][] {{0x0C, 8, 1}, {0, 0, 0}}, true)).orElseThrow();
    assertThat(t.partitions()).containsExactly(new DiskPartition(0, Role.BOOT_FILESYSTEM, 0x0C, 8 * 512L, 512L));
    assertThat(t.find(Role.ROOT_FILESYSTEM)).isEmpty();
    // An entry with only a length, or only a type, is still an entry.
    assertThat(read(sector(new int[][] {{0x83, 1, 1}, {0, 0, 7}}, true)).orElseThrow().partitions()).hasSize(2);
    assertThat(read(sector(new int[][] {{0x83, 1, 1}, {0x83, 0, 0}}, true)).orElseThrow().partitions()).hasSize(2);
    assertThat(read(sector(new int[][] {{0x83, 1, 1}, {0, 9, 0}}, true)).orElseThrow().partitions()).hasSize(2);
  }

  @Test
  void lbaAndLengthAreUnsigned32BitSectorCounts() throws IOException {
    MbrPartitionTable t = read(sector(new int[][] {{0x83, 0xFFFFFFFF, 0x80000000}}, true)).orElseThrow();
    assertThat(t.partitions().get(0).offset()).isEqualTo(0xFFFFFFFFL * 512);
    assertThat(t.partitions().get(0).length()).isEqualTo(0x80000000L * 512);
  }

  @Test
  void noSignatureMeansNoPartitionTable() throws IOException {
    assertThat(read(sector(new int[][] {{0xEF, 100, 50}}, false))).isEmpty();
    byte[] half = sector(new int[][] {{0x83, 1, 1}}, true);
    half[0x1FF] = 0;
    assertThat(read(half)).isEmpty();
    half[0x1FF] = (byte) 0xAA;
    half[0x1FE] = 0;
    assertThat(read(half)).isEmpty();
    assertThat(read(new byte[511])).isEmpty();
    assertThat(read(java.util.Arrays.copyOf(sector(new int[][] {{0x83, 1, 1}}, true), 512))).isPresent();
  }

  @Test
  void entryOffsetsAreThoseOfSectorZero() {
    assertThat(MbrPartitionTable.entryOffset(0)).isEqualTo(0x1BE);
    assertThat(MbrPartitionTable.entryOffset(2)).isEqualTo(0x1DE);
  }

  /** A channel that hands out at most 100 bytes per read and nothing at all every other call. */
  private static final class Trickle implements java.nio.channels.SeekableByteChannel {
    private final ByteArrayChannel bytes;
    private boolean starve;

    Trickle(byte[] disk) {
      this.bytes = new ByteArrayChannel(disk);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      starve = !starve;
      if (starve) {
        return 0;
      }
      int limit = dst.limit();
      dst.limit(Math.min(limit, dst.position() + 100));
      try {
        return bytes.read(dst);
      } finally {
        dst.limit(limit);
      }
    }

    @Override
    public int write(ByteBuffer src) {
      throw new java.nio.channels.NonWritableChannelException();
    }

    @Override
    public long position() throws IOException {
      return bytes.position();
    }

    @Override
    public java.nio.channels.SeekableByteChannel position(long p) throws IOException {
      bytes.position(p);
      return this;
    }

    @Override
    public long size() throws IOException {
      return bytes.size();
    }

    @Override
    public java.nio.channels.SeekableByteChannel truncate(long size) {
      throw new java.nio.channels.NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}
  }

  @Test
  void sectorZeroIsReadFullyFromAChannelThatReturnsLittleAtATime() throws IOException {
    byte[] disk = sector(new int[][] {{0xEF, 100, 50}, {0x83, 150, 20}, {0x83, 170, 30}}, true);
    MbrPartitionTable t = MbrPartitionTable.read(new Trickle(disk)).orElseThrow();
    assertThat(t.partitions()).hasSize(3);
    assertThat(t.find(Role.EFI_SYSTEM).orElseThrow().offset()).isEqualTo(100 * 512L);
  }
}
