package dev.nanokit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nanokit.core.oci.OciImageTest;
import dev.nanokit.core.plan.ElfDependencies;
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
    return dev.nanokit.testing.manifest.TestTools.onPath(name).orElse(null);
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
    // gcc is there (checked above): a program it cannot build is a broken setup, not a skip.
    assertThat(p.exitValue()).as("gcc could not build the test program (%s)", cmd).isZero();
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
    NanosImage.from(ImageSource.program(program)).setRelease(NanosRelease.ofKernel(Path.of(kernel)).withBootImage(Path.of(bootImg)))
        .addArguments("one").set("debug_exit", StringValue.of("t")).setEnvironment(Map.of()).writeTo(image);

    String console = boot(image);
    assertThat(console).as("serial console").contains("hello from nanos argc=2");
    try (TfsVolume v = TfsVolume.open(image); InputStream in = v.lookup("/written.txt", true).orElseThrow().newInputStream()) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("kernel wrote this\n");
    }
  }

  @Test
  void aContainerImageBootsItsEntrypoint() throws Exception {
    String kernel = System.getenv("NANOS_KERNEL");
    String bootImg = System.getenv("NANOS_BOOT");
    assumeTrue(kernel != null && bootImg != null, "NANOS_KERNEL and NANOS_BOOT are not set");
    assumeTrue(tool("qemu-system-x86_64") != null, "qemu-system-x86_64 is not installed");
    assumeTrue(tool("gcc") != null, "gcc is not installed");
    Path program = compile(true);
    // One layer: the program at /usr/local/bin/hello with the host's libraries at their paths.
    java.io.ByteArrayOutputStream layer = new java.io.ByteArrayOutputStream();
    try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(layer)) {
      tar.setLongFileMode(org.apache.commons.compress.archivers.tar.TarArchiveOutputStream.LONGFILE_POSIX);
      addFile(tar, "usr/local/bin/hello", program);
      for (ImageEntry e : new ElfDependencies().find(program, null)) {
        String name = e.imagePath().substring(1);
        if (e.kind() == ImageEntry.Kind.FILE) {
          addFile(tar, name, e.hostPath());
        } else if (e.kind() == ImageEntry.Kind.SYMLINK) {
          var t = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(name,
              org.apache.commons.compress.archivers.tar.TarArchiveEntry.LF_SYMLINK, true);
          t.setLinkName(e.linkTarget());
          tar.putArchiveEntry(t);
          tar.closeArchiveEntry();
        }
      }
    }
    List<OciImageTest.L> layers = List.of(new OciImageTest.L(layer.toByteArray(), true));
    var run = OciImageTest.JSON.createObjectNode();
    run.putArray("Entrypoint").add("hello");
    run.putArray("Cmd").add("one");
    run.putArray("Env").add("PATH=/usr/local/bin:/usr/bin");
    Path layout = tmp.resolve("oci");
    OciImageTest.writeIndex(layout, OciImageTest.index(OciImageTest.image(layout, OciImageTest.config(run, layers),
        layers)));

    Path image = tmp.resolve("container.img");
    NanosImage.from(ImageSource.containerImage(layout))
        .setRelease(NanosRelease.ofKernel(Path.of(kernel)).withBootImage(Path.of(bootImg))).set("debug_exit", StringValue.of("t"))
        .setEnvironment(Map.of()).setWorkingDirectory(tmp).writeTo(image);
    assertThat(boot(image)).as("serial console").contains("hello from nanos argc=2");
    try (TfsVolume v = TfsVolume.open(image); InputStream in = v.lookup("/written.txt", true).orElseThrow().newInputStream()) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("kernel wrote this\n");
    }
  }

  private static void addFile(org.apache.commons.compress.archivers.tar.TarArchiveOutputStream tar, String name,
      Path host) throws java.io.IOException {
    var t = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(name, true);
    t.setSize(Files.size(host));
    tar.putArchiveEntry(t);
    Files.copy(host, tar);
    tar.closeArchiveEntry();
  }

  /** A user's ops configuration for Python (issue text) with the host's python3: its standard library comes along. */
  @Test
  void aPythonScriptRunsWithItsStandardLibraryAndExtensionModules() throws Exception {
    String kernel = System.getenv("NANOS_KERNEL");
    String bootImg = System.getenv("NANOS_BOOT");
    assumeTrue(kernel != null && bootImg != null, "NANOS_KERNEL and NANOS_BOOT are not set");
    assumeTrue(tool("qemu-system-x86_64") != null, "qemu-system-x86_64 is not installed");
    Path python = Path.of("/usr/bin/python3");
    assumeTrue(Files.isExecutable(python), "/usr/bin/python3 is not installed");
    Files.writeString(tmp.resolve("script.py"), "import os, json, hashlib, ssl\nprint('python says', os.environ['TEST'],"
        + " json.dumps([1]), hashlib.sha256(b'x').hexdigest()[:8], ssl.OPENSSL_VERSION.split()[0])\n");
    OpsConfig config = new dev.nanokit.core.ops.OpsConfigReader().read("{\"RunConfig\":{\"Verbose\":true,"
        + "\"Ports\":[\"8083\"]},\"Env\":{\"Environment\":\"development\",\"TEST\":\"OPS\"},\"Args\":[\"script.py\"]}",
        "myconfig.json").config();
    Path image = tmp.resolve("python.img");
    NanosImage.from(ImageSource.program(python)).setConfig(config).setWorkingDirectory(tmp)
        .addFile(tmp.resolve("script.py"), dev.nanokit.tfs.ImagePath.of("/script.py"))
        .setRelease(NanosRelease.ofKernel(Path.of(kernel)).withBootImage(Path.of(bootImg))).set("debug_exit", StringValue.of("t"))
        .setEnvironment(Map.of()).writeTo(image);
    assertThat(boot(image)).as("serial console").contains("python says OPS [1] 2d711642 OpenSSL");
  }

  /** hello.jar whose Hello prints the Java expression {@code printed} (argument {@code a}); skips when the test JVM is no JDK. */
  private Path helloJar(String printed) throws Exception {
    java.util.spi.ToolProvider javac = java.util.spi.ToolProvider.findFirst("javac").orElse(null);
    java.util.spi.ToolProvider jar = java.util.spi.ToolProvider.findFirst("jar").orElse(null);
    assumeTrue(javac != null && jar != null, "the test JVM is not a JDK (no javac/jar)");
    Path src = Files.writeString(Files.createDirectories(tmp.resolve("src")).resolve("Hello.java"),
        "public class Hello { public static void main(String[] a) { System.out.println(" + printed + "); } }\n");
    assertThat(javac.run(System.out, System.err, "-d", tmp.resolve("classes").toString(), src.toString())).isZero();
    Path jarFile = tmp.resolve("hello.jar");
    assertThat(jar.run(System.out, System.err, "--create", "--file", jarFile.toString(), "--main-class", "Hello", "-C",
        tmp.resolve("classes").toString(), "Hello.class")).isZero();
    return jarFile;
  }

  /** The JDK running this test, as a unikernel: its runtime image and libjvm.so's libraries come along. */
  @Test
  void aJarRunsOnTheJdkRunningTheTests() throws Exception {
    String kernel = System.getenv("NANOS_KERNEL");
    String bootImg = System.getenv("NANOS_BOOT");
    assumeTrue(kernel != null && bootImg != null, "NANOS_KERNEL and NANOS_BOOT are not set");
    assumeTrue(tool("qemu-system-x86_64") != null, "qemu-system-x86_64 is not installed");
    Path jarFile = helloJar("\"java says \" + a[0] + \" home=\" + System.getProperty(\"java.home\")");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path image = tmp.resolve("java.img");
    NanosImage.from(ImageSource.program(java)).addArguments("-jar", "/hello.jar", "unikernel")
        .addFile(jarFile, dev.nanokit.tfs.ImagePath.of("/hello.jar")).setWorkingDirectory(tmp)
        .setRelease(NanosRelease.ofKernel(Path.of(kernel)).withBootImage(Path.of(bootImg))).set("debug_exit", StringValue.of("t"))
        .setEnvironment(Map.of()).writeTo(image);
    assertThat(boot(image)).as("serial console").contains("java says unikernel home=" + java.toRealPath().getParent().getParent());
  }

  /** A jlinked java.base runtime (the smallest a Java program can have) as the program's home. */
  @Test
  void aJarRunsOnAJlinkedRuntime() throws Exception {
    String kernel = System.getenv("NANOS_KERNEL");
    String bootImg = System.getenv("NANOS_BOOT");
    assumeTrue(kernel != null && bootImg != null, "NANOS_KERNEL and NANOS_BOOT are not set");
    assumeTrue(tool("qemu-system-x86_64") != null, "qemu-system-x86_64 is not installed");
    java.util.spi.ToolProvider jlink = java.util.spi.ToolProvider.findFirst("jlink").orElse(null);
    assumeTrue(jlink != null, "the test JVM is not a JDK (no jlink)");
    Path runtime = tmp.resolve("runtime");
    assertThat(jlink.run(System.out, System.err, "--add-modules", "java.base", "--strip-debug", "--no-header-files",
        "--no-man-pages", "--output", runtime.toString())).isZero();
    Path jarFile = helloJar("\"jlinked says \" + a[0]");
    Path image = tmp.resolve("jlinked.img");
    NanosImage.from(ImageSource.program(runtime.resolve("bin/java"))).addArguments("-jar", "/hello.jar", "small")
        .addFile(jarFile, dev.nanokit.tfs.ImagePath.of("/hello.jar")).setWorkingDirectory(tmp)
        .setRelease(NanosRelease.ofKernel(Path.of(kernel)).withBootImage(Path.of(bootImg))).set("debug_exit", StringValue.of("t"))
        .setEnvironment(Map.of()).writeTo(image);
    assertThat(boot(image)).as("serial console").contains("jlinked says small");
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
