package dev.nanokit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MkimageCommandTest {
  @TempDir Path tmp;

  private Path staticProgram() throws Exception {
    // Not an ELF with dependencies: the resolver finds nothing to add, which is what a static program gives.
    Path p = tmp.resolve("hello");
    Files.writeString(p, "#!static");
    return p;
  }

  @Test
  void dryRunPrintsThePlannedContentAndRootKeys() throws Exception {
    Path p = staticProgram();
    Cli.Result r = Cli.mkimage("--dry-run", "--no-boot", "--program", p.toString(), "--arg", "x", "--env", "A=b=c");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains(p + "\t" + p + "\n", "/etc/passwd\t(generated, 33 bytes)\n", "/etc/\t\n");
    assertThat(r.out()).contains("A:b=c\n", "arguments:[");
    String[] lines = r.out().split("\n");
    assertThat(lines[0]).startsWith("/");
  }

  @Test
  void writesABareRootVolumeThatTfsReads() throws Exception {
    Path p = staticProgram();
    Path out = tmp.resolve("root.img");
    Cli.Result r = Cli.mkimage("--no-boot", "--program", p.toString(), "--set", "debug_exit=t", "-o", out.toString());
    assertThat(r.err()).isEmpty();
    assertThat(r.exit()).isZero();
    assertThat(Cli.tfs("find", out.toString(), "/etc").out()).contains("/etc/passwd\n", "/etc/resolv.conf\n");
    assertThat(Cli.tfs("manifest", out.toString()).out()).contains("debug_exit:t", "program:\"" + p + "\"");
  }

  @Test
  void aRealUsersConfigBuilds() throws Exception {
    Path p = staticProgram();
    Path cfg = tmp.resolve("config.json");
    Files.writeString(cfg, "{\"RunConfig\":{\"Verbose\":true,\"Ports\":[\"8083\"]},\"Env\":{\"TEST\":\"OPS\"},"
        + "\"Args\":[\"script.py\"],\"Debugflags\":[\"trace:pf,threadrun,all\",\"debugsyscalls\"]}");
    Path out = tmp.resolve("cfg.img");
    Cli.Result r = Cli.mkimage("-c", cfg.toString(), "--program", p.toString(), "--no-boot", "-o", out.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(Cli.tfs("manifest", out.toString()).out())
        .contains("TEST:OPS", "OPS_PORT:8083", "\"trace:pf,threadrun,all\":t", "debugsyscalls:t", "script.py");
  }

  @Test
  void failuresAndUsageErrors() throws Exception {
    Path p = staticProgram();
    Cli.Result noKernel = Cli.mkimage("--program", p.toString(), "-o", tmp.resolve("k.img").toString());
    if (System.getenv("NANOS_HOME") == null) {
      assertThat(noKernel.exit()).isEqualTo(1);
      assertThat(noKernel.errLine()).contains("no Nanos kernel: give --kernel FILE");
    }
    assertThat(Cli.mkimage("--no-boot").exit()).isEqualTo(2);
    assertThat(Cli.mkimage("--no-boot", "--program", p.toString(), "--size", "1GB").exit()).isEqualTo(2);
    Cli.Result missing = Cli.mkimage("--no-boot", "--program", tmp.resolve("absent").toString(), "-o", tmp.resolve("a.img").toString());
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.errLine()).isEqualTo("mkimage: " + tmp.resolve("absent") + ": program not found");
  }
}
