package dev.nanokit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanokit.testing.tfs.TarFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code tfs mkfs OUT --from-tar TREE.tar}: hand-built archives in, volumes (or one-line refusals) out. */
class MkfsFromTarTest {
  @TempDir Path tmp;

  static byte[] tree() {
    return new TarFixture()
        .mtime(1_700_000_000L).dir("./")
        .file("./etc/passwd", "root:x:0:0:root:/root:/bin/nobash\n")
        .file("etc/hosts", "old").file("etc/hosts", "127.0.0.1 localhost\n")
        .hardLink("bin/passwd-copy", "etc/passwd")
        .symlink("bin/sh", "/no/such/host/path")
        .symlink("rel", "etc/hosts")
        .dir("empty")
        .file("big.bin", new byte[300_000])
        .bytes();
  }

  @Test
  void buildsAVolumeFromAGzipTarWithTheUsualOptions() throws IOException {
    Path tgz = Files.write(tmp.resolve("tree.tgz"), TarFixture.gzip(tree()));
    Path v = tmp.resolve("v.img");
    Cli.Result r = Cli.tfs("mkfs", "--label", "fromtar", "--uuid", "00112233-4455-6677-8899-aabbccddeeff",
        "--tfs-version", "4", v.toString(), "--from-tar", tgz.toString());
    assertThat(r.err()).isEmpty();
    assertThat(r.exit()).isZero();
    assertThat(Cli.tfs("find", "-l", v.toString()).out()).isEqualTo("d 0 /\nf 300000 /big.bin\nd 0 /bin\n"
        + "f 34 /bin/passwd-copy\nl 0 /bin/sh -> /no/such/host/path\nd 0 /empty\nd 0 /etc\nf 20 /etc/hosts\n"
        + "f 34 /etc/passwd\nl 0 /rel -> etc/hosts\n");
    assertThat(new String(Cli.tfs("cat", v.toString(), "/bin/passwd-copy").rawOut()))
        .isEqualTo("root:x:0:0:root:/root:/bin/nobash\n");
    assertThat(new String(Cli.tfs("cat", v.toString(), "/rel").rawOut())).isEqualTo("127.0.0.1 localhost\n");
    assertThat(Cli.tfs("info", v.toString()).out())
        .contains("version: 4\n", "label: fromtar\n", "uuid: 00112233-4455-6677-8899-aabbccddeeff\n");
    assertThat(Cli.tfs("ls", "-l", v.toString(), "/etc").out()).isEqualTo("f 20 - hosts\nf 34 - passwd\n");
  }

  @Test
  void plainAndGzipTarsGiveTheSameBytesAndMtimesComeOnlyWithTheFlag() throws IOException {
    Path plain = Files.write(tmp.resolve("tree.tar"), tree());
    Path gz = Files.write(tmp.resolve("tree.tar.gz"), TarFixture.gzip(tree()));
    Path a = tmp.resolve("a.img");
    Path b = tmp.resolve("b.img");
    assertThat(Cli.tfs("mkfs", a.toString(), "--from-tar", plain.toString()).exit()).isZero();
    assertThat(Cli.tfs("mkfs", b.toString(), "--from-tar", gz.toString()).exit()).isZero();
    assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
    Path t = tmp.resolve("t.img");
    assertThat(Cli.tfs("mkfs", "--mtimes", t.toString(), "--from-tar", plain.toString()).exit()).isZero();
    assertThat(Cli.tfs("ls", "-l", t.toString(), "/etc").out())
        .isEqualTo("f 20 2023-11-14T22:13:20Z hosts\nf 34 2023-11-14T22:13:20Z passwd\n");
    assertThat(Cli.tfs("stat", t.toString(), "/").out()).contains("2023-11-14T22:13:20Z");
  }

  static Stream<Arguments> hostileTars() {
    byte[] whole = new TarFixture().file("a", "a").file("big", new byte[50_000]).bytes();
    return Stream.of(
        Arguments.of("dotdot", (Supplier<byte[]>) () -> new TarFixture().file("../x", "x").bytes(),
            "refused entry \"../x\": name has a '..' component"),
        Arguments.of("nul", (Supplier<byte[]>) () -> new TarFixture().file("n".repeat(100) + "\0", "x").bytes(),
            "refused entry \"" + "n".repeat(100) + "\\x00\": name contains NUL"),
        Arguments.of("device", (Supplier<byte[]>) () -> new TarFixture().special("dev/sda", TarConstants.LF_BLK).bytes(),
            "refused entry \"dev/sda\": a block device (TFS stores only directories, regular files and symlinks)"),
        Arguments.of("hardlink", (Supplier<byte[]>) () -> new TarFixture().hardLink("h", "etc/shadow").bytes(),
            "refused entry \"h\": hard link to \"etc/shadow\", which no earlier entry names"),
        Arguments.of("truncated", (Supplier<byte[]>) () -> Arrays.copyOf(whole, 3 * 512 + 1000),
            "refused entry \"big\": data ends or breaks after 1000 of its 50000 bytes: Truncated TAR archive"));
  }

  /** One line naming OUT, the archive and the entry; no volume, no temporary file, no spool left behind. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileTars")
  void mkfsFromTarFailsOnHostileArchives(String kind, Supplier<byte[]> tar, String message) throws IOException {
    Path archive = Files.write(tmp.resolve(kind + ".tar"), tar.get());
    Path v = tmp.resolve("v.img");
    List<String> spoolsBefore = spools();
    Cli.Result r = Cli.tfs("mkfs", v.toString(), "--from-tar", archive.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.errLine()).isEqualTo("tfs: " + v + ": " + archive + ": " + message);
    try (var s = Files.list(tmp)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly(kind + ".tar");
    }
    assertThat(spools()).isEqualTo(spoolsBefore);
  }

  @Test
  void exactlyOneSourceAndAnArchiveThatExists() throws IOException {
    Path v = tmp.resolve("v.img");
    Path tar = Files.write(tmp.resolve("t.tar"), tree());
    Cli.Result two = Cli.tfs("mkfs", v.toString(), tmp.toString(), "--from-tar", tar.toString());
    assertThat(two.exit()).isEqualTo(2);
    assertThat(two.errLine()).isEqualTo(
        "tfs: give exactly one of HOSTDIR, --manifest FILE or --from-tar TREE.tar (see 'tfs mkfs --help')");
    Cli.Result missing = Cli.tfs("mkfs", v.toString(), "--from-tar", tmp.resolve("absent.tar").toString());
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.errLine()).isEqualTo("tfs: " + tmp.resolve("absent.tar") + ": no such file or directory");
    assertThat(v).doesNotExist();
    assertThat(Cli.tfs("mkfs", "--help").out()).contains("--from-tar=TREE.tar");
  }

  private static List<String> spools() throws IOException {
    try (var s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("tfs-mkfs-")).sorted().toList();
    }
  }
}
