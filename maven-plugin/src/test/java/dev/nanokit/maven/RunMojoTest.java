package dev.nanokit.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanokit.core.ImageSource;
import dev.nanokit.core.NanosImage;
import dev.nanokit.core.NanosRelease;
import dev.nanokit.manifest.StringValue;
import dev.nanokit.testing.manifest.TestPrograms;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run the goal starts: its ports, accelerator and memory on the QEMU line nanokit run would use. */
class RunMojoTest {
  @TempDir Path tmp;

  private Path image() throws Exception {
    Path kernel = TestPrograms.staticElf(tmp.resolve("in/kernel.img"));
    Path program = TestPrograms.staticElf(tmp.resolve("in/app"));
    Path out = tmp.resolve("app.img");
    try (NanosImage b = NanosImage.from(ImageSource.program(program)).setRelease(NanosRelease.ofKernel(kernel))
        .setEnvironment(Map.of()).set("debug_exit", StringValue.of("t"))) {
      b.writeTo(out);
    }
    return out;
  }

  @Test
  void portsAcceleratorAndMemoryReachTheQemuLine() throws Exception {
    RunMojo m = new RunMojo();
    m.ports = List.of("8080", "9000:80");
    m.accel = "tcg";
    m.memory = "512M";
    m.processEnvironment = Map.of();
    List<String> command = m.nanosRun(image()).plan().command();
    String line = String.join(" ", command);
    assertThat(command.get(0)).isEqualTo("qemu-system-x86_64");
    assertThat(line).contains("-accel tcg", "-m 512M", "hostfwd=tcp::8080-:8080", "hostfwd=tcp::9000-:80");
  }

  @Test
  void aBadAcceleratorOrPortFailsTheBuildInOneLine() throws Exception {
    RunMojo m = new RunMojo();
    m.processEnvironment = Map.of();
    m.accel = "warp";
    assertThatThrownBy(() -> m.nanosRun(tmp.resolve("x.img"))).isInstanceOf(MojoFailureException.class)
        .hasMessageStartingWith("nanokit: ");
    m.accel = "auto";
    m.ports = List.of("eighty");
    assertThatThrownBy(() -> m.nanosRun(tmp.resolve("x.img"))).isInstanceOf(MojoFailureException.class)
        .hasMessageStartingWith("nanokit: ");
  }
}
