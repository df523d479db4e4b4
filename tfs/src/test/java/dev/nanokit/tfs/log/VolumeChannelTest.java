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
}
