package dev.nanokit.core.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpsPackageCacheTest {
  @TempDir Path tmp;

  private Path pkg(String relative) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve(".ops").resolve(relative));
    Files.writeString(dir.resolve("package.manifest"), "{\"Program\": \"x\"}");
    return dir;
  }

  @Test
  void findsNamespacedPackagesWhereOpsPkgGetPutsThem() throws IOException {
    Path p = pkg("packages/amd64/eyberg/python_3.10.6");
    OpsPackageCache cache = new OpsPackageCache(tmp.resolve(".ops"), "amd64");
    assertThat(cache.find("eyberg/python:3.10.6")).isEqualTo(p);
  }

  @Test
  void triesTheVersionWithAVPrefixThenLocalPackages() throws IOException {
    Path v = pkg("packages/arm64/eyberg/node_v20.5.0");
    Path local = pkg("local_packages/arm64/mine_1.0");
    OpsPackageCache cache = new OpsPackageCache(tmp.resolve(".ops"), "arm64");
    assertThat(cache.find("eyberg/node:20.5.0")).isEqualTo(v);
    assertThat(cache.find("mine:1.0")).isEqualTo(local);
  }

  @Test
  void aDirectoryWithoutAManifestIsNotAPackage() throws IOException {
    Files.createDirectories(tmp.resolve(".ops/packages/amd64/eyberg/python_3.10.6"));
    OpsPackageCache cache = new OpsPackageCache(tmp.resolve(".ops"), "amd64");
    assertThatThrownBy(() -> cache.find("eyberg/python:3.10.6"))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining(tmp.resolve(".ops/packages/amd64/eyberg/python_3.10.6").toString())
        .hasMessageContaining("is not in the local ops package cache")
        .hasMessageContaining("ops pkg get eyberg/python:3.10.6");
  }

  @Test
  void opsHomeFollowsOpsHomeLikeOps() throws IOException {
    Path p = pkg("packages/" + OpsPackageCache.hostArch(System.getProperty("os.arch")) + "/ns/app_1");
    assertThat(OpsPackageCache.of(Map.of("OPS_HOME", tmp.toString()), Path.of("/nonexistent")).find("ns/app:1"))
        .isEqualTo(p);
    assertThat(OpsPackageCache.of(Map.of(), tmp).find("ns/app:1")).isEqualTo(p);
  }

  @Test
  void referencesAreTellFromPaths() {
    assertThat(OpsPackageCache.isReference("eyberg/python:3.10.6")).isTrue();
    assertThat(OpsPackageCache.isReference("python:3.10.6")).isTrue();
    assertThat(OpsPackageCache.isReference("eyberg/python")).isFalse();
    assertThat(OpsPackageCache.isReference("./pkg:1")).isFalse();
    assertThat(OpsPackageCache.isReference("a/b/c:1")).isFalse();
    assertThat(OpsPackageCache.isReference("../x:1")).isFalse();
    assertThat(OpsPackageCache.hostArch("aarch64")).isEqualTo("arm64");
    assertThat(OpsPackageCache.hostArch("amd64")).isEqualTo("amd64");
  }
}
