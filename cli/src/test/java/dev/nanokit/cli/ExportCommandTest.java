package dev.nanokit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanokit.manifest.Tuple;
import dev.nanokit.manifest.codec.TupleEncoder;
import dev.nanokit.manifest.codec.TupleEncoding;
import dev.nanokit.testing.tfs.GoldenVolumes;
import dev.nanokit.testing.tfs.RawVolume;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportCommandTest {
  @TempDir static Path shared;
  static Path golden;

  @TempDir Path tmp;

  @BeforeAll
  static void unpackGolden() throws IOException {
    golden = GoldenVolumes.unpack("mkfs-small", shared);
  }

  @Test
  void stdoutAndOutputFileGetTheSameDeterministicTar() throws IOException {
    Cli.Result toStdout = Cli.tfs("export", golden.toString());
    assertThat(toStdout.exit()).isZero();
    assertThat(toStdout.err()).isEmpty();
    Path file = tmp.resolve("tree.tar");
    Cli.Result toFile = Cli.tfs("export", "-o", file.toString(), golden.toString(), "/");
    assertThat(toFile.exit()).isZero();
    assertThat(toFile.rawOut()).isEmpty();
    assertThat(Files.readAllBytes(file)).isEqualTo(toStdout.rawOut());
    assertThat(Cli.tfs("export", golden.toString()).rawOut()).isEqualTo(toStdout.rawOut());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r--r--");
    try (var s = Files.list(tmp)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("tree.tar");
    }
    // Every path of the image but the root, in the order find lists them.
    List<String> found = new ArrayList<>();
    for (String line : Cli.tfs("find", golden.toString()).out().split("\n")) {
      if (!line.equals("/")) {
        found.add(line.substring(1));
      }
    }
    assertThat(names(toStdout.rawOut()).stream().map(n -> n.endsWith("/") ? n.substring(0, n.length() - 1) : n))
        .containsExactlyElementsOf(found);
  }

  @Test
  void exportThenMkfsFromTarGivesTheSameTree() throws IOException {
    Path tar = tmp.resolve("tree.tar");
    assertThat(Cli.tfs("export", "-o", tar.toString(), golden.toString()).exit()).isZero();
    Path again = tmp.resolve("again.img");
    Cli.Result mkfs = Cli.tfs("mkfs", again.toString(), "--from-tar", tar.toString());
    assertThat(mkfs.err()).isEmpty();
    assertThat(mkfs.exit()).isZero();
    assertThat(Cli.tfs("find", "-l", again.toString()).out()).isEqualTo(Cli.tfs("find", "-l", golden.toString()).out());
    String oneBin = Cli.tfs("find", golden.toString()).out().lines().filter(l -> l.endsWith(".bin")).findFirst()
        .orElseThrow();
    assertThat(Cli.tfs("cat", again.toString(), oneBin).rawOut())
        .isEqualTo(Cli.tfs("cat", golden.toString(), oneBin).rawOut())
        .isNotEmpty();
  }

  @Test
  void aSubtreeOrASingleFileExportsRelativeToPath() throws IOException {
    assertThat(names(Cli.tfs("export", golden.toString(), "/lib").rawOut()))
        .containsExactly("deep/", "deep/er/", "deep/er/still/", "deep/er/still/m1.bin", "rel-link");
    assertThat(names(Cli.tfs("export", golden.toString(), "/etc/passwd").rawOut())).containsExactly("passwd");
    assertThat(names(Cli.tfs("export", golden.toString(), "/dir-link").rawOut())).containsExactly("dir-link");
    assertThat(names(Cli.tfs("export", golden.toString(), "/dir-link/").rawOut()))
        .containsExactly("er/", "er/still/", "er/still/m1.bin");
  }

  @Test
  void failuresAreOneLineAndLeaveNoFile() throws IOException {
    Path out = tmp.resolve("out.tar");
    Cli.Result missing = Cli.tfs("export", "-o", out.toString(), golden.toString(), "/nope");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.errLine()).isEqualTo("tfs: " + golden + ": /nope: no such file or directory");
    Cli.Result boot = Cli.tfs("export", "--boot", "-o", out.toString(), golden.toString());
    assertThat(boot.exit()).isEqualTo(1);
    assertThat(boot.errLine()).startsWith("tfs: " + golden + ": not a partitioned disk image");
    Cli.Result noDir = Cli.tfs("export", "-o", tmp.resolve("no/such/dir.tar").toString(), golden.toString());
    assertThat(noDir.exit()).isEqualTo(1);
    assertThat(noDir.errLine()).startsWith("tfs: " + tmp.resolve("no/such/dir.tar") + ": ");
    Cli.Result onDir = Cli.tfs("export", "-o", tmp.toString(), golden.toString());
    assertThat(onDir.exit()).isEqualTo(1);
    assertThat(onDir.errLine()).isEqualTo("tfs: " + tmp + ": is a directory");
    assertThat(Cli.tfs("export").exit()).isEqualTo(2);
    try (var s = Files.list(tmp)) {
      assertThat(s).isEmpty();
    }
  }

  /** A volume whose tree fails half-way: the earlier tar at FILE is untouched and no temporary file stays. */
  @Test
  void exportFailsOnAnUnsafeNameAndKeepsTheOldFile() throws IOException {
    Tuple root = new Tuple().put("children", new Tuple()
        .put("a", new Tuple().put("extents", new Tuple()))
        .put("d", new Tuple().put("children", new Tuple().put("x/../../y", new Tuple().put("extents", new Tuple())))));
    Path img = Files.write(tmp.resolve("evil.img"),
        new RawVolume(1100, "", 5).tuple(new TupleEncoder(TupleEncoding.V5).encodeRecord(root)).build());
    Path out = Files.writeString(tmp.resolve("out.tar"), "old");
    Cli.Result r = Cli.tfs("export", "-o", out.toString(), img.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.errLine()).startsWith("tfs: " + img + ": /d: entry name \"x/../../y\" is empty or contains '/' at byte offset ");
    assertThat(Files.readString(out)).isEqualTo("old");
    try (var s = Files.list(tmp)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("evil.img", "out.tar");
    }
  }

  static List<String> names(byte[] tar) throws IOException {
    List<String> names = new ArrayList<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar),
        StandardCharsets.UTF_8.name())) {
      for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
        names.add(e.getName());
      }
    }
    return names;
  }
}
