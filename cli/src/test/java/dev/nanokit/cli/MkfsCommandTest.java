package dev.nanokit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MkfsCommandTest {
  @TempDir Path tmp;

  private Path tree() throws Exception {
    Path t = tmp.resolve("tree");
    Files.createDirectories(t.resolve("etc"));
    Files.createDirectories(t.resolve("empty"));
    Files.writeString(t.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/nobash");
    Files.write(t.resolve("big.bin"), new byte[100_000]);
    Files.createSymbolicLink(t.resolve("link"), Path.of("/etc/passwd"));
    return t;
  }

  @Test
  void buildsAVolumeThatReadsBackAndIsReproducible() throws Exception {
    Path t = tree();
    Path a = tmp.resolve("a.img");
    Path b = tmp.resolve("b.img");
    assertThat(Cli.tfs("mkfs", "--label", "demo", a.toString(), t.toString()).exit()).isZero();
    Files.setLastModifiedTime(t.resolve("etc/passwd"), java.nio.file.attribute.FileTime.fromMillis(0));
    assertThat(Cli.tfs("mkfs", "--label", "demo", b.toString(), t.toString()).exit()).isZero();
    assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
    assertThat(Cli.tfs("find", "-l", a.toString()).out()).isEqualTo(
        "d 0 /\nf 100000 /big.bin\nd 0 /empty\nd 0 /etc\nf 33 /etc/passwd\nl 0 /link -> /etc/passwd\n");
    assertThat(Cli.tfs("info", a.toString()).out()).contains("label: demo\n", "version: 5\n");
  }

  @Test
  void writesVersion4AndAFixedUuid() throws Exception {
    Path v = tmp.resolve("v4.img");
    Cli.Result r = Cli.tfs("mkfs", "--tfs-version", "4", "--uuid", "00112233-4455-6677-8899-aabbccddeeff",
        v.toString(), tree().toString());
    assertThat(r.exit()).isZero();
    assertThat(Cli.tfs("info", v.toString()).out())
        .contains("version: 4\n", "uuid: 00112233-4455-6677-8899-aabbccddeeff\n");
  }

  @Test
  void buildsFromAManifest() throws Exception {
    Path hello = tmp.resolve("hello.txt");
    Files.writeString(hello, "hi\n");
    Path manifest = tmp.resolve("m.manifest");
    Files.writeString(manifest, "(children:(etc:(children:(hello.txt:(contents:(host:" + hello
        + ")))) lnk:(linktarget:/etc/hello.txt)) program:/etc/hello.txt)\n");
    Path v = tmp.resolve("m.img");
    assertThat(Cli.tfs("mkfs", v.toString(), "--manifest", manifest.toString()).err()).isEmpty();
    assertThat(new String(Cli.tfs("cat", v.toString(), "/lnk").rawOut())).isEqualTo("hi\n");
    assertThat(Cli.tfs("manifest", v.toString()).out()).contains("program:\"/etc/hello.txt\"");
  }

  @Test
  void tooSmallOrBadInputFailsWithOneLineAndNoOutput() throws Exception {
    Path v = tmp.resolve("small.img");
    Cli.Result small = Cli.tfs("mkfs", "--size", "100k", v.toString(), tree().toString());
    assertThat(small.exit()).isEqualTo(1);
    assertThat(small.errLine()).startsWith("tfs: " + v + ": volume size 102400 bytes is too small: it needs at least ");
    assertThat(v).doesNotExist();
    assertThat(Cli.tfs("mkfs", v.toString()).exit()).isEqualTo(2);
    assertThat(Cli.tfs("mkfs", "--tfs-version", "3", v.toString(), tmp.toString()).exit()).isEqualTo(2);
    Cli.Result badManifest = Cli.tfs("mkfs", v.toString(), "--manifest", Files.writeString(tmp.resolve("bad"), "(a:[b)]").toString());
    assertThat(badManifest.exit()).isEqualTo(1);
    assertThat(badManifest.errLine()).startsWith("tfs: " + v + ": " + tmp.resolve("bad") + ":1:");
    try (var s = Files.list(tmp)) {
      assertThat(s.map(p -> p.getFileName().toString())).doesNotContain("small.img");
    }
  }
}
