package dev.nanokit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
 * Java images with a jlinked runtime: the modules jdeps finds, the same bytes from two builds, and (with
 * NANOS_KERNEL/NANOS_BOOT and qemu) a boot that prints through a dependency's class. Slow: jlink runs.
 */
class JavaImageIT {
  @TempDir Path tmp;

  @Test
  void jdepsFindsTheModulesTheApplicationAndItsDependenciesUse() throws Exception {
    JavaSamples.tool("jdeps");
    JavaSamples s = JavaSamples.compile(tmp);
    try (JavaImage java = JavaImage.fromJar(s.helloJar("a", "app.Hello", null)).addDependency(s.greeterJar)) {
      assertThat(java.modules()).containsExactly("java.base", "java.logging");
    }
    try (JavaImage java = JavaImage.fromJar(s.greeterJar).addModules("jdk.zipfs")) {
      assertThat(java.modules()).containsExactly("java.base", "jdk.zipfs");
    }
  }

  @Test
  void aModuleJlinkCannotFindFailsWithJlinksOwnMessageWithoutItsStackTrace() throws Exception {
    JavaSamples.tool("jlink");
    JavaSamples s = JavaSamples.compile(tmp);
    try (JavaImage java = JavaImage.fromJar(s.helloJar("a", "app.Hello", null)).setModules(List.of("java.base", "no.such.module"))) {
      assertThatThrownBy(java::nanosImage).isInstanceOf(ImageInputException.class)
          .hasMessage("jlink failed (exit 1): Error: Module no.such.module not found");
    }
  }

  @Test
  void twoBuildsOfOneApplicationWriteTheSameBytes() throws Exception {
    JavaSamples.tool("jlink");
    JavaSamples s = JavaSamples.compile(tmp);
    Path jar = s.helloJar("a", "app.Hello", null);
    byte[][] volumes = new byte[2][];
    for (int i = 0; i < 2; i++) {
      Path out = tmp.resolve("v" + i + ".tfs");
      try (JavaImage java = JavaImage.fromJar(jar).addDependency(s.greeterJar).setScratchDirectory(tmp.resolve("s" + i))) {
        java.nanosImage().setEnvironment(Map.of()).writeVolumeTo(out);
      }
      volumes[i] = Files.readAllBytes(out);
    }
    assertThat(volumes[1]).isEqualTo(volumes[0]);
    try (TfsVolume v = TfsVolume.open(tmp.resolve("v0.tfs"))) {
      assertThat(v.lookup("/usr/lib/jvm/app-runtime/lib/modules", true)).isPresent();
      assertThat(v.lookup("/usr/lib/jvm/app-runtime/lib/server/libjvm.so", true)).isPresent();
      // the launcher's own library comes with the runtime's lib/, not from the scratch directory
      assertThat(v.lookup(tmp.resolve("s0/runtime/lib/libjli.so").toString(), true)).isEmpty();
    }
  }

  @Test
  void aJlinkedImageBootsAndPrintsThroughItsDependency() throws Exception {
    String kernel = System.getenv("NANOS_KERNEL");
    String bootImg = System.getenv("NANOS_BOOT");
    assumeTrue(kernel != null && bootImg != null, "NANOS_KERNEL and NANOS_BOOT are not set");
    assumeTrue(dev.nanokit.testing.manifest.TestTools.onPath("qemu-system-x86_64").isPresent(),
        "qemu-system-x86_64 is not installed");
    JavaSamples s = JavaSamples.compile(tmp);
    Path image = tmp.resolve("java.img");
    try (JavaImage java = JavaImage.fromJar(s.helloJar("a", "app.Hello", null)).addDependency(s.greeterJar)
        .addArguments("from", "nanos")) {
      java.nanosImage().setRelease(NanosRelease.ofKernel(Path.of(kernel)).withBootImage(Path.of(bootImg)))
          .set("debug_exit", StringValue.of("t")).setEnvironment(Map.of()).writeTo(image);
    }
    Process q = new ProcessBuilder("qemu-system-x86_64", "-m", "512", "-nographic", "-no-reboot", "-accel", "tcg",
        "-drive", "file=" + image + ",format=raw,if=virtio", "-device", "isa-debug-exit").redirectErrorStream(true).start();
    q.getOutputStream().close();
    byte[] out;
    try (InputStream in = q.getInputStream()) {
      if (!q.waitFor(240, TimeUnit.SECONDS)) {
        q.destroyForcibly();
      }
      out = in.readAllBytes();
    }
    assertThat(new String(out, StandardCharsets.UTF_8)).as("serial console").contains("greeter says from nanos");
  }

}
