package dev.nanokit.tfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanokit.testing.manifest.RandomCases;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Digests taken on the second thread give exactly the volume the inline ones give. */
class ContentDigestsTest {
  @TempDir Path tmp;

  @Test
  void hostFilesAndStreamsOfTheSameBytesGiveTheSameVolume() {
    RandomCases.run("background digests", 20, (r, i) -> {
      try {
        Path dir = Files.createDirectories(tmp.resolve("case" + i));
        TfsWriter fromFiles = TfsWriter.create();
        TfsWriter fromStreams = TfsWriter.create();
        int files = 1 + r.nextInt(6);
        for (int f = 0; f < files; f++) {
          byte[] data = new byte[r.nextInt(3) == 0 ? 0 : r.nextInt(3 << 20)];
          r.nextBytes(data);
          Path host = Files.write(dir.resolve("f" + f), data);
          fromFiles.addFile("/d/f" + f, host);
          fromStreams.addFile("/d/f" + f, data.length, () -> new ByteArrayInputStream(data));
        }
        TfsWriteResult a = fromFiles.writeTo(dir.resolve("files.img"));
        TfsWriteResult b = fromStreams.writeTo(dir.resolve("streams.img"));
        assertThat(a.uuid()).isEqualTo(b.uuid());
        assertThat(Files.readAllBytes(dir.resolve("files.img"))).isEqualTo(Files.readAllBytes(dir.resolve("streams.img")));
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    });
  }

  @Test
  void aFileThatShrankFailsWithOneLineAndNoOutput() throws IOException {
    Path host = Files.write(tmp.resolve("shrinks"), new byte[100_000]);
    TfsWriter w = TfsWriter.create().addFile("/x", host);
    Files.write(host, new byte[10]);
    Path out = tmp.resolve("out.img");
    assertThatThrownBy(() -> w.writeTo(out))
        .isInstanceOf(IOException.class)
        .hasMessage(host + ": ended after 10 of 100000 bytes (changed since it was added?)");
    assertThat(out).doesNotExist();
    try (var left = Files.list(tmp)) {
      assertThat(left).containsExactly(host);
    }
  }
}
