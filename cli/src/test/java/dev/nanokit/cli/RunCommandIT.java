package dev.nanokit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nanokit.testing.manifest.TestPrograms;
import dev.nanokit.testing.manifest.TestTools;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/nanokit run} as a process: Ctrl-C (SIGINT to nanokit) stops the VM and exits 130, with a
 * stand-in QEMU; and, when NANOS_KERNEL and NANOS_BOOT name a real kernel and boot.img and QEMU is
 * installed, a real boot whose program's exit status becomes nanokit's.
 */
class RunCommandIT {
  private static final Path BIN = Path.of("..", "bin").toAbsolutePath().normalize();
  @TempDir Path tmp;

  private Path image(Path kernel, Path boot, Path program, String... extra) throws Exception {
    Path out = tmp.resolve("run.img");
    List<String> args = new ArrayList<>(List.of(BIN.resolve("mkimage").toString(), "--program", program.toString(),
        "--kernel", kernel.toString(), "--set", "debug_exit=t", "-o", out.toString()));
    if (boot != null) {
      args.addAll(List.of("--boot", boot.toString()));
    }
    args.addAll(List.of(extra));
    Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
    return out;
  }

  /**
   * Starts {@code bin/nanokit run} in its own session (so its process group can be signalled as a
   * terminal would) with a stand-in QEMU that, like QEMU, says "terminating on signal N" on SIGINT or
   * SIGTERM and exits 0; returns once the stand-in runs.
   */
  private Process startWithStandIn(Path started, Path terminated) throws Exception {
    Path img = image(TestPrograms.staticElf(tmp.resolve("k")), null, TestPrograms.staticElf(tmp.resolve("p")));
    Path bin = Files.createDirectories(tmp.resolve("fake-bin"));
    Path q = Files.writeString(bin.resolve("qemu-system-x86_64"), "#!/bin/sh\n"
        + "stop() { echo $1 > " + terminated + "; echo \"qemu-system-x86_64: terminating on signal $1\" >&2; exit 0; }\n"
        + "trap 'stop 15' TERM\ntrap 'stop 2' INT\n"
        + "echo $$ > " + started + ".tmp; mv " + started + ".tmp " + started + "\n"
        + "while :; do sleep 0.1; done\n");
    q.toFile().setExecutable(true);
    ProcessBuilder pb = new ProcessBuilder("setsid", BIN.resolve("nanokit").toString(), "run", img.toString(), "--accel", "tcg")
        .redirectInput(ProcessBuilder.Redirect.PIPE);
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    Process nanokit = pb.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(started) && System.nanoTime() < deadline && nanokit.isAlive()) {
      Thread.sleep(50);
    }
    assertThat(started).as("the stand-in QEMU started").exists();
    return nanokit;
  }

  private static void kill(String signal, String target) throws Exception {
    Process kill = new ProcessBuilder("kill", signal, "--", target).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
  }

  private static String finish(Process nanokit) throws Exception {
    assertThat(nanokit.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new String(nanokit.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  /** Whatever a failed test leaves, no stand-in keeps running after it. */
  @org.junit.jupiter.api.AfterEach
  void killLeftovers() throws Exception {
    Path started = tmp.resolve("started");
    if (Files.exists(started)) {
      ProcessHandle.of(Long.parseLong(Files.readString(started).strip())).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void sigintToNanokitStopsTheVmAndExits130() throws Exception {
    assumeTrue(TestTools.onPath("setsid").isPresent(), "setsid is not installed");
    Path started = tmp.resolve("started");
    Path terminated = tmp.resolve("terminated");
    Process nanokit = startWithStandIn(started, terminated);
    // SIGINT to nanokit alone (setsid execs, so the pid is the JVM's).
    kill("-INT", Long.toString(nanokit.pid()));
    String err = finish(nanokit);
    assertThat(nanokit.exitValue()).as(err).isEqualTo(130);
    assertThat(terminated).as("QEMU was stopped").hasContent("15\n");
    assertThat(err).contains("nanokit: interrupted; stopping the VM\n");
    long qemuPid = Long.parseLong(Files.readString(started).strip());
    assertThat(ProcessHandle.of(qemuPid).map(ProcessHandle::isAlive).orElse(false)).as("QEMU left running").isFalse();
  }

  @Test
  void ctrlCAtATerminalReachesBothAndExits130() throws Exception {
    assumeTrue(TestTools.onPath("setsid").isPresent(), "setsid is not installed");
    Path started = tmp.resolve("started");
    Path terminated = tmp.resolve("terminated");
    Process nanokit = startWithStandIn(started, terminated);
    // A terminal's Ctrl-C signals the whole foreground process group: nanokit and QEMU.
    kill("-INT", "-" + nanokit.pid());
    String err = finish(nanokit);
    assertThat(nanokit.exitValue()).as(err).isEqualTo(130);
    assertThat(Files.readString(terminated)).isIn("2\n", "15\n");
    assertThat(err).containsPattern("nanokit: interrupted; (stopping the VM|the VM stopped)\n");
  }

  @Test
  void aRealBootReportsTheProgramsExitStatusAndServesAForwardedPort() throws Exception {
    String kernel = System.getenv("NANOS_KERNEL");
    String boot = System.getenv("NANOS_BOOT");
    assumeTrue(kernel != null && boot != null, "NANOS_KERNEL and NANOS_BOOT are not set");
    assumeTrue(TestTools.onPath("qemu-system-x86_64").isPresent(), "qemu-system-x86_64 is not installed");
    assumeTrue(TestTools.onPath("gcc").isPresent(), "gcc is not installed");
    Path src = Files.writeString(tmp.resolve("serve.c"), """
        #include <stdio.h>
        #include <string.h>
        #include <unistd.h>
        #include <netinet/in.h>
        #include <sys/socket.h>
        int main(void) {
          int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
          setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
          struct sockaddr_in a = {0};
          a.sin_family = AF_INET; a.sin_port = htons(8080); a.sin_addr.s_addr = htonl(INADDR_ANY);
          bind(s, (struct sockaddr *) &a, sizeof a); listen(s, 1);
          printf("serving\\n"); fflush(stdout);
          int c = accept(s, 0, 0);
          char buf[1024]; read(c, buf, sizeof buf);
          const char *r = "HTTP/1.0 200 OK\\r\\nContent-Length: 6\\r\\n\\r\\nnanos\\n";
          write(c, r, strlen(r)); close(c);
          return 3;
        }
        """);
    Path program = tmp.resolve("serve");
    Process cc = new ProcessBuilder("gcc", "-static", "-O2", "-o", program.toString(), src.toString()).inheritIO().start();
    assertThat(cc.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(cc.exitValue()).as("gcc could not build the test program").isZero();
    Path img = image(Path.of(kernel), Path.of(boot), program);
    int port = freePort();
    // TCG, not auto: where /dev/kvm exists but cannot run Nanos (nested KVM here), auto would pick it.
    Process nanokit = new ProcessBuilder(BIN.resolve("nanokit").toString(), "run", img.toString(), "-p", port + ":8080",
        "--snapshot", "--accel", "tcg").redirectErrorStream(false).start();
    awaitConsole(nanokit, "serving");
    assertThat(get(port)).isEqualTo("nanos\n");
    if (!nanokit.waitFor(120, TimeUnit.SECONDS)) {
      nanokit.destroyForcibly();
    }
    assertThat(nanokit.exitValue()).as(new String(nanokit.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
        .isEqualTo(3);
  }

  /** The check: node serving HTTP on a forwarded port, answered from the host, through nanokit run. */
  @Test
  void nodeServesHttpOnAForwardedPort() throws Exception {
    String kernel = System.getenv("NANOS_KERNEL");
    String boot = System.getenv("NANOS_BOOT");
    assumeTrue(kernel != null && boot != null, "NANOS_KERNEL and NANOS_BOOT are not set");
    assumeTrue(TestTools.onPath("qemu-system-x86_64").isPresent(), "qemu-system-x86_64 is not installed");
    Path node = TestTools.onPath("node").orElse(null);
    assumeTrue(node != null, "node is not installed");
    Path img = image(Path.of(kernel), Path.of(boot), node.toRealPath(), "--arg", "-e", "--arg",
        "require('http').createServer((q, s) => { s.end('node on nanos\\n'); process.exit(0); })"
            + ".listen(8080, () => console.log('listening'))");
    int port = freePort();
    Process nanokit = new ProcessBuilder(BIN.resolve("nanokit").toString(), "run", img.toString(), "-p", port + ":8080",
        "--snapshot", "--accel", "tcg").start();
    awaitConsole(nanokit, "listening");
    assertThat(get(port)).isEqualTo("node on nanos\n");
    if (!nanokit.waitFor(120, TimeUnit.SECONDS)) {
      nanokit.destroyForcibly();
    }
    assertThat(nanokit.exitValue()).as(new String(nanokit.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
  }

  /** Reads the VM's console until {@code line} shows (at most 180 s), and fails with what it showed otherwise. */
  private static void awaitConsole(Process nanokit, String line) throws IOException {
    nanokit.getOutputStream().close();
    InputStream console = nanokit.getInputStream();
    StringBuilder seen = new StringBuilder();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (!seen.toString().contains(line) && System.nanoTime() < deadline) {
      int b = console.read();
      if (b < 0) {
        break;
      }
      seen.append((char) b);
    }
    assertThat(seen.toString()).as("serial console").contains(line);
  }

  /** The body the host gets from {@code http://127.0.0.1:port/}. */
  private static String get(int port) throws IOException, InterruptedException {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
        .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  private static int freePort() throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
