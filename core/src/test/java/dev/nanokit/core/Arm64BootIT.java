package dev.nanokit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nanokit.manifest.StringValue;
import dev.nanokit.tfs.TfsVolume;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * arm64 images booted by the real Nanos kernel under qemu-system-aarch64 (TCG), the way Nanos's
 * {@code platform/virt} Makefile runs them: {@code -kernel} with the disk on virtio-blk-pci, and through
 * UEFI firmware when a loader is given. Runs when NANOS_KERNEL_ARM64 names an arm64 kernel.img and
 * qemu-system-aarch64 and aarch64-linux-gnu-gcc are installed (the dynamic program is resolved against
 * Debian's cross sysroot /usr/aarch64-linux-gnu as the target root); the UEFI route also needs
 * NANOS_UEFI_ARM64 (bootaa64.efi) and the firmware of Debian's qemu-efi-aarch64. Skipped with the reason otherwise.
 */
class Arm64BootIT {
  private static final Path SYSROOT = Path.of("/usr/aarch64-linux-gnu");
  private static final Path FIRMWARE = Path.of("/usr/share/qemu-efi-aarch64/QEMU_EFI.fd");

  @TempDir Path tmp;

  private static Path tool(String name) {
    return dev.nanokit.testing.manifest.TestTools.onPath(name).orElse(null);
  }

  private static Path kernel() {
    String kernel = System.getenv("NANOS_KERNEL_ARM64");
    assumeTrue(kernel != null, "NANOS_KERNEL_ARM64 is not set");
    assumeTrue(tool("qemu-system-aarch64") != null, "qemu-system-aarch64 is not installed");
    assumeTrue(tool("aarch64-linux-gnu-gcc") != null, "aarch64-linux-gnu-gcc is not installed (gcc-aarch64-linux-gnu)");
    return Path.of(kernel);
  }

  private Path compile(boolean dynamic) throws Exception {
    Path src = tmp.resolve("hello.c");
    Files.writeString(src, "#include <stdio.h>\nint main(int c,char**v){printf(\"hello from arm64 nanos argc=%d\\n\",c);"
        + "FILE*f=fopen(\"/written.txt\",\"w\");fprintf(f,\"kernel wrote this\\n\");fclose(f);return 0;}\n");
    Path out = tmp.resolve(dynamic ? "hello-dyn" : "hello");
    List<String> cmd = new ArrayList<>(List.of("aarch64-linux-gnu-gcc", "-O2", "-o", out.toString(), src.toString()));
    if (!dynamic) {
      cmd.add(1, "-static");
    }
    Process p = new ProcessBuilder(cmd).inheritIO().start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("the cross compiler could not build the test program (%s)", cmd).isZero();
    return out;
  }

  private String boot(List<String> route, Path image) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("qemu-system-aarch64", "-machine", "virt,gic-version=2,highmem=off",
        "-cpu", "max", "-m", "512", "-nographic", "-no-reboot", "-semihosting"));
    cmd.addAll(route);
    cmd.addAll(List.of("-drive", "file=" + image + ",format=raw,if=none,id=hd0", "-device", "virtio-blk-pci,drive=hd0"));
    Process q = new ProcessBuilder(cmd).redirectErrorStream(true).start();
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

  private void bootsAndWrites(NanosImage builder, List<String> route, Path image) throws Exception {
    builder.addArguments("one").set("debug_exit", StringValue.of("t")).setEnvironment(Map.of()).setWorkingDirectory(tmp)
        .writeTo(image);
    try (TfsVolume v = TfsVolume.open(image)) {
      assertThat(v.rootTuple().getTuple("environment").get("NANOS_ARCH")).isEqualTo(StringValue.of("arm64"));
      assertThat(v.lookup("/lib/x86_64-linux-gnu/libnss_dns.so.2", false)).isEmpty();
    }
    assertThat(boot(route, image)).as("serial console").contains("hello from arm64 nanos argc=2");
    try (TfsVolume v = TfsVolume.open(image); InputStream in = v.lookup("/written.txt", true).orElseThrow().newInputStream()) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("kernel wrote this\n");
    }
  }

  @Test
  void aStaticProgramBootsWithDashKernel() throws Exception {
    Path kernel = kernel();
    Path image = tmp.resolve("static.img");
    bootsAndWrites(NanosImage.from(ImageSource.program(compile(false))).setRelease(NanosRelease.ofKernel(kernel)),
        List.of("-kernel", kernel.toString()), image);
  }

  @Test
  void aDynamicProgramBootsWithLibrariesFromTheCrossSysroot() throws Exception {
    Path kernel = kernel();
    assumeTrue(Files.isDirectory(SYSROOT.resolve("lib")), SYSROOT + " is not installed (libc6-arm64-cross)");
    Path image = tmp.resolve("dynamic.img");
    bootsAndWrites(NanosImage.from(ImageSource.program(compile(true))).setTargetRoot(SYSROOT)
        .setRelease(NanosRelease.ofKernel(kernel)), List.of("-kernel", kernel.toString()), image);
  }

  @Test
  void aStaticProgramBootsThroughUefiFirmware() throws Exception {
    Path kernel = kernel();
    String loader = System.getenv("NANOS_UEFI_ARM64");
    assumeTrue(loader != null, "NANOS_UEFI_ARM64 is not set");
    assumeTrue(Files.isRegularFile(FIRMWARE), FIRMWARE + " is not installed (qemu-efi-aarch64)");
    Path image = tmp.resolve("uefi.img");
    bootsAndWrites(NanosImage.from(ImageSource.program(compile(false)))
        .setRelease(NanosRelease.ofKernel(kernel).withUefiLoader(Path.of(loader))), List.of("-bios", FIRMWARE.toString()),
        image);
  }
}
