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
  void theTemporaryFileIsBesideTheTargetHiddenAndOwnerOnly() throws IOException {
    Assumptions.assumeTrue(tmp.getFileSystem().supportedFileAttributeViews().contains("posix"), "no POSIX permissions");
    Path out = tmp.resolve("t.img");
    java.util.List<String> seen = new java.util.ArrayList<>();
    AtomicFile.write(out, ch -> {
      try (var files = Files.list(tmp)) {
        for (Path p : files.toList()) {
          seen.add(p.getFileName() + " " + PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
        }
      }
      return ch.write(ByteBuffer.wrap(new byte[] {1}));
    });
    assertThat(seen).singleElement().asString().matches("\\.t\\.img\\.[0-9a-z]+\\.tmp rw-------");
    try (var left = Files.list(tmp)) {
      assertThat(left).containsExactly(out);
    }
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
