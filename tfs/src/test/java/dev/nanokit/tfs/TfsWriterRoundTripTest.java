package dev.nanokit.tfs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanokit.testing.tfs.GoldenVolumes;
import dev.nanokit.testing.tfs.Listing;
import dev.nanokit.testing.tfs.WrittenLog;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Write → read with the package's reader: the golden small tree (taken out of each reference
 * writer's volume onto the host, then written again) must list exactly as {@code small-tree.expected}.
 */
class TfsWriterRoundTripTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @CsvSource({"mkfs-small, 5", "mkfs-small, 4", "ops-small, 5", "ops-small-v4, 4"})
  void theGoldenSmallTreeSurvivesAWriteAndARead(String golden, int version) throws IOException {
    Path image = GoldenVolumes.unpack(golden, tmp);
    Path host = tmp.resolve("host");
    try (TfsVolume v = TfsVolume.open(image)) {
      copyOut(v, host);
    }
    Path out = tmp.resolve("again.img");
    TfsWriteResult r = TfsWriter.create().setVersion(version).setLabel("golden").addTree("/", host).writeTo(out);
    try (TfsVolume v = TfsVolume.open(out)) {
      assertThat(Listing.of(v)).isEqualTo(GoldenVolumes.expected("small-tree"));
      TfsVolumeInfo info = v.info();
      assertThat(info.version()).isEqualTo(version);
      assertThat(info.label()).isEqualTo("golden");
      assertThat(info.files()).isEqualTo(r.files());
      assertThat(info.directories()).isEqualTo(r.directories());
      assertThat(info.symlinks()).isEqualTo(r.symlinks());
      assertThat(info.usedBytes()).isEqualTo(r.usedBlocks() * 512);
    }
    TfsWriterTest.assertNamesDefinedOnce(WrittenLog.read(out).decode());
  }

  static void copyOut(TfsVolume v, Path host) throws IOException {
    Files.createDirectories(host);
    v.walk(v.root(), n -> {
      if (n.path().equals("/")) {
        return;
      }
      Path p = host.resolve(n.path().substring(1));
      switch (n.type()) {
        case DIRECTORY -> Files.createDirectories(p);
        case SYMLINK -> Files.createSymbolicLink(p, Path.of(n.linkTarget()));
        case FILE -> {
          try (InputStream in = n.newInputStream()) {
            Files.copy(in, p);
          }
        }
        default -> throw new AssertionError(n);
      }
    });
  }
}
