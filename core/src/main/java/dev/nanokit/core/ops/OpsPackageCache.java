package dev.nanokit.core.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packages {@code ops pkg get}/{@code ops pkg load} left on this machine, found by their
 * {@code [namespace/]name:version} reference. Where ops keeps them (ops {@code cmd/flags_pkg.go}
 * {@code PackagePath}, {@code lepton/package.go}): {@code <ops home>/packages/<arch>/<namespace>/<name>_<version>},
 * tried again with a {@code v} before the version (some pkghub packages are named so), and the user's
 * own packages under {@code <ops home>/local_packages/<arch>/<name>_<version>} ({@code ops pkg load -l}).
 * {@code <arch>} is {@code amd64} or {@code arm64}; the ops home is {@code $OPS_HOME/.ops} or
 * {@code ~/.ops}.
 *
 * <p>Nothing is downloaded: a reference not in the cache is an error naming the places looked at and
 * the ops command that would fetch it (offline first; ops's {@code latest} lookup needs the network).
 */
public final class OpsPackageCache {
  /** {@code namespace/name:version}; the namespace is optional, the version is not (no network lookup). */
  private static final Pattern REFERENCE =
      Pattern.compile("^(?:([A-Za-z0-9][A-Za-z0-9._-]*)/)?([A-Za-z0-9][A-Za-z0-9._-]*):([A-Za-z0-9][A-Za-z0-9._+-]*)$");

  private final Path opsHome;
  private final String arch;

  public OpsPackageCache(Path opsHome, String arch) {
    this.opsHome = opsHome;
    this.arch = arch;
  }

  /** The cache of the ops installation {@code env} and {@code userHome} point at, for this host's architecture. */
  public static OpsPackageCache of(Map<String, String> env, Path userHome) {
    return new OpsPackageCache(ReleaseDirectory.opsHome(env, userHome), hostArch(System.getProperty("os.arch", "")));
  }

  /** Whether {@code s} has the shape of a package reference rather than a file path. */
  public static boolean isReference(String s) {
    return REFERENCE.matcher(s).matches();
  }

  /** ops's package directory name for an architecture as Java names it ({@code os.arch}). */
  public static String hostArch(String osArch) {
    String a = osArch.toLowerCase(Locale.ROOT);
    return a.equals("aarch64") || a.equals("arm64") ? "arm64" : "amd64";
  }

  /** The package directory for {@code reference}; a one-line {@link NoSuchFileException} when it is not cached. */
  public Path find(String reference) throws IOException {
    Matcher m = REFERENCE.matcher(reference);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a package reference [namespace/]name:version: \"" + reference + "\"");
    }
    String namespace = m.group(1);
    String slug = m.group(2) + "_" + m.group(3);
    String vSlug = m.group(2) + "_v" + m.group(3);
    Path packages = opsHome.resolve("packages").resolve(arch);
    Path local = opsHome.resolve("local_packages").resolve(arch);
    List<Path> candidates = new ArrayList<>();
    if (namespace != null) {
      candidates.add(packages.resolve(namespace).resolve(slug));
      candidates.add(packages.resolve(namespace).resolve(vSlug));
    } else {
      candidates.add(packages.resolve(slug));
      candidates.add(packages.resolve(vSlug));
    }
    candidates.add(local.resolve(slug));
    for (Path c : candidates) {
      if (Files.isRegularFile(c.resolve(OpsPackage.MANIFEST))) {
        return c;
      }
    }
    throw new NoSuchFileException(candidates.get(0).toString(), null, "package " + reference
        + " is not in the local ops package cache (nanokit does not download packages: run `ops pkg get "
        + reference + "`, or give the package directory or .tar.gz)");
  }
}
