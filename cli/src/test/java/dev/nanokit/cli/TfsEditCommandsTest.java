package dev.nanokit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanokit.testing.tfs.GoldenVolumes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tfs put, mkdir, rm, ln and set change the image in place; the read commands see the result. */
class TfsEditCommandsTest {
  @TempDir Path tmp;
  Path image;

  @BeforeEach
  void copyGolden() throws IOException {
    image = GoldenVolumes.unpack("mkfs-small", tmp);
  }

  @Test
  void putMkdirLnRmAndSet() throws Exception {
    Path host = tmp.resolve("tree");
    Files.createDirectories(host.resolve("sub"));
    Files.writeString(host.resolve("sub/app.conf"), "port=8080\n");
    Files.createSymbolicLink(host.resolve("latest"), Path.of("sub/app.conf"));
    Path single = tmp.resolve("single.txt");
    Files.writeString(single, "one\n");

    assertThat(Cli.tfs("mkdir", "-p", image.toString(), "/srv/app").exit()).isZero();
    assertThat(Cli.tfs("put", image.toString(), host.toString(), "/srv/app").exit()).isZero();
    assertThat(Cli.tfs("put", image.toString(), single.toString(), "/srv/renamed.txt").exit()).isZero();
    assertThat(Cli.tfs("ln", "-s", image.toString(), "/srv/app/tree/sub/app.conf", "/app.conf").exit()).isZero();
    assertThat(Cli.tfs("rm", "-r", image.toString(), "/lib").exit()).isZero();
    assertThat(Cli.tfs("set", image.toString(), "program=/srv/renamed.txt", "environment=(USER:root)").exit()).isZero();

    assertThat(Cli.tfs("find", "-l", image.toString(), "/srv").out()).isEqualTo(
        "d 0 /srv\nd 0 /srv/app\nd 0 /srv/app/tree\nl 0 /srv/app/tree/latest -> sub/app.conf\n"
            + "d 0 /srv/app/tree/sub\nf 10 /srv/app/tree/sub/app.conf\nf 4 /srv/renamed.txt\n");
    assertThat(new String(Cli.tfs("cat", image.toString(), "/app.conf").rawOut())).isEqualTo("port=8080\n");
    assertThat(Cli.tfs("ls", image.toString(), "/").out()).doesNotContain("lib\n");
    assertThat(Cli.tfs("manifest", image.toString()).out()).contains("program:\"/srv/renamed.txt\"", "USER:root");
  }

  /** A host symlink keeps its literal target, which must resolve in the image: a warning when it does not; -L follows. */
  @Test
  void putWarnsAboutLinksThatLeadNowhereInTheImageAndDashLFollowsThem() throws Exception {
    Path host = tmp.resolve("links");
    Files.createDirectories(host);
    Files.writeString(host.resolve("a.txt"), "aaa\n");
    Files.createSymbolicLink(host.resolve("good"), Path.of("a.txt"));
    Files.createSymbolicLink(host.resolve("host-only"), tmp.resolve("links/a.txt"));
    Files.createSymbolicLink(host.resolve("etc"), Path.of("/etc"));

    Cli.Result put = Cli.tfs("put", image.toString(), host.toString(), "/");
    assertThat(put.exit()).isZero();
    assertThat(put.err()).isEqualTo("tfs: warning: " + image + ": /links/host-only -> " + tmp.resolve("links/a.txt")
        + ": the target is not in the image (-L stores what it points to)\n");
    assertThat(Cli.tfs("find", "-l", image.toString(), "/links").out()).isEqualTo("d 0 /links\nf 4 /links/a.txt\n"
        + "l 0 /links/etc -> /etc\nl 0 /links/good -> a.txt\nl 0 /links/host-only -> " + tmp.resolve("links/a.txt") + "\n");

    Cli.Result followed = Cli.tfs("put", "-L", image.toString(), host.resolve("host-only").toString(), "/copied.txt");
    assertThat(followed.exit()).isZero();
    assertThat(followed.err()).isEmpty();
    assertThat(new String(Cli.tfs("cat", image.toString(), "/copied.txt").rawOut())).isEqualTo("aaa\n");

    Files.createSymbolicLink(host.resolve("gone"), Path.of("nothing-here"));
    Cli.Result dangling = Cli.tfs("put", "-L", image.toString(), host.resolve("gone").toString(), "/gone");
    assertThat(dangling.exit()).isEqualTo(1);
    assertThat(dangling.errLine()).isEqualTo("tfs: " + host.resolve("gone") + ": a symlink to nothing (nothing-here)");
    Path looping = Files.createDirectories(tmp.resolve("looping/inner"));
    Files.createSymbolicLink(looping.resolve("up"), Path.of(".."));
    Cli.Result loop = Cli.tfs("put", "-L", image.toString(), tmp.resolve("looping").toString(), "/again");
    assertThat(loop.exit()).isEqualTo(1);
    assertThat(loop.errLine()).isEqualTo("tfs: " + image + ": " + looping.resolve("up") + ": a symlink loop back to "
        + tmp.resolve("looping").toRealPath());
  }

  @Test
  void failuresLeaveTheImageUnchanged() throws Exception {
    byte[] before = Files.readAllBytes(image);
    Cli.Result notEmpty = Cli.tfs("rm", image.toString(), "/lib");
    assertThat(notEmpty.exit()).isEqualTo(1);
    assertThat(notEmpty.errLine()).isEqualTo("tfs: " + image + ": /lib: directory not empty (use -r)");
    Cli.Result exists = Cli.tfs("mkdir", image.toString(), "/etc");
    assertThat(exists.errLine()).isEqualTo("tfs: " + image + ": /etc: already exists");
    Cli.Result missing = Cli.tfs("put", image.toString(), tmp.resolve("absent").toString(), "/x");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.errLine()).isEqualTo("tfs: " + tmp.resolve("absent") + ": no such file or directory");
    Cli.Result hardLink = Cli.tfs("ln", image.toString(), "a", "b");
    assertThat(hardLink.exit()).isEqualTo(2);
    assertThat(Files.readAllBytes(image)).isEqualTo(before);
  }
}
