package dev.nanokit.core.ops;

import dev.nanokit.core.ImageEntry;
import dev.nanokit.core.ImagePlan;
import dev.nanokit.core.OpsConfig;
import dev.nanokit.core.host.MessageText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * An ops package (ops {@code lepton/package.go}): a directory holding {@code package.manifest} (ops
 * config JSON: {@code Program}, {@code Args}, {@code Env}, {@code Version}, …) and a {@code sysroot/}
 * tree whose content becomes the image root; the program may be inside {@code sysroot} or beside it.
 * Either the directory itself (as ops unpacks it under {@code ~/.ops/packages/}) or its
 * {@code .tar.gz}/{@code .tgz}, whose single top-level directory is the package (an archive with
 * {@code package.manifest} at its top level is accepted too).
 *
 * <p><b>Extraction</b> of an archive goes through {@link SafeTarExtractor} into a caller-given scratch
 * directory: names that are absolute or hold {@code ..}, writes through symlinks, links leading out of
 * the scratch directory and special files are refused with a one-line {@link IOException} naming the
 * archive and the entry. Packages made by {@code ops pkg from-docker} hold absolute symlinks inside
 * {@code sysroot/} (ops {@code cmd/extract_from_docker.go} copies the container's root with its
 * symlink targets as they are); those are paths in the image, so they are kept verbatim and never
 * followed on the host, like in an unpacked package directory. Anywhere else in the package (the
 * manifest, the program beside {@code sysroot}, {@code sysroot} itself) an absolute symlink would make
 * the build read a host file, so it is refused. File modes and times are not restored (TFS stores
 * neither).
 */
public final class OpsPackage {
  public static final String MANIFEST = "package.manifest";
  public static final String SYSROOT = "sysroot";

  private final Path directory;
  private final OpsConfig config;
  private final List<String> warnings;

  private OpsPackage(Path directory, OpsConfig config, List<String> warnings) {
    this.directory = directory;
    this.config = config;
    this.warnings = List.copyOf(warnings);
  }

  /**
   * Opens a package directory, or extracts a {@code .tar.gz}/{@code .tgz} into {@code scratchDir}
   * (created if needed; should be empty) and opens the package in it.
   */
  public static OpsPackage open(Path dirOrTarGz, Path scratchDir) throws IOException {
    return open(dirOrTarGz, scratchDir, 0);
  }

  /** As {@link #open(Path, Path)}, the archive expanding to at most {@code maxExpandedBytes} (0: default). */
  public static OpsPackage open(Path dirOrTarGz, Path scratchDir, long maxExpandedBytes) throws IOException {
    Path dir;
    if (Files.isDirectory(dirOrTarGz)) {
      dir = dirOrTarGz;
    } else if (Files.isRegularFile(dirOrTarGz) && isTarGz(dirOrTarGz)) {
      Files.createDirectories(scratchDir);
      new SafeTarExtractor(true, maxExpandedBytes).extract(dirOrTarGz, scratchDir);
      dir = packageRootIn(dirOrTarGz, scratchDir);
      refuseAbsoluteSymlinksOutsideSysroot(dirOrTarGz, scratchDir, dir);
    } else if (!Files.exists(dirOrTarGz)) {
      throw new java.nio.file.NoSuchFileException(dirOrTarGz.toString(), null, "no such package");
    } else {
      throw new IOException(dirOrTarGz + ": not an ops package directory or .tar.gz");
    }
    dir = dir.toAbsolutePath().normalize();
    Path manifest = dir.resolve(MANIFEST);
    if (!Files.isRegularFile(manifest)) {
      throw new IOException(dirOrTarGz + ": no " + MANIFEST + " in the package");
    }
    if (!Files.isDirectory(dirOrTarGz)) {
      // What an archive unpacked must be read as it is: a link could lead a read out to any host file.
      if (!Files.isRegularFile(manifest, LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException(dirOrTarGz + ": " + MANIFEST + " is a symlink, not a file");
      }
      Path sysroot = dir.resolve(SYSROOT);
      if (Files.isSymbolicLink(sysroot)) {
        throw new IOException(dirOrTarGz + ": " + SYSROOT + " is a symlink, not a directory");
      }
    }
    OpsConfigReader.Result r = new OpsConfigReader().read(manifest);
    List<String> warnings = new ArrayList<>(r.warnings());
    if (!Files.isDirectory(dir.resolve(SYSROOT))) {
      warnings.add(dirOrTarGz + ": no " + SYSROOT + " directory in the package");
    }
    return new OpsPackage(dir, r.config(), warnings);
  }

  /** The configuration read from {@code package.manifest}. */
  public OpsConfig config() {
    return config;
  }

  /** {@code <package>/sysroot} (may not exist: ops only warns). */
  public Path sysroot() {
    return directory.resolve(SYSROOT);
  }

  /** The package directory (absolute). */
  public Path directory() {
    return directory;
  }

  /** Unknown manifest fields and a missing sysroot, for the user. */
  public List<String> warnings() {
    return warnings;
  }

  private static boolean isTarGz(Path p) {
    String n = p.getFileName().toString();
    return n.endsWith(".tar.gz") || n.endsWith(".tgz");
  }

  private static Path packageRootIn(Path archive, Path scratch) throws IOException {
    if (Files.isRegularFile(scratch.resolve(MANIFEST), LinkOption.NOFOLLOW_LINKS)) {
      return scratch;
    }
    List<Path> top = new ArrayList<>();
    try (Stream<Path> s = Files.list(scratch)) {
      s.forEach(top::add);
    }
    if (top.size() != 1 || !Files.isDirectory(top.get(0), LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(archive + ": expected one top-level directory holding " + MANIFEST + ", found "
          + top.size() + " top-level entries");
    }
    return top.get(0);
  }

  /** See the class comment: an extracted package's absolute symlinks are image paths only in sysroot. */
  private static void refuseAbsoluteSymlinksOutsideSysroot(Path archive, Path scratch, Path packageDir)
      throws IOException {
    Path top = scratch.toAbsolutePath().normalize();
    Path sysroot = packageDir.toAbsolutePath().normalize().resolve(SYSROOT);
    java.util.TreeMap<String, Path> links = new java.util.TreeMap<>();
    try (Stream<Path> s = Files.walk(top)) {
      s.filter(Files::isSymbolicLink).forEach(p -> links.put(top.relativize(p).toString(), p));
    }
    for (Map.Entry<String, Path> link : links.entrySet()) {
      Path p = link.getValue();
      String target = Files.readSymbolicLink(p).toString();
      if (target.startsWith("/") && (!p.startsWith(sysroot) || p.equals(sysroot))) {
        throw SafeTarExtractor.refused(archive.toString(), link.getKey(), "symlink to "
            + MessageText.printable(target) + " is absolute but not inside " + SYSROOT + "/");
      }
    }
  }

  /** The package manifest as base, {@code user}'s non-empty fields over it (see {@code ImageSource.opsPackage}). */
  public static OpsConfig mergeConfig(OpsConfig pkg, OpsConfig user) {
    OpsConfig.Builder b = pkg.toBuilder();
    if (!user.program().isEmpty()) {
      b.program(user.program());
    }
    if (!user.args().isEmpty()) {
      b.args(user.args());
    }
    user.env().forEach(b::putEnv);
    if (!user.files().isEmpty()) {
      b.files(user.files());
    }
    if (!user.dirs().isEmpty()) {
      b.dirs(user.dirs());
    }
    user.mapDirs().forEach(b::putMapDir);
    if (!user.klibs().isEmpty()) {
      b.klibs(user.klibs());
    }
    if (!user.klibDir().isEmpty()) {
      b.klibDir(user.klibDir());
    }
    user.mounts().forEach(b::putMount);
    if (!user.runConfig().equals(OpsConfig.RunConfig.empty())) {
      OpsConfig.RunConfig r = user.runConfig();
      b.runConfig().ipAddress(r.ipAddress()).ipv6Address(r.ipv6Address()).gateway(r.gateway()).netMask(r.netMask())
          .nics(r.nics()).ports(r.ports()).imageName(r.imageName()).verbose(r.verbose());
    }
    if (!user.nameServers().isEmpty()) {
      b.nameServers(user.nameServers());
    }
    user.manifestPassthrough().entries().forEach(b::putManifestPassthrough);
    if (!user.debugflags().isEmpty()) {
      b.debugflags(user.debugflags());
    }
    if (!user.noTrace().isEmpty()) {
      b.noTrace(user.noTrace());
    }
    b.rebootOnExit(pkg.rebootOnExit() || user.rebootOnExit());
    if (!user.kernel().isEmpty()) {
      b.kernel(user.kernel());
    }
    if (!user.boot().isEmpty()) {
      b.boot(user.boot());
    }
    b.uefi(pkg.uefi() || user.uefi());
    if (!user.uefiBoot().isEmpty()) {
      b.uefiBoot(user.uefiBoot());
    }
    if (!user.baseVolumeSz().isEmpty()) {
      b.baseVolumeSz(user.baseVolumeSz());
    }
    if (!user.targetRoot().isEmpty()) {
      b.targetRoot(user.targetRoot());
    }
    b.tfsV4(pkg.tfsV4() || user.tfsV4());
    if (!user.cloudConfig().imageName().isEmpty()) {
      b.cloudImageName(user.cloudConfig().imageName());
    }
    if (!user.nanosVersion().isEmpty()) {
      b.nanosVersion(user.nanosVersion());
    }
    b.nightlyBuild(pkg.nightlyBuild() || user.nightlyBuild());
    b.disableArgsCopy(pkg.disableArgsCopy() || user.disableArgsCopy());
    if (!user.localFilesParentDirectory().isEmpty()) {
      b.localFilesParentDirectory(user.localFilesParentDirectory());
    }
    if (!user.home().isEmpty()) {
      b.home(user.home());
    }
    return b.build();
  }

  /** The sysroot tree as image entries at {@code /}: sorted, symlinks with their literal target. */
  public static List<ImageEntry> sysrootEntries(Path sysroot) throws IOException {
    List<ImageEntry> out = new ArrayList<>();
    if (Files.isDirectory(sysroot)) {
      addSysroot(sysroot, "", out);
    }
    return out;
  }

  private static void addSysroot(Path dir, String image, List<ImageEntry> out) throws IOException {
    java.util.TreeMap<String, Path> children = new java.util.TreeMap<>(ImagePlan.PATH_ORDER);
    try (java.util.stream.Stream<Path> s = Files.list(dir)) {
      s.forEach(p -> children.put(p.getFileName().toString(), p));
    }
    for (Map.Entry<String, Path> ch : children.entrySet()) {
      String path = image + "/" + ch.getKey();
      Path p = ch.getValue();
      if (Files.isSymbolicLink(p)) {
        out.add(ImageEntry.symlink(path, Files.readSymbolicLink(p).toString()));
      } else if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        out.add(ImageEntry.directory(path));
        addSysroot(p, path, out);
      } else if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        out.add(ImageEntry.file(path, p));
      }
    }
  }

}
