package dev.nanokit.core;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a Nanos kernel, boot.img, UEFI loader and klibs come from when not given one by one
 * (cli.md {@code mkimage}): {@code $NANOS_HOME}, then the ops cache {@code ~/.ops/<version>/}, the
 * named version or else the newest one there.
 */
record NanosRelease(Path directory) {

  static Optional<NanosRelease> locate(Map<String, String> env, Path userHome, String version) throws IOException {
    String home = env.get("NANOS_HOME");
    if (home != null && !home.isEmpty() && Files.isRegularFile(Path.of(home, "kernel.img"))) {
      return Optional.of(new NanosRelease(Path.of(home)));
    }
    Path ops = userHome.resolve(".ops");
    if (version != null && !version.isEmpty()) {
      Path dir = ops.resolve(version);
      return Files.isRegularFile(dir.resolve("kernel.img")) ? Optional.of(new NanosRelease(dir)) : Optional.empty();
    }
    if (!Files.isDirectory(ops)) {
      return Optional.empty();
    }
    List<Path> versions = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(ops)) {
      for (Path p : s) {
        if (Files.isRegularFile(p.resolve("kernel.img")) && p.getFileName().toString().matches("\\d+(\\.\\d+)*")) {
          versions.add(p);
        }
      }
    }
    versions.sort((a, b) -> compareVersions(a.getFileName().toString(), b.getFileName().toString()));
    return versions.isEmpty() ? Optional.empty() : Optional.of(new NanosRelease(versions.get(versions.size() - 1)));
  }

  static int compareVersions(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      long p = i < x.length ? Long.parseLong(x[i]) : 0;
      long q = i < y.length ? Long.parseLong(y[i]) : 0;
      if (p != q) {
        return Long.compare(p, q);
      }
    }
    return 0;
  }

  Path kernel() {
    return directory.resolve("kernel.img");
  }

  Optional<Path> bootImage() {
    Path p = directory.resolve("boot.img");
    return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
  }

  Optional<Path> uefiLoader() {
    for (String name : new String[] {"bootx64.efi", "bootaa64.efi"}) {
      Path p = directory.resolve(name);
      if (Files.isRegularFile(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  Path klibDirectory() {
    return directory.resolve("klibs");
  }
}
