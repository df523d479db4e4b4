package dev.nanokit.tfs.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanokit.testing.manifest.ByteArrayChannel;
import dev.nanokit.tfs.TfsFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VolumeChannelTest {
  @TempDir Path tmp;

  private static byte[] image() {
    byte[] b = new byte[64];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) i;
    }
    return b;
  }

  @Test
  void offsetsAreRelativeToTheFilesystemStart() throws IOException {
    VolumeChannel v = new VolumeChannel(new ByteArrayChannel(image()), 16, 32);
    assertThat(v.start()).isEqualTo(16);
    assertThat(v.size()).isEqualTo(32);
    assertThat(v.absolute(3)).isEqualTo(19);
    ByteBuffer dst = ByteBuffer.allocate(4);
    v.readFully(28, dst);
    assertThat(dst.array()).containsExactly(44, 45, 46, 47);
    ByteBuffer one = ByteBuffer.allocate(2);
    assertThat(v.read(0, one)).isEqualTo(2);
    assertThat(one.array()).containsExactly(16, 17);
  }

  @Test
  void readsPastTheFilesystemOrTheFileAreRefusedAtTheirAbsoluteOffset() {
    VolumeChannel v = new VolumeChannel(new ByteArrayChannel(image()), 16, 32);
    TfsFormatException past = (TfsFormatException) org.assertj.core.api.Assertions.catchThrowable(
        () -> v.readFully(29, ByteBuffer.allocate(4)));
    assertThat(past.getMessage()).contains("read of 4 bytes runs past the end of the filesystem (32 bytes)");
    assertThat(past.offset()).isEqualTo(45);
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> v.readFully(-1, ByteBuffer.allocate(1))))
        .isInstanceOf(TfsFormatException.class);
    // The volume claims more than the file holds.
    VolumeChannel longer = new VolumeChannel(new ByteArrayChannel(image()), 16, 100);
    TfsFormatException early = (TfsFormatException) org.assertj.core.api.Assertions.catchThrowable(
        () -> longer.readFully(40, ByteBuffer.allocate(16)));
    assertThat(early.getMessage()).contains("image file ends early");
    assertThat(early.offset()).isEqualTo(64);
    TfsFormatException atEnd = (TfsFormatException) org.assertj.core.api.Assertions.catchThrowable(
        () -> longer.read(60, ByteBuffer.allocate(1)));
    assertThat(atEnd.getMessage()).contains("image file ends early");
    assertThat(atEnd.offset()).isEqualTo(76);
  }

  @Test
  void fileChannelsAreReadPositionally() throws IOException {
    Path p = Files.write(tmp.resolve("img"), image());
    try (FileChannel ch = FileChannel.open(p)) {
      ch.position(5);
      VolumeChannel v = new VolumeChannel(ch, 8, 56);
      ByteBuffer dst = ByteBuffer.allocate(3);
      v.readFully(0, dst);
      assertThat(dst.array()).containsExactly(8, 9, 10);
      assertThat(ch.position()).isEqualTo(5);
    }
  }

  @Test
  void transfersGoFromTheFilesystemStartToAFileOrAnyChannelAndStopAtTheFileEnd() throws IOException {
    Path p = Files.write(tmp.resolve("img"), image());
    Path out = tmp.resolve("out");
    try (FileChannel ch = FileChannel.open(p);
        FileChannel target = FileChannel.open(out, java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE)) {
      VolumeChannel v = new VolumeChannel(ch, 8, 56);
      v.transferTo(2, 5, target);
      v.transferTo(50, 0, target);
      v.transferTo(54, 2, target);
      assertThat(ch.position()).isZero();
      // Claiming more than the file holds: the kernel copies what there is, then the end is named.
      VolumeChannel longer = new VolumeChannel(ch, 8, 100);
      TfsFormatException early = (TfsFormatException) org.assertj.core.api.Assertions.catchThrowable(
          () -> longer.transferTo(52, 8, target));
      assertThat(early.getMessage()).contains("image file ends early");
      assertThat(early.offset()).isEqualTo(64);
    }
    assertThat(Files.readAllBytes(out)).containsExactly(10, 11, 12, 13, 14, 62, 63, 60, 61, 62, 63);
    // Not a file channel: read and written by hand, in more than one buffer.
    byte[] big = new byte[200_000];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i * 7);
    }
    java.io.ByteArrayOutputStream sink = new java.io.ByteArrayOutputStream();
    new VolumeChannel(new ByteArrayChannel(big), 100, big.length - 100)
        .transferTo(3, 150_000, java.nio.channels.Channels.newChannel(sink));
    assertThat(sink.toByteArray()).isEqualTo(java.util.Arrays.copyOfRange(big, 103, 150_103));
  }

  @Test
  void transfersPastTheFilesystemAreRefusedBeforeAnyByteIsWritten() {
    VolumeChannel v = new VolumeChannel(new ByteArrayChannel(image()), 16, 32);
    java.io.ByteArrayOutputStream sink = new java.io.ByteArrayOutputStream();
    TfsFormatException past = (TfsFormatException) org.assertj.core.api.Assertions.catchThrowable(
        () -> v.transferTo(29, 4, java.nio.channels.Channels.newChannel(sink)));
    assertThat(past.getMessage()).contains("read of 4 bytes runs past the end of the filesystem (32 bytes)");
    assertThat(past.offset()).isEqualTo(45);
    assertThat(org.assertj.core.api.Assertions.catchThrowable(
        () -> v.transferTo(-1, 1, java.nio.channels.Channels.newChannel(sink)))).isInstanceOf(TfsFormatException.class);
    assertThat(org.assertj.core.api.Assertions.catchThrowable(
        () -> v.transferTo(0, -1, java.nio.channels.Channels.newChannel(sink)))).isInstanceOf(TfsFormatException.class);
    assertThat(sink.size()).isZero();
  }
}
