package dev.nanokit.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanokit.core.ops.OpsPackageCache;
import dev.nanokit.core.ops.OpsPackageTest;
import dev.nanokit.core.plan.ContentPlanner;
import dev.nanokit.manifest.StringValue;
import dev.nanokit.manifest.VectorValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Package builds through {@link ImageSource#opsPackage} (docs/formats/manifest.md, "5.2 Fields that influence the image", "6 The tree ops builds (default content of every image)"). */
class OpsPackageBuildTest {
  @TempDir Path tmp;

  @Test
  void buildsFromAPackageDirectory() throws Exception {
    Path pkg = Files.createDirectories(tmp.resolve("node_v14"));
    Files.writeString(pkg.resolve("package.manifest"),
        "{\"Program\": \"node_v14/node\", \"Args\": [\"hi.js\"], \"Env\": {\"A\": \"pkg\", \"B\": \"pkg\"}}");
    Files.writeString(pkg.resolve("node"), "not an ELF");
    Files.createDirectories(pkg.resolve("sysroot/lib"));
    Files.writeString(pkg.resolve("sysroot/lib/libc.so.6"), "libc");
    Files.createSymbolicLink(pkg.resolve("sysroot/lib/libc.so"), Path.of("/lib/libc.so.6"));
    Files.writeString(pkg.resolve("sysroot/etc-passwd-not"), "x");
    Path cwd = Files.createDirectories(tmp.resolve("work"));
    Files.writeString(cwd.resolve("hi.js"), "console.log(1)");

    NanosImage b = NanosImage.from(ImageSource.opsPackage(pkg)).setConfig(OpsConfig.builder().putEnv("B", "user").build())
        .setWorkingDirectory(cwd)
        .setDependencyFinder((p, root) -> {
          throw new AssertionError("no ELF dependency scan for package builds");
        });
    ImagePlan plan = b.plan();

    assertThat(plan.entries()).containsKeys("/node", "/lib", "/lib/libc.so.6", "/lib/libc.so", "/hi.js",
        "/etc/resolv.conf", "/etc/passwd").doesNotContainKey(ContentPlanner.CA_CERTIFICATES);
    assertThat(plan.entries().get("/node")).isEqualTo(ImageEntry.file("/node", pkg.resolve("node").toAbsolutePath()));
    assertThat(plan.entries().get("/lib/libc.so")).isEqualTo(ImageEntry.symlink("/lib/libc.so", "/lib/libc.so.6"));
    assertThat(plan.entries().get("/hi.js")).isEqualTo(ImageEntry.file("/hi.js", cwd.resolve("hi.js")));
    assertThat(plan.rootConfig().get("program")).isEqualTo(StringValue.of("node"));
    assertThat(plan.rootConfig().get("arguments"))
        .isEqualTo(VectorValue.ofStrings(List.of("node_v14/node", "hi.js")));
    assertThat(plan.rootConfig().getTuple("environment").get("A")).isEqualTo(StringValue.of("pkg"));
    assertThat(plan.rootConfig().getTuple("environment").get("B")).isEqualTo(StringValue.of("user"));

    Path out = tmp.resolve("out.img");
    ImageResult r = b.writeVolumeTo(out);
    assertThat(r.size()).isEqualTo(Files.size(out));
  }

  @Test
  void absoluteProgramStaysInTheSysroot() throws Exception {
    Path pkg = Files.createDirectories(tmp.resolve("p/sysroot/usr/bin"));
    Files.writeString(tmp.resolve("p/package.manifest"), "{\"Program\": \"/usr/bin/app\"}");
    Files.writeString(pkg.resolve("app"), "app");
    ImagePlan plan = NanosImage.from(ImageSource.opsPackage(tmp.resolve("p")))
        .setWorkingDirectory(tmp).plan();
    assertThat(plan.rootConfig().get("program")).isEqualTo(StringValue.of("/usr/bin/app"));
    assertThat(plan.entries().get("/usr/bin/app")).isEqualTo(ImageEntry.file("/usr/bin/app", pkg.resolve("app")));
  }

  @Test
  void aReferenceIsLookedUpInTheOpsPackageCache() throws Exception {
    Path pkg = Files.createDirectories(tmp.resolve(".ops/packages/" + OpsPackageCache.hostArch(
        System.getProperty("os.arch")) + "/eyberg/app_1.2/sysroot/usr/bin"));
    Files.writeString(pkg.getParent().getParent().getParent().resolve("package.manifest"),
        "{\"Program\": \"/usr/bin/app\"}");
    Files.writeString(pkg.resolve("app"), "app");
    ImagePlan plan = NanosImage.from(ImageSource.opsPackage("eyberg/app:1.2")).setUserHome(tmp)
        .setEnvironment(java.util.Map.of()).setWorkingDirectory(tmp).plan();
    assertThat(plan.entries().get("/usr/bin/app")).isEqualTo(ImageEntry.file("/usr/bin/app", pkg.resolve("app")));
  }

  @Test
  void aPathWinsOverTheCacheAndAMissingReferenceNamesTheCache() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("app:1/sysroot"));
    Files.writeString(dir.getParent().resolve("package.manifest"), "{\"Program\": \"/app\"}");
    Files.writeString(dir.resolve("app"), "app");
    NanosImage b = NanosImage.from(ImageSource.opsPackage("app:1")).setUserHome(tmp.resolve("home"))
        .setEnvironment(java.util.Map.of()).setWorkingDirectory(tmp);
    assertThat(b.plan().entries()).containsKey("/app");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> NanosImage.from(ImageSource.opsPackage("other:1"))
            .setUserHome(tmp.resolve("home")).setEnvironment(java.util.Map.of()).setWorkingDirectory(tmp).plan())
        .isInstanceOf(java.nio.file.NoSuchFileException.class)
        .hasMessageContaining("package other:1 is not in the local ops package cache");
  }

  @Test
  void anUnpackedArchiveIsKeptForThePlanReusedByTheWriteAndRemovedByClose() throws Exception {
    Path archive = tmp.resolve("node_v14.tar.gz");
    OpsPackageTest.tarGz(archive, OpsPackageTest.goodEntries());
    Files.writeString(tmp.resolve("hi.js"), "1");
    NanosImage b = NanosImage.from(ImageSource.opsPackage(archive.toString())).setWorkingDirectory(tmp);
    ImagePlan plan = b.plan();
    assertThat(plan.entries()).containsKeys("/node", "/lib/libc.so.6");
    // The plan's host paths are still there: the scratch directory lives as long as the builder.
    Path libc = plan.entries().get("/lib/libc.so.6").hostPath();
    assertThat(libc).hasContent("libc");
    Path scratch = libc;
    while (!scratch.getFileName().toString().startsWith("nanokit-")) {
      scratch = scratch.getParent();
    }
    java.nio.file.attribute.FileTime unpacked = Files.getLastModifiedTime(libc);
    Object unpackedFile = Files.readAttributes(libc, java.nio.file.attribute.BasicFileAttributes.class).fileKey();

    b.writeVolumeTo(tmp.resolve("out.img"));
    // Written from that same plan: nothing unpacked again.
    assertThat(b.plan()).isSameAs(plan);
    assertThat(Files.getLastModifiedTime(libc)).isEqualTo(unpacked);
    assertThat(Files.readAttributes(libc, java.nio.file.attribute.BasicFileAttributes.class).fileKey())
        .isEqualTo(unpackedFile);

    b.close();
    assertThat(scratch).doesNotExist();

    Path given = tmp.resolve("scratch");
    try (NanosImage c = NanosImage.from(ImageSource.opsPackage(archive.toString())).setWorkingDirectory(tmp)
        .setScratchDirectory(given)) {
      c.plan();
    }
    assertThat(given.resolve("package/node_v14/sysroot/lib/libc.so.6")).hasContent("libc");
  }

  @Test
  void sysrootSymlinksResolveInsideTheSysrootNeverOnTheHost() throws Exception {
    Path host = Files.createDirectories(tmp.resolve("host/bin"));
    Files.writeString(host.resolve("app"), "host file");
    Path sysroot = Files.createDirectories(tmp.resolve("p/sysroot"));
    Files.writeString(tmp.resolve("p/package.manifest"), "{\"Program\": \"/usr/bin/app\"}");
    Files.createSymbolicLink(sysroot.resolve("usr"), host.getParent()); // absolute: the host's tmp/host
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> NanosImage.from(ImageSource.opsPackage(tmp.resolve("p")))
            .setWorkingDirectory(tmp).plan())
        .isInstanceOf(ImageFormatException.class)
        .hasMessageEndingWith(": /usr/bin/app: /" + host.getParent().getName(0) + " does not exist in the image");

    Files.delete(sysroot.resolve("usr"));
    Files.createDirectories(sysroot.resolve("opt/bin"));
    Files.writeString(sysroot.resolve("opt/bin/app"), "sysroot file");
    Files.createSymbolicLink(sysroot.resolve("usr"), Path.of("/opt"));
    ImagePlan plan = NanosImage.from(ImageSource.opsPackage(tmp.resolve("p"))).setWorkingDirectory(tmp).plan();
    assertThat(plan.entries().get("/usr")).isEqualTo(ImageEntry.symlink("/usr", "/opt"));
    assertThat(plan.rootConfig().get("program")).isEqualTo(StringValue.of("/usr/bin/app"));
  }
}
