package dev.nanokit.core.oci;

import dev.nanokit.core.ImageEntry;
import dev.nanokit.core.ImageInputException;
import dev.nanokit.core.ImagePlan;
import dev.nanokit.core.OpsConfig;
import dev.nanokit.core.host.ImageRoot;
import dev.nanokit.core.ops.OpsPackage;
import dev.nanokit.core.plan.ContentPlanner;
import dev.nanokit.core.plan.ElfDependencies;
import dev.nanokit.core.plan.PlannerInputs;
import dev.nanokit.core.plan.SourceContext;
import dev.nanokit.manifest.Tuple;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An image built from a container image: its layers, applied into a scratch directory, are the target
 * root. The program is the user's, else the configuration's, else the image's {@code Entrypoint[0]}
 * or {@code Cmd[0]}; only a program from the image takes the rest of {@code Entrypoint} and
 * {@code Cmd} as arguments (Docker's rule). The image's {@code Env} is the base of the environment, and
 * its {@code WorkingDir} becomes {@code cwd} when that directory is in the image. Not thread-safe.
 */
public final class ContainerBuild {
  private final Path archive;
  private final boolean wholeFilesystem;
  private final OciImage image;

  private ContainerBuild(Path archive, boolean wholeFilesystem, OciImage image) {
    this.archive = archive;
    this.wholeFilesystem = wholeFilesystem;
    this.image = image;
  }

  /**
   * Reads {@code archive} (checked against its digests) and applies its layers under {@code scratch},
   * each gzip stream expanding to at most {@code maxExpandedBytes} (0: the default limit).
   */
  public static ContainerBuild open(Path archive, boolean wholeFilesystem, Path scratch, long maxExpandedBytes)
      throws IOException {
    return new ContainerBuild(archive, wholeFilesystem, OciImage.open(archive, scratch, maxExpandedBytes));
  }

  /** Where the image's filesystem was unpacked. */
  public Path rootfs() {
    return image.rootfs();
  }

  /** The image config as an ops configuration under the user's: Env always, Args only with its own program. */
  public OpsConfig effectiveConfig(SourceContext c) {
    OpsConfig.Builder base = OpsConfig.builder();
    for (String kv : image.env()) {
      int eq = kv.indexOf('=');
      if (eq > 0) {
        base.putEnv(kv.substring(0, eq), kv.substring(eq + 1));
      }
    }
    if (c.program() == null && c.config().program().isEmpty()) {
      List<String> argv = new ArrayList<>(image.entrypoint());
      argv.addAll(image.cmd());
      if (argv.size() > 1) {
        base.args(argv.subList(1, argv.size()));
      }
    }
    return OpsPackage.mergeConfig(base.build(), c.config());
  }

  public ImagePlan plan(SourceContext c) throws IOException {
    String prog = program(c);
    if (prog == null || prog.isEmpty()) {
      throw new ImageInputException("no program: the image " + archive + " has no Entrypoint or Cmd");
    }
    Path host = image.resolveInRoot(programPath(prog));
    Path root = image.rootfs();
    // The file itself, not the name it was found by: /usr/bin/python3 -> python3.11 runs as
    // /usr/bin/python3.11 (argv[0] stays as given), and never sits under a symlinked /bin.
    String imagePath = "/" + root.relativize(host).toString().replace(java.io.File.separatorChar, '/');
    PlannerInputs in = c.inputs().create(effectiveConfig(c), root)
        .program(c.argv0(prog), imagePath, host)
        .arch(c.architecture() != null ? c.architecture() : ElfDependencies.nanosArch(host));
    if (wholeFilesystem) {
      // The image's own files are all there (its /lib may be a symlink the default paths would clash with).
      in.withoutCommonFiles("the whole image is copied").dependencies(OpsPackage.sysrootEntries(root));
      if (in.runtimeRoot() != null) {
        in.checkDependencies();
      }
    } else {
      // ops adds the host's CA bundle and NSS library; an image brings its own, if any.
      ImageRoot inImage = new ImageRoot(root, archive.toString());
      in.dependencies(c.dependencies().find(host, root))
          .caCertificates(inImage.resolveIfPresent(ContentPlanner.CA_CERTIFICATES))
          .nssDnsLibrary(inImage.resolveIfPresent(ContentPlanner.NSS_DNS));
    }
    ImagePlan plan = ContentPlanner.plan(in);
    List<String> notes = new ArrayList<>(plan.notes());
    if (image.skippedSpecialFiles() > 0) {
      notes.add("left out " + image.skippedSpecialFiles() + " device nodes and FIFOs of the image (Nanos has none)");
    }
    String wd = image.workingDir().isEmpty() ? "/" : Path.of(image.workingDir()).normalize().toString();
    Tuple rootConfig = plan.rootConfig().deepCopy();
    ImageEntry dir = plan.entries().get(wd);
    boolean setCwd = !wd.equals("/") && !rootConfig.contains("cwd");
    if (setCwd && dir != null && dir.kind() == ImageEntry.Kind.DIRECTORY) {
      rootConfig.put("cwd", wd);
    } else if (setCwd) {
      notes.add("the image's WorkingDir " + wd + " is not in the image (only the program and its libraries are): "
          + "cwd not set; add the directory, copy the whole image or set cwd");
    }
    return new ImagePlan(plan.entries(), rootConfig, notes, plan.klibs()).withWarnings(plan.warnings())
        .withUnpackedRoot(root, archive.toString());
  }

  /** The host file of the program, whose architecture must match the kernel's. */
  public Path programHost(SourceContext c) throws IOException {
    return image.resolveInRoot(programPath(program(c)));
  }

  /** The program as the user or the configuration named it, or the image's own; null when none. */
  private String program(SourceContext c) {
    if (c.program() != null) {
      return c.program().toString();
    }
    if (!c.config().program().isEmpty()) {
      return c.config().program();
    }
    List<String> ep = image.entrypoint();
    return !ep.isEmpty() ? ep.get(0) : !image.cmd().isEmpty() ? image.cmd().get(0) : null;
  }

  /** The program's path in the image: absolute as given, relative to WorkingDir, or found on PATH. */
  private String programPath(String prog) throws IOException {
    if (prog.startsWith("/")) {
      return Path.of(prog).normalize().toString();
    }
    if (prog.contains("/")) {
      String wd = image.workingDir().isEmpty() ? "/" : image.workingDir();
      return Path.of(wd).resolve(prog).normalize().toString();
    }
    return image.findOnPath(prog);
  }
}
