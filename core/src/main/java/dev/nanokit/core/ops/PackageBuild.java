package dev.nanokit.core.ops;

import dev.nanokit.core.ImageInputException;
import dev.nanokit.core.ImagePlan;
import dev.nanokit.core.OpsConfig;
import dev.nanokit.core.host.ImageRoot;
import dev.nanokit.core.plan.ContentPlanner;
import dev.nanokit.core.plan.PlannerInputs;
import dev.nanokit.core.plan.SourceContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An image built from an ops package, as ops {@code pkg load} does (docs/formats/manifest.md, "5.2 Fields that influence the image",
 * "6 The tree ops builds (default content of every image)"): the package's {@code sysroot} is the image's root (symlinks kept verbatim, resolved inside it),
 * no common files, libraries or ELF scan are added, and its manifest is the base configuration under
 * the user's. Not thread-safe.
 */
public final class PackageBuild {
  private final Path path;
  private final OpsPackage pkg;

  private PackageBuild(Path path, OpsPackage pkg) {
    this.path = path;
    this.pkg = pkg;
  }

  /**
   * Where a package the user named is: {@code reference} as a path against {@code cwd} when that
   * exists (or is no {@code [namespace/]name:version} reference), else in the local ops package cache.
   */
  public static Path locate(String reference, Path cwd, Map<String, String> env, Path userHome) throws IOException {
    Path given = cwd.resolve(reference);
    if (Files.exists(given) || !OpsPackageCache.isReference(reference)) {
      return given;
    }
    return OpsPackageCache.of(env, userHome).find(reference);
  }

  /** Whether the package at {@code path} is an archive that must be unpacked. */
  public static boolean isArchive(Path path) {
    return !Files.isDirectory(path);
  }

  /**
   * The package at {@code path}; an archive is unpacked into {@code scratch} (null for a directory),
   * expanding to at most {@code maxExpandedBytes} (0: the default limit).
   */
  public static PackageBuild open(Path path, Path scratch, long maxExpandedBytes) throws IOException {
    return new PackageBuild(path, OpsPackage.open(path, scratch, maxExpandedBytes));
  }

  /** The directory holding {@code package.manifest} and {@code sysroot/} (inside the scratch for an archive). */
  public Path directory() {
    return pkg.directory();
  }

  /** The package manifest overridden by the user's configuration. */
  public OpsConfig effectiveConfig(OpsConfig user) {
    return OpsPackage.mergeConfig(pkg.config(), user);
  }

  public ImagePlan plan(SourceContext c, Path targetRoot) throws IOException {
    OpsConfig merged = effectiveConfig(c.config());
    String prog = c.program() != null ? c.program().toString() : merged.program();
    if (prog.isEmpty()) {
      throw new ImageInputException("no program: the package " + path + " has no Program in its " + OpsPackage.MANIFEST);
    }
    Path sysroot = pkg.sysroot();
    String rootProgram;
    Path host = null;
    // The sysroot is the image's /: its symlinks (absolute ones included) resolve inside it, never on the host.
    ImageRoot image = new ImageRoot(sysroot, path + " sysroot");
    if (prog.startsWith("/")) {
      rootProgram = Path.of(prog).normalize().toString();
      image.resolve(rootProgram);
    } else {
      String[] parts = prog.split("/");
      rootProgram = parts[parts.length - 1];
      Path beside = pkg.directory().resolve(rootProgram);
      if (Files.isRegularFile(beside, LinkOption.NOFOLLOW_LINKS)) {
        host = beside;
      } else {
        image.resolve("/" + rootProgram);
      }
    }
    Path root = targetRoot != null ? targetRoot : merged.targetRoot().isEmpty() ? null : Path.of(merged.targetRoot());
    PlannerInputs in = c.inputs().create(merged, root)
        .packageBuild(true)
        .program(c.argv0(prog), rootProgram, host)
        .dependencies(OpsPackage.sysrootEntries(sysroot));
    if (in.runtimeRoot() != null) {
      // A package is its own world: what its files need comes from its sysroot, not the host.
      in.runtimeFrom(sysroot).checkDependencies();
    }
    ImagePlan plan = ContentPlanner.plan(in);
    if (!pkg.warnings().isEmpty()) {
      List<String> notes = new ArrayList<>();
      pkg.warnings().forEach(w -> notes.add("package: " + w));
      notes.addAll(plan.notes());
      plan = new ImagePlan(plan.entries(), plan.rootConfig(), notes, plan.klibs()).withWarnings(plan.warnings());
    }
    return isArchive(path) ? plan.withUnpackedRoot(pkg.directory(), path.toString()) : plan;
  }

  /** The host file of the program, whose architecture must match the kernel's. */
  public Path programHost(SourceContext c) throws IOException {
    String prog = c.program() != null ? c.program().toString() : effectiveConfig(c.config()).program();
    String name = Path.of(prog).getFileName().toString();
    Path beside = pkg.directory().resolve(name);
    if (!prog.startsWith("/") && Files.isRegularFile(beside, LinkOption.NOFOLLOW_LINKS)) {
      return beside;
    }
    return new ImageRoot(pkg.sysroot(), path + " sysroot").resolve(prog.startsWith("/") ? prog : "/" + name);
  }
}
