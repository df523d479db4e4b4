package dev.nanokit.core.ops;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Where a Nanos kernel, boot.img, UEFI loader and klibs come from when not given one by one
 * (docs/cli {@code mkimage}): {@code $NANOS_HOME}, then the ops cache {@code <ops home>/<version>/}, the
 * named version or else the newest one there. The ops home is {@code $OPS_HOME/.ops} when
 * {@code OPS_HOME} is set and not empty, else {@code ~/.ops} (ops {@code lepton/const.go}
 * {@code GetOpsHome}); a release directory holds {@code kernel.img}, {@code boot.img}, a UEFI loader
 * ({@code *.efi}, found by its suffix as ops {@code GetUefiBoot} does) and {@code klibs/}.
 *
 * @param directory the release directory
 * @param uefi its UEFI loader, or null when it has none
 */
public record ReleaseDirectory(Path directory, Path uefi) {
  public static final String KERNEL = "kernel.img";
  /** ops keeps an arm64 release beside the x86-64 one as {@code V-arm}. */
  private static final String ARM_SUFFIX = "-arm";

  /**
   * The ops home directory ops itself would use with this environment and home directory; a null
   * {@code userHome} means the user's, which for ops (Go's {@code os.UserHomeDir}) is {@code $HOME}
   * before the password database that Java's {@code user.home} reads.
   */
  public static Path opsHome(Map<String, String> env, Path userHome) {
    String alt = env.get("OPS_HOME");
    return alt != null && !alt.isEmpty() ? Path.of(alt).resolve(".ops") : home(env, userHome).resolve(".ops");
  }

  /** {@code userHome}, or when null {@code $HOME}, or Java's {@code user.home}. */
  public static Path home(Map<String, String> env, Path userHome) {
    if (userHome != null) {
      return userHome;
    }
    String home = env.get("HOME");
    return home != null && !home.isEmpty() ? Path.of(home) : Path.of(System.getProperty("user.home"));
  }

  /**
   * The release for {@code arch} ({@code amd64} or {@code arm64}): {@code $NANOS_HOME} when it holds a
   * kernel, else the ops cache's {@code V} (amd64) or {@code V-arm} (arm64, ops's name for it; a
   * plain {@code V} is tried after it, and the kernel's ELF machine is checked later), for the named
   * version or else the newest one there.
   */
  public static Optional<ReleaseDirectory> locate(Map<String, String> env, Path userHome, String version, String arch)
      throws IOException {
    String home = env.get("NANOS_HOME");
    if (home != null && !home.isEmpty() && isRelease(Path.of(home))) {
      return Optional.of(at(Path.of(home)));
    }
    Path ops = opsHome(env, userHome);
    boolean arm = "arm64".equals(arch);
    if (version != null && !version.isEmpty()) {
      if (version.contains("/") || version.contains("\\") || version.equals(".") || version.equals("..")) {
        return Optional.empty();
      }
      for (Path dir : arm ? List.of(ops.resolve(version + ARM_SUFFIX), ops.resolve(version)) : List.of(ops.resolve(version))) {
        if (isRelease(dir)) {
          return Optional.of(at(dir));
        }
      }
      return Optional.empty();
    }
    if (!Files.isDirectory(ops)) {
      return Optional.empty();
    }
    String pattern = arm ? "\\d+(\\.\\d+)*" + ARM_SUFFIX : "\\d+(\\.\\d+)*";
    List<Path> versions = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(ops)) {
      for (Path p : s) {
        if (isRelease(p) && p.getFileName().toString().matches(pattern)) {
          versions.add(p);
        }
      }
    }
    versions.sort((a, b) -> compareVersions(versionOf(a), versionOf(b)));
    return versions.isEmpty() ? Optional.empty() : Optional.of(at(versions.get(versions.size() - 1)));
  }

  /** The cache directory of {@code version} for {@code arch}: {@code <ops home>/V} or {@code V-arm}. */
  public static Path cacheDirectory(Map<String, String> env, Path userHome, String version, String arch) {
    return opsHome(env, userHome).resolve("arm64".equals(arch) ? version + ARM_SUFFIX : version);
  }

  private static String versionOf(Path dir) {
    String name = dir.getFileName().toString();
    return name.endsWith(ARM_SUFFIX) ? name.substring(0, name.length() - ARM_SUFFIX.length()) : name;
  }

  /**
   * The release in {@code dir}; its UEFI loader is {@code bootx64.efi}, else {@code bootaa64.efi},
   * else the first other {@code *.efi} by name (ops takes whichever its directory listing gives first).
   */
  public static ReleaseDirectory at(Path dir) throws IOException {
    for (String name : new String[] {"bootx64.efi", "bootaa64.efi"}) {
      if (Files.isRegularFile(dir.resolve(name))) {
        return new ReleaseDirectory(dir, dir.resolve(name));
      }
    }
    TreeSet<String> efi = new TreeSet<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.efi")) {
      for (Path p : s) {
        if (Files.isRegularFile(p)) {
          efi.add(p.getFileName().toString());
        }
      }
    }
    return new ReleaseDirectory(dir, efi.isEmpty() ? null : dir.resolve(efi.first()));
  }

  /** Numeric, component by component ("0.1.9" before "0.1.10"); any number of digits. */
  public static int compareVersions(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      String p = i < x.length ? x[i].replaceFirst("^0+(?=.)", "") : "0";
      String q = i < y.length ? y[i].replaceFirst("^0+(?=.)", "") : "0";
      int c = p.length() != q.length() ? Integer.compare(p.length(), q.length()) : p.compareTo(q);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  public Path kernel() {
    return directory.resolve(KERNEL);
  }

  public Optional<Path> bootImage() {
    Path p = directory.resolve("boot.img");
    return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
  }

  public Optional<Path> uefiLoader() {
    return Optional.ofNullable(uefi);
  }

  public Path klibDirectory() {
    return directory.resolve("klibs");
  }

  /**
   * Whether {@code dir} holds a release. ops ({@code CheckNanosVersionExists}) takes the directory's
   * existence as enough; its {@code kernel.img} is required here so that a directory an interrupted ops
   * download left half-filled is not taken for a release.
   */
  public static boolean isRelease(Path dir) {
    return Files.isRegularFile(dir.resolve(KERNEL));
  }
}
