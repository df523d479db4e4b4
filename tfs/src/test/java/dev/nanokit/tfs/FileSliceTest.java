package dev.nanokit.tfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanokit.testing.tfs.TarFixture;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSliceTest {
  @TempDir Path tmp;

  @Test
  void readsExactlyItsRangeInAnyOrder() throws IOException {
    Path f = Files.writeString(tmp.resolve("spool"), "0123456789");
    FileSlice late = new FileSlice(f, 6, 4, "late");
    FileSlice early = new FileSlice(f, 0, 3, "early");
    FileSlice empty = new FileSlice(f, 10, 0, "empty");
    assertThat(read(late)).isEqualTo("6789");
    assertThat(read(early)).isEqualTo("012");
    assertThat(read(empty)).isEmpty();
    assertThat(late.origin()).isEqualTo("late");
  }

  /** A spool cut short after the tree was read: the writer names the entry and leaves no volume. */
  @Test
  void aSliceBeyondTheEndOfItsFileFailsTheWrite() throws IOException {
    Path tar = Files.write(tmp.resolve("t.tar"), new TarFixture().file("a", "aaaa").file("b", "bbbb").bytes());
    Path spool = Files.createFile(tmp.resolve("spool"));
    TfsWriter w = TfsWriter.create().addTar("/", tar, spool);
    try (var ch = Files.newByteChannel(spool, java.nio.file.StandardOpenOption.WRITE)) {
      ch.truncate(6);
    }
    Path out = tmp.resolve("v.img");
    assertThatThrownBy(() -> w.writeTo(out))
        .isInstanceOf(IOException.class)
        .hasMessage(tar + ": entry \"b\": ended after 2 of 4 bytes (changed since it was added?)");
    try (var s = Files.list(tmp)) {
      assertThat(s.map(p -> p.getFileName().toString()).sorted().toList()).isEqualTo(List.of("spool", "t.tar"));
    }
  }

  private static String read(FileSlice slice) throws IOException {
    try (InputStream in = Channels.newInputStream(slice.open())) {
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
  }
}
