package dev.nanokit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/tfs, bin/mkimage and bin/nanokit run the packaged jar from any directory (docs/cli). */
class LauncherIT {
  private static final Path BIN = Path.of("..", "bin").toAbsolutePath().normalize();
  @TempDir Path elsewhere;

  record Run(int exit, String out, String err) {}

  private Run run(String launcher, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(BIN.resolve(launcher).toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(elsewhere.toFile()).start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
  }

  @Test
  void helpAndVersionWorkFromAnotherDirectory() throws Exception {
    Run tfs = run("tfs", "--help");
    assertThat(tfs.exit()).isZero();
    assertThat(tfs.out()).startsWith("Usage: tfs");
    Run mkimage = run("mkimage", "--help");
    assertThat(mkimage.exit()).isZero();
    assertThat(mkimage.out()).startsWith("Usage: mkimage");
    assertThat(run("tfs", "--version").out()).startsWith("nanokit ");
    Run nanokit = run("nanokit", "run", "--help");
    assertThat(nanokit.exit()).isZero();
    assertThat(nanokit.out()).startsWith("Usage: nanokit run");
  }

  @Test
  void exitCodesFollowTheContract() throws Exception {
    Run usage = run("tfs", "no-such-command");
    assertThat(usage.exit()).isEqualTo(2);
    assertThat(usage.err()).startsWith("tfs: ").endsWith("\n").hasLineCount(1);
    Run failure = run("tfs", "ls", "absent.img");
    assertThat(failure.exit()).isEqualTo(1);
    assertThat(failure.err()).isEqualTo("tfs: absent.img: no such file\n");
  }
}
