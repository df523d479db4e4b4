package dev.nanokit.tfs.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanokit.testing.manifest.ByteArrayChannel;
import dev.nanokit.tfs.TfsExtent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/formats/tfs.md, "6.3 Regular files": extents, holes, uninited extents and filelength. */
class FileContentChannelTest {

  /** A 16-block volume whose block b holds the byte b + 1 throughout. */
  private static VolumeChannel volume() {
    byte[] image = new byte[16 * 512];
    for (int b = 0; b < 16; b++) {
      Arrays.fill(image, b * 512, (b + 1) * 512, (byte) (b + 1));
    }
    return new VolumeChannel(new ByteArrayChannel(image), 0, image.length);
  }

  private static byte[] readAll(FileContentChannel ch, int chunk) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    ByteBuffer buf = ByteBuffer.allocate(chunk);
    while (true) {
      buf.clear();
      int n = ch.read(buf);
      if (n < 0) {
        return out.toByteArray();
      }
      out.write(buf.array(), 0, n);
    }
  }

  @Test
  void extentsHolesUninitedAndTheTailReadAsTheSpecSays() throws IOException {
    // File blocks 0-1 at volume 4-5; block 2 a hole; block 3 uninited at volume 9; block 4 at volume 10,
    // of which only 100 bytes are inside filelength.
    List<TfsExtent> extents = List.of(
        new TfsExtent(0, 4, 2, 2, false),
        new TfsExtent(3, 9, 1, 1, true),
        new TfsExtent(4, 10, 1, 1, false));
    long size = 4 * 512 + 100;
    FileContentChannel ch = new FileContentChannel(volume(), "/f", size, extents);
    assertThat(ch.size()).isEqualTo(size);
    byte[] all = readAll(ch, 700);
    assertThat(all).hasSize((int) size);
    byte[] expected = new byte[(int) size];
    Arrays.fill(expected, 0, 512, (byte) 5);
    Arrays.fill(expected, 512, 1024, (byte) 6);
    Arrays.fill(expected, 4 * 512, (int) size, (byte) 11);
    assertThat(all).isEqualTo(expected);
    assertThat(ch.position()).isEqualTo(size);
    assertThat(ch.read(ByteBuffer.allocate(1))).isEqualTo(-1);
  }

  @Test
  void readsStartAnywhereAndStopAtTheExtentEnd() throws IOException {
    FileContentChannel ch = new FileContentChannel(volume(), "/f", 3 * 512,
        List.of(new TfsExtent(0, 2, 1, 1, false), new TfsExtent(1, 7, 1, 1, false)));
    ch.position(510);
    ByteBuffer buf = ByteBuffer.allocate(8);
    assertThat(ch.read(buf)).isEqualTo(2); // the rest of the first extent
    assertThat(Arrays.copyOf(buf.array(), 2)).containsExactly(3, 3);
    assertThat(buf.limit()).isEqualTo(8);
    buf.clear();
    assertThat(ch.read(buf)).isEqualTo(8);
    assertThat(buf.array()).containsOnly(8);
    assertThat(ch.position()).isEqualTo(520);
    // Past the last extent, up to filelength: zeros.
    ch.position(2 * 512 + 5);
    buf.clear();
    assertThat(ch.read(buf)).isEqualTo(8);
    assertThat(buf.array()).containsOnly(0);
    assertThat(ch.read(ByteBuffer.allocate(0))).isZero();
    ch.position(10_000);
    assertThat(ch.read(ByteBuffer.allocate(4))).isEqualTo(-1);
  }

  @Test
  void aFileWithNoExtentsIsAllZerosAndHolesLongerThanTheZeroBufferFillWhole() throws IOException {
    FileContentChannel ch = new FileContentChannel(volume(), "/f", 20_000, List.of());
    byte[] all = readAll(ch, 20_000);
    assertThat(all).hasSize(20_000).containsOnly(0);
  }

  private static byte[] transferAll(FileContentChannel ch) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    long n = ch.transferTo(java.nio.channels.Channels.newChannel(out));
    assertThat(n).isEqualTo(out.size());
    return out.toByteArray();
  }

  @Test
  void aTransferWritesTheBytesAReadReturnsFromThePositionOn() throws IOException {
    // The shape of the first test, plus a hole of more than the zero buffer before the last extent.
    List<TfsExtent> extents = List.of(
        new TfsExtent(0, 4, 2, 2, false),
        new TfsExtent(3, 9, 1, 1, true),
        new TfsExtent(40, 10, 2, 2, false));
    long size = 41 * 512 + 100;
    byte[] read = readAll(new FileContentChannel(volume(), "/f", size, extents), 700);
    FileContentChannel ch = new FileContentChannel(volume(), "/f", size, extents);
    assertThat(transferAll(ch)).isEqualTo(read);
    assertThat(read).hasSize((int) size);
    assertThat(ch.position()).isEqualTo(size);
    assertThat(transferAll(ch)).isEmpty();
    for (long from : new long[] {0, 1, 511, 1000, 3 * 512 + 7, 40 * 512 + 3, size - 1}) {
      ch.position(from);
      assertThat(transferAll(ch)).as("from %d", from)
          .isEqualTo(Arrays.copyOfRange(read, (int) from, read.length));
    }
    ch.position(size + 5);
    assertThat(transferAll(ch)).isEmpty();
    ch.close();
    assertThatThrownBy(() -> transferAll(ch)).isInstanceOf(ClosedChannelException.class);
  }

  @Test
  void itIsReadOnlyAndClosable() throws IOException {
    FileContentChannel ch = new FileContentChannel(volume(), "/f", 10, List.of());
    assertThat(ch.isOpen()).isTrue();
    assertThatThrownBy(() -> ch.write(ByteBuffer.allocate(1))).isInstanceOf(NonWritableChannelException.class);
    assertThatThrownBy(() -> ch.truncate(1)).isInstanceOf(NonWritableChannelException.class);
    assertThatThrownBy(() -> ch.position(-1)).isInstanceOf(IllegalArgumentException.class).hasMessage("negative position: -1");
    assertThat(ch.position(3)).isSameAs(ch);
    ch.close();
    assertThat(ch.isOpen()).isFalse();
    assertThatThrownBy(() -> ch.read(ByteBuffer.allocate(1))).isInstanceOf(ClosedChannelException.class);
    assertThatThrownBy(ch::position).isInstanceOf(ClosedChannelException.class);
    assertThatThrownBy(ch::size).isInstanceOf(ClosedChannelException.class);
    assertThatThrownBy(() -> ch.position(0)).isInstanceOf(ClosedChannelException.class);
  }
}
