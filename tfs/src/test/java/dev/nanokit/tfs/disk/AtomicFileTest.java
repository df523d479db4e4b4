package dev.nanokit.tfs.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
  @TempDir Path tmp;

  @Test
  void aNewFileIsWorldReadableAndAReplacedOneKeepsItsMode() throws IOException {
    Assumptions.assumeTrue(tmp.getFileSystem().supportedFileAttributeViews().contains("posix"), "no POSIX permissions");
    Path out = tmp.resolve("out.img");
    Integer written = AtomicFile.write(out, ch -> ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3})));
    assertThat(written).isEqualTo(3);
    assertThat(out).hasBinaryContent(new byte[] {1, 2, 3});
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rw-r--r--");

    Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rw-rw----"));
    AtomicFile.write(out, ch -> ch.write(ByteBuffer.wrap(new byte[] {4})));
    assertThat(out).hasBinaryContent(new byte[] {4});
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rw-rw----");
  }

  @Test
  void aFailureLeavesTheOldFileAndNoTemporaryFile() throws IOException {
    Path out = Files.write(tmp.resolve("keep.img"), new byte[] {9});
    assertThatThrownBy(() -> AtomicFile.write(out, ch -> {
      ch.write(ByteBuffer.wrap(new byte[100]));
      throw new IOException("disk full");
    })).hasMessage("disk full");
    assertThat(out).hasBinaryContent(new byte[] {9});
    try (var left = Files.list(tmp)) {
      assertThat(left).containsExactly(out);
    }
  }
}
