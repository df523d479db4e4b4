package dev.nanokit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nanokit.manifest.StringValue;
import dev.nanokit.tfs.TfsVolume;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real test of an image: the Nanos kernel boots it under qemu (TCG) and runs the program, which
 * writes a file through the kernel. Runs when NANOS_KERNEL and NANOS_BOOT name a kernel.img and
 * boot.img, and gcc and qemu-system-x86_64 are installed; skipped with the reason otherwise.
 */
class BootIT {
  @TempDir Path tmp;

  private static Path tool(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  private Path compile(boolean dynamic) throws Exception {
    Path src = tmp.resolve("hello.c");
    Files.writeString(src, "#include <stdio.h>\nint main(int c,char**v){printf(\"hello from nanos argc=%d\\n\",c);"
        + "FILE*f=fopen(\"/written.txt\",\"w\");fprintf(f,\"kernel wrote this\\n\");fclose(f);return 0;}\n");
    Path out = tmp.resolve(dynamic ? "hello-dyn" : "hello");
    List<String> cmd = dynamic ? List.of("gcc", "-O2", "-o", out.toString(), src.toString())
        : List.of("gcc", "-static", "-O2", "-o", out.toString(), src.toString());
    Process p = new ProcessBuilder(cmd).inheritIO().start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assumeTrue(p.exitValue() == 0, "gcc could not build the test program (" + cmd + ")");
    return out;
  }

  private String boot(Path image) throws Exception {
    Process q = new ProcessBuilder("qemu-system-x86_64", "-m", "512", "-nographic", "-no-reboot", "-accel", "tcg",
        "-drive", "file=" + image + ",format=raw,if=virtio", "-device", "isa-debug-exit")
        .redirectErrorStream(true).start();
    q.getOutputStream().close();
    byte[] out;
    try (InputStream in = q.getInputStream()) {
      if (!q.waitFor(240, TimeUnit.SECONDS)) {
        q.destroyForcibly();
      }
      out = in.readAllBytes();
    }
    return new String(out, StandardCharsets.UTF_8);
  }

  private void bootsAndWrites(boolean dynamic) throws Exception {
    String kernel = System.getenv("NANOS_KERNEL");
    String bootImg = System.getenv("NANOS_BOOT");
    assumeTrue(kernel != null && bootImg != null, "NANOS_KERNEL and NANOS_BOOT are not set");
    assumeTrue(tool("qemu-system-x86_64") != null, "qemu-system-x86_64 is not installed");
    assumeTrue(tool("gcc") != null, "gcc is not installed");
    Path program = compile(dynamic);
    Path image = tmp.resolve("boot.img");
    ImageBuilder.forProgram(program).setKernel(Path.of(kernel)).setBootLoader(Path.of(bootImg))
        .addArgument("one").set("debug_exit", StringValue.of("t")).setEnvironment(Map.of()).writeTo(image);

    String console = boot(image);
    assertThat(console).as("serial console").contains("hello from nanos argc=2");
    try (TfsVolume v = TfsVolume.open(image); InputStream in = v.lookup("/written.txt", true).orElseThrow().newInputStream()) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("kernel wrote this\n");
    }
  }

  @Test
  void aStaticProgramBootsAndWritesAFile() throws Exception {
    bootsAndWrites(false);
  }

  @Test
  void aDynamicProgramBootsWithItsLibraries() throws Exception {
    bootsAndWrites(true);
  }
}
