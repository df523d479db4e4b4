package dev.nanokit.core;

import dev.nanokit.manifest.OpsConfig;
import dev.nanokit.manifest.OpsConfigReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * An ops package (ops {@code lepton/package.go}): a directory holding {@code package.manifest} (ops
 * config JSON: {@code Program}, {@code Args}, {@code Env}, {@code Version}, …) and a {@code sysroot/}
 * tree whose content becomes the image root; the program may be inside {@code sysroot} or beside it.
 * Either the directory itself (as ops unpacks it under {@code ~/.ops/packages/}) or its
 * {@code .tar.gz}/{@code .tgz}, whose single top-level directory is the package (an archive with
 * {@code package.manifest} at its top level is accepted too).
 *
 * <p><b>Extraction</b> (Commons Compress, into a caller-given scratch directory) is defensive: an entry
 * is refused, with a one-line {@link IOException} naming the archive and the entry, if its name is
 * absolute, contains a {@code ..} component or a NUL character, would be written through a symlink
 * extracted earlier, or is a symlink whose target is absolute or leads out of the scratch directory,
 * or a hard link to a name outside it or not yet extracted. Only directories, regular files, symlinks
 * and hard links (extracted as copies) are accepted; devices, FIFOs and the like are refused. File
 * modes and times are not restored (TFS stores neither).
 *
 * <p>Note: packages made by {@code ops pkg from-docker} may hold absolute symlinks inside
 * {@code sysroot/} (meaning a path in the image); those archives are refused here. Use the unpacked
 * directory instead, where symlinks are kept verbatim.
 */
final class OpsPackage {
  static final String MANIFEST = "package.manifest";
  static final String SYSROOT = "sysroot";

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
  static OpsPackage open(Path dirOrTarGz, Path scratchDir) throws IOException {
    Path dir;
    if (Files.isDirectory(dirOrTarGz)) {
      dir = dirOrTarGz;
    } else if (Files.isRegularFile(dirOrTarGz) && isTarGz(dirOrTarGz)) {
      Files.createDirectories(scratchDir);
      extract(dirOrTarGz, scratchDir);
      dir = packageRootIn(dirOrTarGz, scratchDir);
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
    OpsConfigReader.Result r = new OpsConfigReader().read(manifest);
    List<String> warnings = new ArrayList<>(r.warnings());
    if (!Files.isDirectory(dir.resolve(SYSROOT))) {
      warnings.add(dirOrTarGz + ": no " + SYSROOT + " directory in the package");
    }
    return new OpsPackage(dir, r.config(), warnings);
  }

  /** The configuration read from {@code package.manifest}. */
  OpsConfig config() {
    return config;
  }

  /** {@code <package>/sysroot} (may not exist: ops only warns). */
  Path sysroot() {
    return directory.resolve(SYSROOT);
  }

  /** The package directory (absolute). */
  Path directory() {
    return directory;
  }

  /** Unknown manifest fields and a missing sysroot, for the user. */
  List<String> warnings() {
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

  private static void extract(Path archive, Path scratch) throws IOException {
    Path root = scratch.toAbsolutePath().normalize();
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive));
        GzipCompressorInputStream gz = new GzipCompressorInputStream(raw);
        TarArchiveInputStream tar = new TarArchiveInputStream(gz)) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        String name = e.getName();
        Path dest = destination(archive, root, name);
        if (dest.equals(root)) {
          if (!e.isDirectory()) {
            throw refused(archive, name, "not a directory but names the archive root");
          }
          continue;
        }
        checkParents(archive, root, dest, name);
        if (e.isDirectory()) {
          if (Files.isSymbolicLink(dest)) {
            throw refused(archive, name, "a directory over a symlink");
          }
          Files.createDirectories(dest);
        } else if (e.isSymbolicLink()) {
          String target = e.getLinkName();
          if (target.isEmpty() || target.indexOf('\0') >= 0 || target.startsWith("/")
              || !dest.getParent().resolve(target).normalize().startsWith(root)) {
            throw refused(archive, name, "symlink to " + printable(target) + " points outside the package");
          }
          Files.createDirectories(dest.getParent());
          Files.deleteIfExists(dest);
          Files.createSymbolicLink(dest, Path.of(target));
        } else if (e.isLink()) {
          Path src;
          try {
            src = destination(archive, root, e.getLinkName());
          } catch (IOException outside) {
            throw refused(archive, name, "hard link to " + printable(e.getLinkName()) + " points outside the package");
          }
          if (!Files.isRegularFile(src, LinkOption.NOFOLLOW_LINKS)) {
            throw refused(archive, name, "hard link to " + printable(e.getLinkName())
                + " which is not a regular file extracted before it");
          }
          checkParents(archive, root, src, name);
          Files.createDirectories(dest.getParent());
          Files.copy(src, dest, StandardCopyOption.REPLACE_EXISTING);
        } else if (e.isFile()) {
          Files.createDirectories(dest.getParent());
          if (Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS)) {
            throw refused(archive, name, "a file over a directory");
          }
          Files.deleteIfExists(dest);
          Files.copy(tar, dest);
        } else {
          throw refused(archive, name, "unsupported entry type (only directories, files and symlinks)");
        }
      }
    }
  }

  /** Where {@code name} goes under {@code root}; refuses absolute, {@code ..} and NUL names. */
  private static Path destination(Path archive, Path root, String name) throws IOException {
    if (name.indexOf('\0') >= 0) {
      throw refused(archive, name, "name contains a NUL character");
    }
    if (name.startsWith("/") || name.matches("^[A-Za-z]:.*") || name.startsWith("\\")) {
      throw refused(archive, name, "absolute name");
    }
    for (String part : name.split("[/\\\\]")) {
      if (part.equals("..")) {
        throw refused(archive, name, "name contains ..");
      }
    }
    Path dest = root.resolve(name).normalize();
    if (!dest.startsWith(root)) {
      throw refused(archive, name, "escapes the extraction directory");
    }
    return dest;
  }

  /** Refuses writing through an extracted symlink: every existing ancestor must be a real directory. */
  private static void checkParents(Path archive, Path root, Path dest, String name) throws IOException {
    Path p = root;
    for (Path part : root.relativize(dest.getParent() == null ? root : dest.getParent())) {
      if (part.toString().isEmpty()) {
        continue;
      }
      p = p.resolve(part);
      if (Files.isSymbolicLink(p)) {
        throw refused(archive, name, "would be written through the symlink " + root.relativize(p));
      }
      if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        throw refused(archive, name, "its parent " + root.relativize(p) + " is not a directory");
      }
    }
  }

  private static IOException refused(Path archive, String name, String why) {
    return new IOException(archive + ": refused entry \"" + printable(name) + "\": " + why);
  }

  private static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      b.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
    }
    return b.toString();
  }

  /** The package manifest as base, {@code user}'s non-empty fields over it (see {@link ImageBuilder#setPackage}). */
  static OpsConfig mergeConfig(OpsConfig pkg, OpsConfig user) {
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
  static List<ImageEntry> sysrootEntries(Path sysroot) throws IOException {
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
