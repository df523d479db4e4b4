package dev.nanokit.core.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanokit.core.NanosReleaseFetcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReleaseDirectoryTest {
  @TempDir Path tmp;

  private Path release(Path ops, String version, String... files) throws IOException {
    Path dir = Files.createDirectories(ops.resolve(version));
    Files.writeString(dir.resolve("kernel.img"), "kernel " + version);
    for (String f : files) {
      Files.writeString(dir.resolve(f), f);
    }
    return dir;
  }

  @Test
  void opsHomeFollowsOpsHomeLikeOps() {
    Path home = tmp.resolve("user");
    assertThat(ReleaseDirectory.opsHome(Map.of(), home)).isEqualTo(home.resolve(".ops"));
    assertThat(ReleaseDirectory.opsHome(Map.of("OPS_HOME", ""), home)).isEqualTo(home.resolve(".ops"));
    assertThat(ReleaseDirectory.opsHome(Map.of("OPS_HOME", tmp.resolve("alt").toString()), home))
        .isEqualTo(tmp.resolve("alt/.ops"));
    assertThat(NanosReleaseFetcher.opsHome(Map.of("OPS_HOME", "/srv/ops"), home)).isEqualTo(Path.of("/srv/ops/.ops"));
  }

  @Test
  void locatesANamedVersionInTheOpsHomeFromOpsHome() throws IOException {
    Path home = tmp.resolve("user");
    Path inHome = release(home.resolve(".ops"), "0.1.50");
    Path inAlt = release(tmp.resolve("alt/.ops"), "0.1.50");
    Map<String, String> env = Map.of("OPS_HOME", tmp.resolve("alt").toString());
    assertThat(ReleaseDirectory.locate(env, home, "0.1.50", "amd64")).map(ReleaseDirectory::directory).contains(inAlt);
    assertThat(ReleaseDirectory.locate(Map.of(), home, "0.1.50", "amd64")).map(ReleaseDirectory::directory).contains(inHome);
    assertThat(ReleaseDirectory.locate(env, home, "0.1.51", "amd64")).isEmpty();
    assertThat(ReleaseDirectory.locate(env, home, "../alt/.ops/0.1.50", "amd64")).isEmpty();
    Path nanosHome = release(tmp, "nanos");
    assertThat(ReleaseDirectory.locate(Map.of("NANOS_HOME", nanosHome.toString(), "OPS_HOME", tmp.resolve("alt").toString()),
        home, "0.1.50", "amd64")).map(ReleaseDirectory::directory).contains(nanosHome);
  }

  @Test
  void withoutAVersionTakesTheNewestNumberedRelease() throws IOException {
    Path ops = tmp.resolve("alt/.ops");
    release(ops, "0.1.9");
    Path newest = release(ops, "0.1.10");
    release(ops, "0.1.11-arm");
    release(ops, "nightly");
    Files.createDirectories(ops.resolve("0.1.12"));
    Files.createDirectories(ops.resolve("images"));
    Map<String, String> env = Map.of("OPS_HOME", tmp.resolve("alt").toString());
    assertThat(ReleaseDirectory.locate(env, tmp.resolve("user"), null, "amd64")).map(ReleaseDirectory::directory).contains(newest);
    assertThat(ReleaseDirectory.locate(env, tmp.resolve("user"), "", "amd64")).map(ReleaseDirectory::directory).contains(newest);
    assertThat(ReleaseDirectory.locate(Map.of(), tmp.resolve("user"), null, "amd64")).isEmpty();
    // ops's arm64 releases (V-arm) are for arm64 programs only; their newest is found the same way.
    assertThat(ReleaseDirectory.locate(env, tmp.resolve("user"), "0.1.11", "amd64")).isEmpty();
    assertThat(ReleaseDirectory.locate(env, tmp.resolve("user"), "0.1.11", "arm64")).map(ReleaseDirectory::directory)
        .contains(ops.resolve("0.1.11-arm"));
    Path armOld = release(ops, "0.1.9-arm");
    assertThat(ReleaseDirectory.locate(env, tmp.resolve("user"), null, "arm64")).map(ReleaseDirectory::directory)
        .contains(ops.resolve("0.1.11-arm"));
    assertThat(ReleaseDirectory.locate(env, tmp.resolve("user"), "0.1.9", "arm64")).map(ReleaseDirectory::directory)
        .contains(armOld);
    // An arm64 program with only V in the cache gets V: its kernel's machine is checked when the image is written.
    assertThat(ReleaseDirectory.locate(env, tmp.resolve("user"), "0.1.10", "arm64")).map(ReleaseDirectory::directory)
        .contains(newest);
    assertThat(ReleaseDirectory.cacheDirectory(env, tmp.resolve("user"), "0.1.12", "arm64"))
        .isEqualTo(ops.resolve("0.1.12-arm"));
    assertThat(ReleaseDirectory.cacheDirectory(env, tmp.resolve("user"), "0.1.12", "amd64")).isEqualTo(ops.resolve("0.1.12"));
  }

  @Test
  void comparesVersionsNumericallyWithAnyNumberOfDigits() {
    assertThat(ReleaseDirectory.compareVersions("0.1.9", "0.1.10")).isNegative();
    assertThat(ReleaseDirectory.compareVersions("0.1.10", "0.1.10.0")).isZero();
    assertThat(ReleaseDirectory.compareVersions("0.01.2", "0.1.2")).isZero();
    assertThat(ReleaseDirectory.compareVersions("1.99999999999999999999999", "1.100000000000000000000000")).isNegative();
    assertThat(ReleaseDirectory.compareVersions("2", "1.99")).isPositive();
  }

  @Test
  void findsTheReleaseFilesAndAnyEfiLoader() throws IOException {
    Path ops = tmp.resolve("user/.ops");
    release(ops, "1", "boot.img", "bootaa64.efi", "bootx64.efi");
    release(ops, "2", "zz.efi", "other.efi");
    release(ops, "3");
    ReleaseDirectory one = ReleaseDirectory.locate(Map.of(), tmp.resolve("user"), "1", "amd64").orElseThrow();
    assertThat(one.kernel()).isEqualTo(ops.resolve("1/kernel.img"));
    assertThat(one.bootImage()).contains(ops.resolve("1/boot.img"));
    assertThat(one.uefiLoader()).contains(ops.resolve("1/bootx64.efi"));
    assertThat(one.klibDirectory()).isEqualTo(ops.resolve("1/klibs"));
    ReleaseDirectory two = ReleaseDirectory.locate(Map.of(), tmp.resolve("user"), "2", "amd64").orElseThrow();
    assertThat(two.uefiLoader()).contains(ops.resolve("2/other.efi"));
    assertThat(two.bootImage()).isEmpty();
    assertThat(ReleaseDirectory.locate(Map.of(), tmp.resolve("user"), "3", "amd64").orElseThrow().uefiLoader()).isEmpty();
  }

  @Test
  void withoutAGivenHomeTheOpsHomeIsUnderHomeLikeOps() {
    assertThat(ReleaseDirectory.opsHome(Map.of("HOME", "/h"), null)).isEqualTo(Path.of("/h/.ops"));
    assertThat(ReleaseDirectory.opsHome(Map.of("HOME", "/h", "OPS_HOME", "/o"), null)).isEqualTo(Path.of("/o/.ops"));
    assertThat(ReleaseDirectory.opsHome(Map.of("HOME", "/h"), Path.of("/given"))).isEqualTo(Path.of("/given/.ops"));
    assertThat(ReleaseDirectory.opsHome(Map.of(), null)).isEqualTo(Path.of(System.getProperty("user.home"), ".ops"));
  }
}
