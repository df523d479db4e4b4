package dev.nanokit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MkimageCommandTest {
  @TempDir Path tmp;

  /** A minimal static x86-64 ELF executable: no interpreter, no dynamic section. */
  private Path staticProgram() throws Exception {
    return dev.nanokit.testing.manifest.TestPrograms.staticElf(tmp.resolve("hello"));
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

    Cli.Result json = Cli.mkimage("--dry-run", "--json", "--no-boot", "--program", p.toString(), "--arg", "x", "--env",
        "A=b=c");
    assertThat(json.exit()).isZero();
    assertThat(json.err()).isEmpty();
    com.fasterxml.jackson.databind.JsonNode doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
    java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> byPath = new java.util.TreeMap<>();
    doc.get("entries").forEach(e -> byPath.put(e.get("path").asText(), e));
    assertThat(byPath.get(p.toString()).get("type").asText()).isEqualTo("file");
    assertThat(byPath.get(p.toString()).get("source").asText()).isEqualTo(p.toString());
    assertThat(byPath.get("/etc/passwd").get("generated").asInt()).isEqualTo(33);
    assertThat(byPath.get("/etc").get("type").asText()).isEqualTo("directory");
    assertThat(doc.get("root").get("program").asText()).isEqualTo(p.toString());
    assertThat(doc.get("root").get("arguments").get(1).asText()).isEqualTo("x");
    assertThat(doc.get("root").get("environment").get("A").asText()).isEqualTo("b=c");
    assertThat(doc.get("notes").size()).isPositive();
    assertThat(doc.get("warnings").size()).isZero();
    assertThat(Cli.mkimage("--json", "--no-boot", "--program", p.toString()).exit()).isEqualTo(2);
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
    // Isolated from the developer's HOME, OPS_HOME and NANOS_HOME: no kernel can be found.
    Cli.Result noKernel = Cli.mkimage(java.util.Map.of(), tmp.resolve("no-home"), "--program", p.toString(), "-o",
        tmp.resolve("k.img").toString());
    assertThat(noKernel.exit()).isEqualTo(1);
    assertThat(noKernel.errLine()).contains("no Nanos kernel: none given", ": give --kernel FILE");
    assertThat(Cli.mkimage("--no-boot").exit()).isEqualTo(2);
    assertThat(Cli.mkimage("--no-boot", "--program", p.toString(), "--size", "1GB").exit()).isEqualTo(2);
    Cli.Result missing = Cli.mkimage("--no-boot", "--program", tmp.resolve("absent").toString(), "-o", tmp.resolve("a.img").toString());
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.errLine()).isEqualTo("mkimage: " + tmp.resolve("absent") + ": program not found");
    Path script = Files.writeString(tmp.resolve("script.sh"), "#!/bin/sh\n");
    Cli.Result notElf = Cli.mkimage("--no-boot", "--program", script.toString(), "-o", tmp.resolve("s.img").toString());
    assertThat(notElf.exit()).isEqualTo(1);
    assertThat(notElf.errLine()).isEqualTo("mkimage: " + tmp.resolve("s.img") + ": " + script + ": a script for /bin/sh, not"
        + " an ELF program: Nanos runs the interpreter, so make it the program and the script its argument");
    Path text = Files.writeString(tmp.resolve("notes.txt"), "hello\n");
    Cli.Result notProgram = Cli.mkimage("--no-boot", "--program", text.toString(), "-o", tmp.resolve("t.img").toString());
    assertThat(notProgram.exit()).isEqualTo(1);
    assertThat(notProgram.errLine()).contains(text + ": ").contains("at byte offset");
    Cli.Result dir = Cli.mkimage("--no-boot", "--program", tmp.toString(), "-o", tmp.resolve("d.img").toString());
    assertThat(dir.exit()).isEqualTo(1);
    assertThat(dir.errLine()).isEqualTo("mkimage: " + tmp.resolve("d.img") + ": " + tmp + ": is a directory, not a program");
  }

  @Test
  void buildsFromAPackageArchiveAndNamesAMissingCachedPackage() throws Exception {
    Path pkg = Files.createDirectories(tmp.resolve("app_1.0/sysroot/lib"));
    Files.writeString(tmp.resolve("app_1.0/package.manifest"), "{\"Program\": \"app_1.0/app\", \"Env\": {\"K\": \"v\"}}");
    Files.writeString(tmp.resolve("app_1.0/app"), "app");
    Files.writeString(pkg.resolve("libx.so"), "x");
    Path tgz = tmp.resolve("app_1.0.tar.gz");
    try (var os = Files.newOutputStream(tgz);
        var gz = new org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream(os);
        var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(gz)) {
      for (String name : new String[] {"app_1.0/package.manifest", "app_1.0/app", "app_1.0/sysroot/lib/libx.so"}) {
        var e = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(name);
        byte[] data = Files.readAllBytes(tmp.resolve(name));
        e.setSize(data.length);
        tar.putArchiveEntry(e);
        tar.write(data);
        tar.closeArchiveEntry();
      }
    }
    Cli.Result dry = Cli.mkimage(java.util.Map.of(), tmp.resolve("home"), "--package", tgz.toString(), "--no-boot",
        "--dry-run");
    assertThat(dry.exit()).as(dry.err()).isZero();
    assertThat(dry.out()).isEqualTo(String.join("\n",
        "/app\t" + tgz + ":/app",
        "/etc/\t",
        "/etc/hostname\t(generated, 7 bytes)",
        "/etc/passwd\t(generated, 33 bytes)",
        "/etc/resolv.conf\t(generated, 20 bytes)",
        "/lib/\t",
        "/lib/libx.so\t" + tgz + ":/sysroot/lib/libx.so",
        "/proc/\t",
        "/proc/sys/\t",
        "/proc/sys/kernel/\t",
        "/proc/sys/kernel/hostname\t(generated, 7 bytes)",
        "(",
        "    program:app",
        "    arguments:[\"app_1.0/app\"]",
        "    environment:(",
        "        USER:root",
        "        PWD:\"/\"",
        "        NANOS_VERSION:\"\"",
        "        NANOS_ARCH:amd64",
        "        IMAGE_NAME:app_1.0",
        "        K:v",
        "    )",
        ")",
        ""));

    Path out = tmp.resolve("pkg.img");
    Cli.Result r = Cli.mkimage("--package", tgz.toString(), "--no-boot", "-o", out.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(Cli.tfs("cat", out.toString(), "/lib/libx.so").rawOut()).isEqualTo("x".getBytes());
    assertThat(Cli.tfs("cat", out.toString(), "/app").rawOut()).isEqualTo("app".getBytes());
    assertThat(Cli.tfs("manifest", out.toString()).out()).contains("K:v", "program:app");

    Cli.Result missing = Cli.mkimage("--package", "nanokit-test-ns/absent:9.9.9", "--no-boot", "-o", out.toString());
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.errLine()).contains("package nanokit-test-ns/absent:9.9.9 is not in the local ops package cache");
  }

  @Test
  void nanosVersionTakesTheReleaseFromTheOpsCache() throws Exception {
    Path p = staticProgram();
    Path release = Files.createDirectories(tmp.resolve("opshome/.ops/0.1.99"));
    Files.copy(p, release.resolve("kernel.img"));
    Path elsewhere = Files.createDirectories(tmp.resolve("nanos-home"));
    Files.write(elsewhere.resolve("kernel.img"), new byte[] {1, 2, 3});
    java.util.Map<String, String> env = java.util.Map.of("OPS_HOME", tmp.resolve("opshome").toString(),
        "NANOS_HOME", elsewhere.toString());
    Path out = tmp.resolve("v.img");
    Cli.Result r = Cli.mkimage(env, tmp.resolve("home"), "--program", p.toString(), "--nanos-version", "0.1.99",
        "-o", out.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(Cli.tfs("cat", "--boot", out.toString(), "/kernel").rawOut()).isEqualTo(Files.readAllBytes(p));
    assertThat(Cli.tfs("manifest", out.toString()).out()).contains("NANOS_VERSION:0.1.99");
    if (out.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      // a disk image is readable by the hypervisor's user, like a file the shell creates
      assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(out)))
          .isEqualTo("rw-r--r--");
    }

    Cli.Result missing = Cli.mkimage(env, tmp.resolve("home"), "--program", p.toString(), "--nanos-version", "9.9",
        "-o", out.toString());
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.errLine()).startsWith("mkimage: ").endsWith(": Nanos 9.9 is not in the ops cache (no kernel.img in "
        + tmp.resolve("opshome/.ops/9.9") + "): fetch it with mkimage --fetch-nanos 9.9, or give --kernel FILE");
  }

  private static byte[] releaseTarball(byte[] kernel) throws Exception {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (var gz = new org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream(bytes);
        var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(gz)) {
      var e = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("kernel.img");
      e.setSize(kernel.length);
      tar.putArchiveEntry(e);
      tar.write(kernel);
      tar.closeArchiveEntry();
    }
    return bytes.toByteArray();
  }

  @Test
  void fetchNanosDownloadsOnceThenBuildsWithTheRelease() throws Exception {
    Path p = staticProgram();
    byte[] kernel = Files.readAllBytes(p);
    byte[] tarball = releaseTarball(kernel);
    byte[] armKernel = dev.nanokit.testing.manifest.TestPrograms.staticElf(dev.nanokit.testing.manifest.TestPrograms.AARCH64);
    byte[] armTarball = releaseTarball(armKernel);
    java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
    var server = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", x -> {
      requests.incrementAndGet();
      if (x.getRequestURI().getPath().equals("/rel/0.1.77/nanos-release-linux-0.1.77.tar.gz")) {
        x.sendResponseHeaders(200, tarball.length);
        x.getResponseBody().write(tarball);
      } else if (x.getRequestURI().getPath().equals("/rel/0.1.77/nanos-release-linux-0.1.77-virt.tar.gz")) {
        x.sendResponseHeaders(200, armTarball.length);
        x.getResponseBody().write(armTarball);
      } else {
        x.sendResponseHeaders(404, -1);
      }
      x.close();
    });
    server.start();
    try {
      String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/rel/";
      java.util.Map<String, String> env = java.util.Map.of("NANOKIT_NANOS_BASE_URL", base);
      Path home = tmp.resolve("home");

      Cli.Result wrongSum = Cli.mkimage(env, home, "--fetch-nanos", "0.1.77", "--nanos-sha256", "00".repeat(32));
      assertThat(wrongSum.exit()).isEqualTo(1);
      assertThat(wrongSum.errLine()).startsWith("mkimage: " + base + "0.1.77/nanos-release-linux-0.1.77.tar.gz: SHA-256 mismatch");
      assertThat(home.resolve(".ops/0.1.77")).doesNotExist();

      Cli.Result fetched = Cli.mkimage(env, home, "--fetch-nanos", "0.1.77");
      assertThat(fetched.exit()).as(fetched.err()).isZero();
      assertThat(fetched.err()).isEqualTo("mkimage: Nanos 0.1.77 fetched into " + home.resolve(".ops/0.1.77") + "\n");
      assertThat(home.resolve(".ops/0.1.77/kernel.img")).hasBinaryContent(kernel);

      Path out = tmp.resolve("f.img");
      Cli.Result built = Cli.mkimage(env, home, "--fetch-nanos", "0.1.77", "--program", p.toString(), "-o", out.toString());
      assertThat(built.exit()).as(built.err()).isZero();
      assertThat(built.err()).startsWith("mkimage: Nanos 0.1.77 already in ");
      assertThat(requests.get()).isEqualTo(2);
      assertThat(Cli.tfs("cat", "--boot", out.toString(), "/kernel").rawOut()).isEqualTo(kernel);

      // An aarch64 program gets ops's arm64 release (V-arm, from the -virt tarball), whatever the host is.
      Path armProgram = dev.nanokit.testing.manifest.TestPrograms.staticElf(tmp.resolve("arm/hello"),
          dev.nanokit.testing.manifest.TestPrograms.AARCH64);
      Path armOut = tmp.resolve("arm.img");
      Cli.Result arm = Cli.mkimage(env, home, "--fetch-nanos", "0.1.77", "--program", armProgram.toString(), "-o",
          armOut.toString());
      assertThat(arm.exit()).as(arm.err()).isZero();
      assertThat(arm.err()).startsWith("mkimage: Nanos 0.1.77 fetched into " + home.resolve(".ops/0.1.77-arm") + "\n");
      assertThat(Cli.tfs("cat", "--boot", armOut.toString(), "/kernel").rawOut()).isEqualTo(armKernel);
      assertThat(requests.get()).isEqualTo(3);

      Cli.Result missing = Cli.mkimage(env, home, "--fetch-nanos", "0.2.0");
      assertThat(missing.exit()).isEqualTo(1);
      assertThat(missing.errLine()).contains("0.2.0/nanos-release-linux-0.2.0.tar.gz: HTTP status 404");
      Cli.Result bad = Cli.mkimage(env, home, "--fetch-nanos", "../x");
      assertThat(bad.exit()).isEqualTo(2);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void withoutAKernelTheErrorNamesTheWaysToGiveOne() throws Exception {
    Path p = staticProgram();
    Cli.Result r = Cli.mkimage(java.util.Map.of(), tmp.resolve("empty-home"), "--program", p.toString(), "-o",
        tmp.resolve("k.img").toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.errLine()).contains("no Nanos kernel: none given", "give --kernel FILE", "set NANOS_HOME",
        tmp.resolve("empty-home/.ops") + "/<version>/kernel.img", "--no-boot");
    assertThat(tmp.resolve("k.img")).doesNotExist();
  }

  private static void tarEntry(org.apache.commons.compress.archivers.tar.TarArchiveOutputStream tar, String name,
      byte[] data) throws java.io.IOException {
    var e = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(name);
    e.setSize(data.length);
    tar.putArchiveEntry(e);
    tar.write(data);
    tar.closeArchiveEntry();
  }

  private static String sha256(byte[] b) throws Exception {
    return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
  }

  /** A docker save tarball: one layer with /usr/bin/app (static ELF) and /bin -> usr/bin; Entrypoint app. */
  private Path dockerSave() throws Exception {
    byte[] elf = Files.readAllBytes(staticProgram());
    java.io.ByteArrayOutputStream layer = new java.io.ByteArrayOutputStream();
    try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(layer)) {
      tar.putArchiveEntry(new org.apache.commons.compress.archivers.tar.TarArchiveEntry("usr/bin/"));
      tar.closeArchiveEntry();
      tarEntry(tar, "usr/bin/app", elf);
      var link = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("bin",
          org.apache.commons.compress.archivers.tar.TarArchiveEntry.LF_SYMLINK);
      link.setLinkName("usr/bin");
      tar.putArchiveEntry(link);
      tar.closeArchiveEntry();
      tarEntry(tar, "srv/www/index.html", "hi".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    byte[] layerBytes = layer.toByteArray();
    String layerHex = sha256(layerBytes);
    byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Entrypoint\":[\"app\"],"
        + "\"Cmd\":[\"--port\",\"80\"],\"Env\":[\"PATH=/bin\",\"GREETING=hi\"],\"WorkingDir\":\"/srv/www\"},"
        + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:" + layerHex + "\"]}}")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    String configHex = sha256(config);
    byte[] manifest = ("[{\"Config\":\"" + configHex + ".json\",\"RepoTags\":[\"app:1\"],\"Layers\":[\"" + layerHex
        + "/layer.tar\"]}]").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Path out = tmp.resolve("app-image.tar");
    try (var os = Files.newOutputStream(out);
        var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(os)) {
      tarEntry(tar, "manifest.json", manifest);
      tarEntry(tar, configHex + ".json", config);
      tarEntry(tar, layerHex + "/layer.tar", layerBytes);
    }
    return out;
  }

  @Test
  void fromOciDryRunListsTheProgramFromTheImage() throws Exception {
    Path image = dockerSave();
    Cli.Result r = Cli.mkimage(java.util.Map.of(), tmp.resolve("home"), "--dry-run", "--no-boot", "--from-oci",
        image.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo(String.join("\n",
        "/etc/\t",
        "/etc/hostname\t(generated, 7 bytes)",
        "/etc/passwd\t(generated, 33 bytes)",
        "/etc/resolv.conf\t(generated, 20 bytes)",
        "/proc/\t",
        "/proc/sys/\t",
        "/proc/sys/kernel/\t",
        "/proc/sys/kernel/hostname\t(generated, 7 bytes)",
        "/usr/\t",
        "/usr/bin/\t",
        "/usr/bin/app\t" + image + ":/usr/bin/app",
        "(",
        "    program:\"/usr/bin/app\"",
        "    arguments:[app --port 80]",
        "    environment:(",
        "        USER:root",
        "        PWD:\"/\"",
        "        NANOS_VERSION:\"\"",
        "        NANOS_ARCH:amd64",
        "        IMAGE_NAME:app-image",
        "        PATH:\"/bin\"",
        "        GREETING:hi",
        "    )",
        ")",
        ""));
    assertThat(r.err()).contains("mkimage: note: the image's WorkingDir /srv/www is not in the image");

    Cli.Result whole = Cli.mkimage(java.util.Map.of(), tmp.resolve("home"), "--dry-run", "--no-boot", "--from-oci",
        image.toString(), "--whole-image", "--program", "/bin/app", "--arg", "-v");
    assertThat(whole.exit()).as(whole.err()).isZero();
    assertThat(whole.out()).contains("/bin\t-> usr/bin\n", "/srv/www/index.html\t" + image + ":/srv/www/index.html\n",
        "    program:\"/usr/bin/app\"\n", "    arguments:[\"/bin/app\" -v]\n", "    cwd:\"/srv/www\"\n");

    Path out = tmp.resolve("oci.img");
    Cli.Result built = Cli.mkimage(java.util.Map.of(), tmp.resolve("home"), "--no-boot", "--from-oci", image.toString(),
        "-o", out.toString());
    assertThat(built.exit()).as(built.err()).isZero();
    assertThat(Cli.tfs("cat", out.toString(), "/usr/bin/app").rawOut()).isEqualTo(Files.readAllBytes(staticProgram()));

    Cli.Result both = Cli.mkimage("--from-oci", image.toString(), "--package", "x:1", "--no-boot");
    assertThat(both.exit()).isEqualTo(2);
    Cli.Result rooted = Cli.mkimage("--from-oci", image.toString(), "--target-root", "/", "--no-boot");
    assertThat(rooted.exit()).isEqualTo(2);
    assertThat(rooted.errLine()).isEqualTo("mkimage: --from-oci IMAGE is the target root; drop --target-root (see 'mkimage --help')");
    Cli.Result hostile = Cli.mkimage(java.util.Map.of(), tmp.resolve("home"), "--no-boot", "--from-oci",
        staticProgram().toString(), "-o", out.toString());
    assertThat(hostile.exit()).isEqualTo(1);
    assertThat(hostile.errLine()).startsWith("mkimage: ");
  }

  @Test
  void argumentsMayLookLikeOptions() throws Exception {
    Path p = staticProgram();
    Cli.Result r = Cli.mkimage("--dry-run", "--no-boot", "--program", p.toString(), "--arg", "-c", "--arg",
        "echo hi", "--arg", "-o", "--env", "X=-y");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("    arguments:[\"" + p + "\" -c \"echo hi\" -o]\n", "X:-y");
  }
}
