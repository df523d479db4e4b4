package dev.nanokit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nanokit.tfs.TfsWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged {@code bin/tfs export} against a real terminal and GNU tar. */
class ExportCommandIT {
  private static final Path TFS = Path.of("..", "bin", "tfs").toAbsolutePath().normalize();

  @TempDir Path tmp;

  record Run(int exit, String out, String err) {}

  private Run run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectInput(ProcessBuilder.Redirect.from(
        Path.of("/dev/null").toFile())).start();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
  }

  private static boolean onPath(String tool) {
    return dev.nanokit.testing.manifest.TestTools.onPath(tool).isPresent();
  }

  private Path volume() throws IOException {
    Path img = tmp.resolve("v.img");
    TfsWriter.create().addFile("/etc/hosts", "127.0.0.1 localhost\n".getBytes(StandardCharsets.UTF_8))
        .addSymlink("/lnk", "/etc/hosts").addDirectory("/var/empty").writeTo(img);
    return img;
  }

  /** util-linux script(1) gives the command a pseudo-terminal as stdout. */
  @Test
  void refusesToWriteATarToATerminal() throws Exception {
    assumeTrue(onPath("script"), "script(1) from util-linux is not installed");
    Path img = volume();
    Run r = run("script", "-qec", "'" + TFS + "' export '" + img + "'", "/dev/null");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out().replace("\r", "")).isEqualTo("tfs: refusing to write a tar archive to a terminal: redirect"
        + " stdout or use -o FILE (see 'tfs export --help')\n");
  }

  @Test
  void gnuTarReadsTheExportAndItsTarsBuildTheSameVolumeAsTheTree() throws Exception {
    assumeTrue(onPath("tar"), "tar is not installed");
    Path img = volume();
    Path tar = tmp.resolve("tree.tar");
    assertThat(run("sh", "-c", "'" + TFS + "' export '" + img + "' > '" + tar + "'").exit()).isZero();
    Run list = run("tar", "--numeric-owner", "--utc", "-tvf", tar.toString());
    assertThat(list.err()).isEmpty();
    assertThat(list.out()).isEqualTo(
        "drwxr-xr-x 0/0               0 1970-01-01 00:00 etc/\n"
            + "-rw-r--r-- 0/0              20 1970-01-01 00:00 etc/hosts\n"
            + "lrwxrwxrwx 0/0               0 1970-01-01 00:00 lnk -> /etc/hosts\n"
            + "drwxr-xr-x 0/0               0 1970-01-01 00:00 var/\n"
            + "drwxr-xr-x 0/0               0 1970-01-01 00:00 var/empty/\n");

    // A tree GNU tar archives (gnu and pax formats, gzip too) gives the volume mkfs makes of the tree.
    Path tree = Files.createDirectories(tmp.resolve("tree/a/" + "long".repeat(30)));
    Files.writeString(tree.resolve("f.txt"), "long path\n");
    Files.write(tmp.resolve("tree/a/bin"), new byte[70_000]);
    Files.createLink(tmp.resolve("tree/hard"), tmp.resolve("tree/a/bin"));
    Files.createSymbolicLink(tmp.resolve("tree/up"), Path.of("../../outside"));
    Path fromDir = tmp.resolve("dir.img");
    assertThat(run(TFS.toString(), "mkfs", fromDir.toString(), tmp.resolve("tree").toString()).exit()).isZero();
    List<String> archives = new ArrayList<>();
    for (String format : List.of("gnu", "pax")) {
      Path a = tmp.resolve(format + ".tgz");
      assertThat(run("tar", "--format=" + format, "-czf", a.toString(), "-C", tmp.resolve("tree").toString(), ".")
          .exit()).isZero();
      archives.add(a.toString());
    }
    for (String a : archives) {
      Path v = tmp.resolve(Path.of(a).getFileName() + ".img");
      Run mkfs = run(TFS.toString(), "mkfs", v.toString(), "--from-tar", a);
      assertThat(mkfs.err()).isEmpty();
      assertThat(Files.readAllBytes(v)).as(a).isEqualTo(Files.readAllBytes(fromDir));
    }
  }
}
