package dev.nanokit.core;

import dev.nanokit.manifest.OpsConfig;
import dev.nanokit.manifest.Tuple;
import dev.nanokit.manifest.Value;
import dev.nanokit.tfs.TfsTimestamps;
import dev.nanokit.tfs.TfsWriteListener;
import dev.nanokit.tfs.TfsWriteResult;
import dev.nanokit.tfs.TfsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Builds a Nanos disk image (disk-image.md) or, with {@link #setBootable(boolean) setBootable(false)},
 * a bare root TFS volume. Collect inputs with {@code setX}/{@code addX}, look at {@link #plan()} (what
 * {@code mkimage --dry-run} prints), then {@link #writeTo(Path)}.
 *
 * <pre>{@code
 * ImageResult r = ImageBuilder.forProgram(Path.of("/usr/bin/node"))
 *     .addArgument("-e").addArgument("console.log(6*7)")
 *     .setKernel(Path.of("kernel.img")).setBootLoader(Path.of("boot.img"))
 *     .writeTo(Path.of("node.img"));
 * }</pre>
 *
 * <p>Same inputs, same bytes: entries are sorted, UUIDs are derived from the content unless set, and
 * timestamps come only from {@code SOURCE_DATE_EPOCH} (given through {@link #setEnvironment}). The
 * builder never prints; progress goes to an {@link ImageListener}.
 */
public final class ImageBuilder {
  /** Resolves a program's interpreter and libraries; the ELF resolver by default. */
  interface DependencyFinder {
    List<ImageEntry> find(Path programHost, Path targetRoot) throws IOException;
  }

  private OpsConfig config = OpsConfig.empty();
  private Path program;
  private String programAsGiven;
  private final List<String> arguments = new ArrayList<>();
  private boolean argumentsGiven;
  private final List<String> environment = new ArrayList<>();
  private final List<String> files = new ArrayList<>();
  private final List<String> dirs = new ArrayList<>();
  private final List<String> klibs = new ArrayList<>();
  private final Tuple settings = new Tuple();
  private Path targetRoot;
  private Path kernel;
  private Path bootLoader;
  private Path uefiLoader;
  private Path klibDirectory;
  private long size = -1;
  private String label = "";
  private UUID uuid;
  private boolean bootable = true;
  private Path cwd = Path.of("").toAbsolutePath();
  private Map<String, String> env = Map.of();
  private Path userHome; // null: $HOME, else user.home (see NanosRelease.home)
  private ImageListener listener = new ImageListener() {};
  private DependencyFinder dependencies = new ElfDependencies();
  private String imageName = "";
  private Path packagePath;
  /** Bytes a package archive may expand to; 0: 1000 times the archive, at least 64 MiB, at most 16 GiB. */
  private long maxArchiveExpansion;
  private String packageReference;
  private OpsPackage openedPackage;
  private Path scratchDirectory;
  private String nanosVersion;
  private Path containerImage;
  private OciImage openedImage;
  private boolean wholeContainerImage;
  private Path ownedScratch;

  private ImageBuilder() {}

  /** An image that runs the ELF executable at host path {@code program}, placed at the same path. */
  public static ImageBuilder forProgram(Path program) {
    ImageBuilder b = new ImageBuilder();
    b.program = Objects.requireNonNull(program, "program");
    return b;
  }

  /** An image described by an ops configuration; its {@code Program} names the executable. */
  public static ImageBuilder fromConfig(OpsConfig config) {
    ImageBuilder b = new ImageBuilder();
    b.config = Objects.requireNonNull(config, "config");
    if (!config.program().isEmpty()) {
      b.program = Path.of(config.program());
    }
    return b;
  }

  /** The ops configuration whose fields fill what flags do not (manifest.md §5). */
  public ImageBuilder setConfig(OpsConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    return this;
  }

  public ImageBuilder setProgram(Path program) {
    this.program = program;
    return this;
  }

  /** argv[0] as the user wrote the program (ops uses the string as given); default: the image path. */
  public ImageBuilder setProgramAsGiven(String asGiven) {
    this.programAsGiven = asGiven;
    return this;
  }

  /** A program argument; any argument given here replaces the config's {@code Args}, as ops's {@code --args}. */
  public ImageBuilder addArgument(String argument) {
    arguments.add(Objects.requireNonNull(argument, "argument"));
    argumentsGiven = true;
    return this;
  }

  public ImageBuilder putEnvironment(String name, String value) {
    if (name.isEmpty() || name.indexOf('=') >= 0) {
      throw new IllegalArgumentException("environment name must be non-empty without '=': \"" + name + "\"");
    }
    environment.add(name + "=" + value);
    return this;
  }

  /** A host file at {@code imagePath} (null: the host path itself). */
  public ImageBuilder addFile(Path host, String imagePath) {
    files.add(imagePath == null ? host.toString() : host + ":" + imagePath);
    return this;
  }

  /** A host directory tree at {@code imagePath} (null: the host path itself); symlinks stay symlinks. */
  public ImageBuilder addDirectory(Path host, String imagePath) {
    dirs.add(imagePath == null ? host.toString() : host + ":" + imagePath);
    return this;
  }

  public ImageBuilder setTargetRoot(Path targetRoot) {
    this.targetRoot = targetRoot;
    return this;
  }

  public ImageBuilder setKernel(Path kernel) {
    this.kernel = kernel;
    return this;
  }

  public ImageBuilder setBootLoader(Path bootImg) {
    this.bootLoader = bootImg;
    return this;
  }

  public ImageBuilder setUefiLoader(Path loader) {
    this.uefiLoader = loader;
    return this;
  }

  public ImageBuilder setKlibDirectory(Path dir) {
    this.klibDirectory = dir;
    return this;
  }

  /** A kernel library by name, copied from the klib directory to the boot filesystem. */
  public ImageBuilder addKlib(String name) {
    klibs.add(Objects.requireNonNull(name, "name"));
    return this;
  }

  /** A root-tuple key (manifest.md §4); applied after everything else. */
  public ImageBuilder set(String key, Value value) {
    settings.put(key, value);
    return this;
  }

  /** Total image size in bytes (for a bare volume: the volume's size); ≤ 0 for the default. */
  public ImageBuilder setSize(long bytes) {
    this.size = bytes;
    return this;
  }

  public ImageBuilder setLabel(String label) {
    this.label = Objects.requireNonNull(label, "label");
    return this;
  }

  public ImageBuilder setUuid(UUID uuid) {
    this.uuid = uuid;
    return this;
  }

  /** False writes only the root filesystem, as a bare TFS volume (no kernel needed). */
  public ImageBuilder setBootable(boolean bootable) {
    this.bootable = bootable;
    return this;
  }

  /** Base of relative host paths (config {@code Files}); default: the current directory. */
  public ImageBuilder setWorkingDirectory(Path cwd) {
    this.cwd = cwd.toAbsolutePath();
    return this;
  }

  /** Environment variables consulted: {@code SOURCE_DATE_EPOCH}, {@code NANOS_HOME}. Default: none. */
  public ImageBuilder setEnvironment(Map<String, String> env) {
    this.env = Map.copyOf(env);
    return this;
  }

  /** Home directory holding the ops cache {@code .ops/}. */
  public ImageBuilder setUserHome(Path home) {
    this.userHome = home;
    return this;
  }

  /** Value of the image's {@code IMAGE_NAME} environment variable. */
  public ImageBuilder setImageName(String name) {
    this.imageName = name;
    return this;
  }

  public ImageBuilder setListener(ImageListener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
    return this;
  }

  /**
   * Builds from an ops package (a directory with {@code package.manifest} and {@code sysroot/}, or its
   * {@code .tar.gz}, unpacked into the {@linkplain #setScratchDirectory scratch directory}), as ops
   * {@code pkg load} does (ops {@code BuildPackageManifest}; manifest.md §5.2, §6): the image root is
   * the package's {@code sysroot} tree (symlinks kept verbatim), no common files, libraries or ELF
   * dependency scan are added, and the first argument is copied from the working directory when it
   * names a host file (unless {@code DisableArgsCopy}).
   *
   * <p><b>Configuration</b>: the package manifest is the base; the configuration given with
   * {@link #setConfig}/{@link #fromConfig} overrides it field by field — a non-empty string, list or
   * {@code RunConfig} replaces the package's, map entries ({@code Env}, {@code MapDirs},
   * {@code Mounts}, {@code ManifestPassthrough}) are merged key by key with the user's winning, and
   * booleans are or-ed. Flags ({@code addArgument}, {@code putEnvironment}, …) then apply as usual.
   * ops differs: it always takes {@code Program} from the package, appends the user's {@code Args},
   * {@code Files} and {@code Dirs} to the package's, and lets the package's {@code Env}/{@code MapDirs}
   * entries win.
   *
   * <p><b>Program</b> ({@link #setProgram} if given, else the merged {@code Program}): a relative
   * {@code dir/name} makes the root {@code program} the bare {@code name}, copied from
   * {@code <package>/name} when that file exists, else expected at {@code sysroot/name}; an absolute
   * one must exist inside {@code sysroot} and is the root {@code program} as is. argv[0] is the program
   * string as given.
   */
  public ImageBuilder setPackage(Path pkg) {
    this.packagePath = pkg;
    this.packageReference = null;
    this.openedPackage = null;
    return this;
  }

  /**
   * The bytes a package {@code .tar.gz} may expand to before the build fails; by default 1000 times
   * the archive (gzip's ratio on zeros), at least 64 MiB and at most 16 GiB.
   */
  public ImageBuilder setMaxArchiveExpansion(long bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("the archive expansion limit must be positive: " + bytes);
    }
    this.maxArchiveExpansion = bytes;
    this.openedPackage = null;
    return this;
  }

  /**
   * As {@link #setPackage(Path)}, for a package given as the user wrote it: a directory or
   * {@code .tar.gz} path (relative to the {@linkplain #setWorkingDirectory working directory}) when
   * that exists, else a {@code [namespace/]name:version} reference looked up in the local ops package
   * cache ({@code ~/.ops/packages/<arch>/…}, see {@code OpsPackageCache}); nothing is downloaded.
   */
  public ImageBuilder setPackage(String pkg) {
    this.packageReference = Objects.requireNonNull(pkg, "pkg");
    this.packagePath = null;
    this.openedPackage = null;
    return this;
  }

  /**
   * Builds from a container image, daemonless: a {@code docker save} tarball (gzipped or not), an OCI
   * image layout directory or its tar. Its layers are applied in order (whiteouts and opaque
   * directories honoured) into the {@linkplain #setScratchDirectory scratch directory}, and the result
   * is the target root: the program and its libraries are taken from it, symlinks resolved inside it.
   *
   * <p>The program is {@link #setProgram} (an image path, or a bare name looked up on the image's
   * {@code PATH}), else the config's {@code Program}, else the image's {@code Entrypoint[0]}, else
   * {@code Cmd[0]}; only a program from the image takes the rest of {@code Entrypoint} and {@code Cmd}
   * as arguments (Docker's rule: naming another entrypoint drops {@code Cmd}). The image's {@code Env}
   * is the base of the environment (config {@code Env} and {@link #putEnvironment} override it by
   * name), and its {@code WorkingDir} becomes the root {@code cwd} (unless set) when that directory is
   * in the image — the kernel refuses to boot into a missing one.
   */
  public ImageBuilder setContainerImage(Path archiveOrLayout) {
    this.containerImage = archiveOrLayout;
    this.openedImage = null;
    return this;
  }

  /**
   * With a {@linkplain #setContainerImage container image}: copy its whole filesystem, not just the
   * program and the libraries it needs (ops {@code pkg from-docker --copy-whole-fs}).
   */
  public ImageBuilder setWholeContainerImage(boolean whole) {
    this.wholeContainerImage = whole;
    return this;
  }

  /**
   * Where archives (a package {@code .tar.gz}, a container image) are unpacked; the caller owns it and removes it. By
   * default each {@link #plan()} or {@link #writeTo} call unpacks into a temporary directory of its own
   * and removes it before returning.
   */
  public ImageBuilder setScratchDirectory(Path dir) {
    this.scratchDirectory = dir;
    this.openedPackage = null;
    this.openedImage = null;
    return this;
  }

  /**
   * The Nanos release to boot, from the ops cache ({@code <ops home>/<version>/}: kernel, boot.img, UEFI
   * loader, klibs), over the config's {@code NanosVersion} and over {@code $NANOS_HOME}; explicit
   * {@link #setKernel}/{@link #setBootLoader}/{@link #setUefiLoader}/{@link #setKlibDirectory} still win
   * file by file. Also the image's {@code NANOS_VERSION}. Nothing is downloaded
   * ({@link NanosReleaseFetcher} does that).
   */
  public ImageBuilder setNanosVersion(String version) {
    this.nanosVersion = version == null || version.isEmpty() ? null : version;
    return this;
  }

  ImageBuilder setDependencyFinder(DependencyFinder finder) {
    this.dependencies = finder;
    return this;
  }

  /** The planned content and root configuration; reads no file contents. */
  public ImagePlan plan() throws IOException {
    return withScratch(this::planContent);
  }

  private interface Work<T> {
    T run() throws IOException;
  }

  /** Runs {@code work}, then removes the scratch directory; a failed removal never hides the work's own error. */
  private <T> T withScratch(Work<T> work) throws IOException {
    T result;
    try {
      result = work.run();
    } catch (IOException | RuntimeException e) {
      try {
        releaseScratch();
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
    releaseScratch();
    return result;
  }

  private ImagePlan planContent() throws IOException {
    resolvePackage();
    if (packagePath != null && containerImage != null) {
      throw new ImageFormatException("give a package or a container image, not both");
    }
    if (packagePath != null) {
      try {
        return planPackage();
      } catch (IOException e) {
        throw Files.isDirectory(packagePath) || openedPackage == null ? e
            : namedInArchive(e, openedPackage.directory(), packagePath.toString());
      }
    }
    if (containerImage != null) {
      try {
        return planContainerImage();
      } catch (IOException e) {
        throw openedImage == null ? e : namedInArchive(e, openedImage.rootfs(), containerImage.toString());
      }
    }
    if (program == null) {
      throw new ImageFormatException("no program: give one (--program, or Program in the config)");
    }
    Path root = rootOf();
    Path host = hostProgram(root);
    // ops stores the program at path.Join("/", program): ./x and ../x both become /x (manifest.md §5.2).
    String imagePath = program.isAbsolute() ? program.normalize().toString() : Path.of("/").resolve(program.normalize().toString())
        .normalize().toString();
    ContentPlanner.Inputs in = inputs(config, root)
        .program(programAsGiven != null ? programAsGiven : program.toString(), imagePath, host)
        .dependencies(dependencies.find(host, root))
        .caCertificates(existing(Path.of(ContentPlanner.CA_CERTIFICATES)))
        .nssDnsLibrary(existing(Path.of(ContentPlanner.NSS_DNS)));
    return ContentPlanner.plan(in);
  }

  /** What every kind of build gives the planner: the configuration in effect, flags, settings. */
  private ContentPlanner.Inputs inputs(OpsConfig effective, Path root) {
    ContentPlanner.Inputs in = new ContentPlanner.Inputs()
        .config(effective)
        .cwd(cwd)
        .cliEnv(environment)
        .cliFiles(files)
        .cliDirs(dirs)
        .cliKlibs(klibs)
        .targetRoot(root)
        .nanosVersion(nanosVersion != null ? nanosVersion : effective.nanosVersion())
        .imageName(imageName);
    if (argumentsGiven) {
      in.cliArgs(arguments);
    }
    for (Map.Entry<String, Value> e : settings.entries().entrySet()) {
      in.set(e.getKey(), e.getValue());
    }
    return in;
  }

  private Path rootOf() {
    OpsConfig c = effectiveConfig();
    return targetRoot != null ? targetRoot : c.targetRoot().isEmpty() ? null : Path.of(c.targetRoot());
  }

  private void resolvePackage() throws IOException {
    if (packagePath != null || packageReference == null) {
      return;
    }
    Path given = cwd.resolve(packageReference);
    if (Files.exists(given) || !OpsPackageCache.isReference(packageReference)) {
      packagePath = given;
    } else {
      packagePath = OpsPackageCache.of(env, userHome).find(packageReference);
    }
  }

  private OpsPackage openPackage() throws IOException {
    if (openedPackage == null) {
      Path scratch = null;
      if (!Files.isDirectory(packagePath)) {
        scratch = scratchDirectory != null ? scratchDirectory.resolve("package") : ownedScratch().resolve("package");
      }
      openedPackage = OpsPackage.open(packagePath, scratch, maxArchiveExpansion);
    }
    return openedPackage;
  }

  private Path ownedScratch() throws IOException {
    if (ownedScratch == null) {
      ownedScratch = Files.createTempDirectory("nanokit-");
    }
    return ownedScratch;
  }

  /**
   * {@code e}, its message naming a file unpacked under {@code root} as {@code ARCHIVE:/path} (as the
   * dry run does): the scratch directory is gone by the time the user reads it.
   */
  private static IOException namedInArchive(IOException e, Path root, String archive) {
    String message = e.getMessage();
    String prefix = root.toString();
    if (message == null || !message.contains(prefix)) {
      return e;
    }
    return new ImageFormatException(message.replace(prefix + java.io.File.separator, archive + ":/")
        .replace(prefix, archive + ":/"), e);
  }

  /** Removes the scratch directory this builder made; what was unpacked there is opened again next time. */
  private void releaseScratch() throws IOException {
    if (ownedScratch == null) {
      return;
    }
    Path dir = ownedScratch;
    ownedScratch = null;
    openedPackage = null;
    openedImage = null;
    if (packageReference != null) {
      packagePath = null;
    }
    NoFollow.delete(dir);
  }

  private OciImage openImage() throws IOException {
    if (openedImage == null) {
      Path scratch = (scratchDirectory != null ? scratchDirectory : ownedScratch()).resolve("container");
      Files.createDirectories(scratch);
      openedImage = OciImage.open(cwd.resolve(containerImage), scratch);
    }
    return openedImage;
  }

  /** The container image's program as the user or config named it, or its own; null when none. */
  private String containerProgram(OciImage image) {
    if (program != null) {
      return program.toString();
    }
    if (!config.program().isEmpty()) {
      return config.program();
    }
    List<String> ep = image.entrypoint();
    return !ep.isEmpty() ? ep.get(0) : !image.cmd().isEmpty() ? image.cmd().get(0) : null;
  }

  /** The program's path in the image: absolute as given, relative to WorkingDir, or found on PATH. */
  private static String containerProgramPath(OciImage image, String prog) throws IOException {
    if (prog.startsWith("/")) {
      return Path.of(prog).normalize().toString();
    }
    if (prog.contains("/")) {
      String wd = image.workingDir().isEmpty() ? "/" : image.workingDir();
      return Path.of(wd).resolve(prog).normalize().toString();
    }
    return image.findOnPath(prog);
  }

  /** The image config as an ops configuration under the user's: Env always, Args only with its own program. */
  private OpsConfig containerConfig(OciImage image) {
    OpsConfig.Builder base = OpsConfig.builder();
    for (String kv : image.env()) {
      int eq = kv.indexOf('=');
      if (eq > 0) {
        base.putEnv(kv.substring(0, eq), kv.substring(eq + 1));
      }
    }
    if (program == null && config.program().isEmpty()) {
      List<String> argv = new ArrayList<>(image.entrypoint());
      argv.addAll(image.cmd());
      if (argv.size() > 1) {
        base.args(argv.subList(1, argv.size()));
      }
    }
    return OpsPackage.mergeConfig(base.build(), config);
  }

  private ImagePlan planContainerImage() throws IOException {
    OciImage image = openImage();
    String prog = containerProgram(image);
    if (prog == null || prog.isEmpty()) {
      throw new ImageFormatException("no program: the image " + containerImage
          + " has no Entrypoint or Cmd (give --program)");
    }
    Path host = image.resolveInRoot(containerProgramPath(image, prog));
    Path root = image.rootfs();
    // The file itself, not the name it was found by: /usr/bin/python3 -> python3.11 runs as
    // /usr/bin/python3.11 (argv[0] stays as given), and never sits under a symlinked /bin.
    String imagePath = "/" + root.relativize(host).toString().replace(java.io.File.separatorChar, '/');
    ContentPlanner.Inputs in = inputs(containerConfig(image), root)
        .program(programAsGiven != null ? programAsGiven : prog, imagePath, host);
    if (wholeContainerImage) {
      // The image's own files are all there (its /lib may be a symlink the default paths would clash with).
      in.withoutCommonFiles("the whole image is copied").dependencies(OpsPackage.sysrootEntries(root));
    } else {
      // ops adds the host's CA bundle and NSS library; an image brings its own, if any.
      ImageRoot inImage = new ImageRoot(root, containerImage.toString());
      in.dependencies(dependencies.find(host, root))
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
          + "cwd not set; add it with --dir, --whole-image or --set cwd=…");
    }
    return new ImagePlan(plan.entries(), rootConfig, notes, plan.klibs()).withUnpackedRoot(root, containerImage.toString());
  }

  /** The configuration in effect: for a package build, the package manifest overridden by {@link #config}. */
  private OpsConfig effectiveConfig() {
    if (containerImage != null && packagePath == null) {
      try {
        return containerConfig(openImage());
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    if (packagePath == null) {
      return config;
    }
    try {
      return OpsPackage.mergeConfig(openPackage().config(), config);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private ImagePlan planPackage() throws IOException {
    OpsPackage pkg = openPackage();
    OpsConfig merged = effectiveConfig();
    String prog = program != null ? program.toString() : merged.program();
    if (prog.isEmpty()) {
      throw new ImageFormatException("no program: the package " + packagePath + " has no Program in its "
          + OpsPackage.MANIFEST + " (give --program NAME)");
    }
    Path sysroot = pkg.sysroot();
    String rootProgram;
    Path host = null;
    // The sysroot is the image's /: its symlinks (absolute ones included) resolve inside it, never on the host.
    ImageRoot image = new ImageRoot(sysroot, packagePath + " sysroot");
    if (prog.startsWith("/")) {
      rootProgram = Path.of(prog).normalize().toString();
      image.resolve(rootProgram);
    } else {
      String[] parts = prog.split("/");
      rootProgram = parts[parts.length - 1];
      Path beside = pkg.directory().resolve(rootProgram);
      if (Files.isRegularFile(beside, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        host = beside;
      } else {
        image.resolve("/" + rootProgram);
      }
    }
    String asGiven = programAsGiven != null && !programAsGiven.isEmpty() ? programAsGiven : prog;
    ContentPlanner.Inputs in = inputs(merged, rootOf())
        .packageBuild(true)
        .program(asGiven, rootProgram, host)
        .dependencies(OpsPackage.sysrootEntries(sysroot));
    ImagePlan plan = ContentPlanner.plan(in);
    if (!Files.isDirectory(packagePath)) {
      plan = plan.withUnpackedRoot(pkg.directory(), packagePath.toString());
    }
    if (pkg.warnings().isEmpty()) {
      return plan;
    }
    List<String> notes = new ArrayList<>();
    pkg.warnings().forEach(w -> notes.add("package: " + w));
    notes.addAll(plan.notes());
    ImagePlan noted = new ImagePlan(plan.entries(), plan.rootConfig(), notes, plan.klibs());
    return Files.isDirectory(packagePath) ? noted : noted.withUnpackedRoot(pkg.directory(), packagePath.toString());
  }

  /** Host file whose architecture must match the kernel's; null when there is none to check. */
  private Path archCheckProgram() throws IOException {
    if (containerImage != null && packagePath == null) {
      OciImage image = openImage();
      return image.resolveInRoot(containerProgramPath(image, containerProgram(image)));
    }
    if (packagePath == null) {
      return hostProgram(rootOf());
    }
    OpsPackage pkg = openPackage();
    String prog = program != null ? program.toString() : effectiveConfig().program();
    String name = Path.of(prog).getFileName().toString();
    Path beside = pkg.directory().resolve(name);
    if (!prog.startsWith("/") && Files.isRegularFile(beside, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return beside;
    }
    return new ImageRoot(pkg.sysroot(), packagePath + " sysroot").resolve(prog.startsWith("/") ? prog : "/" + name);
  }

  private Path hostProgram(Path root) throws IOException {
    Path p = program.isAbsolute() && root != null ? root.resolve(program.toString().substring(1)) : cwd.resolve(program);
    if (!Files.isRegularFile(p)) {
      throw new java.nio.file.NoSuchFileException(p.toString(), null, "program not found");
    }
    return p;
  }

  private static Path existing(Path p) {
    return Files.isRegularFile(p) ? p : null;
  }

  /** Builds the image at {@code out}, atomically: on failure {@code out} is absent or as it was. */
  public ImageResult writeTo(Path out) throws IOException {
    return withScratch(() -> write(out));
  }

  private ImageResult write(Path out) throws IOException {
    ImagePlan plan = planContent();
    OpsConfig config = effectiveConfig();
    TfsWriter rootFs = TfsWriter.create().setLabel(label).setTimestamps(timestamps()).setListener(progress());
    if (uuid != null) {
      rootFs.setUuid(uuid);
    }
    if (config.tfsV4()) {
      rootFs.setVersion(4);
    }
    for (ImageEntry e : plan.entries().values()) {
      switch (e.kind()) {
        case DIRECTORY -> rootFs.addDirectory(e.imagePath());
        case SYMLINK -> rootFs.addSymlink(e.imagePath(), e.linkTarget());
        case FILE -> {
          if (e.isGenerated()) {
            rootFs.addFile(e.imagePath(), e.content());
          } else {
            rootFs.addFile(e.imagePath(), e.hostPath());
          }
        }
      }
    }
    for (Map.Entry<String, Value> e : plan.rootConfig().entries().entrySet()) {
      rootFs.setRootKey(e.getKey(), e.getValue());
    }
    long requested = size > 0 ? size : config.baseVolumeBytes().orElse(-1);
    if (!bootable) {
      if (requested > 0) {
        rootFs.setSize((requested + 511) / 512 * 512);
      }
      listener.phase("rootfs");
      TfsWriteResult r = rootFs.writeTo(out);
      return new ImageResult(out.toAbsolutePath(), r.sizeBytes(), false, 0, r.uuid(), r.freeBytes());
    }

    Optional<NanosRelease> release = nanosVersion != null
        ? NanosRelease.locate(withoutNanosHome(env), userHome, nanosVersion)
        : NanosRelease.locate(env, userHome, config.nanosVersion());
    Path kernelPath = firstOf(kernel, config.kernel(), release.map(NanosRelease::kernel).orElse(null));
    String version = nanosVersion != null ? nanosVersion : config.nanosVersion();
    if (kernelPath == null && !version.isEmpty()) {
      throw new ImageFormatException("Nanos " + version + " is not in the ops cache (no kernel.img in "
          + NanosRelease.opsHome(env, userHome).resolve(version) + "): fetch it with mkimage --fetch-nanos " + version
          + ", or give --kernel FILE");
    }
    if (kernelPath == null) {
      throw new ImageFormatException("no Nanos kernel: give --kernel FILE, set NANOS_HOME to a directory holding "
          + "kernel.img, or install a release in the ops cache (" + NanosRelease.opsHome(env, userHome)
          + "/<version>/kernel.img: mkimage --fetch-nanos V); or use --no-boot");
    }
    Path archProgram = archCheckProgram();
    if (archProgram != null) {
      ElfDependencies.checkSameArchitecture(kernelPath, archProgram);
    }
    Path bootPath = firstOf(bootLoader, config.boot(), release.flatMap(NanosRelease::bootImage).orElse(null));
    Path efi = uefiLoader != null ? uefiLoader
        : config.uefi() ? firstOf(null, config.uefiBoot(), release.flatMap(NanosRelease::uefiLoader).orElse(null)) : null;
    if (config.uefi() && efi == null) {
      throw new ImageFormatException("Uefi is set but no UEFI loader was found: give --uefi FILE");
    }
    TfsWriter bootFs = TfsWriter.create().setTimestamps(timestamps());
    bootFs.addFile("/kernel", kernelPath);
    if (!plan.klibs().isEmpty()) {
      Path dir = firstOf(klibDirectory, config.klibDir(), release.map(NanosRelease::klibDirectory).orElse(null));
      bootFs.addDirectory("/klib");
      for (String name : plan.klibs()) {
        Path lib = dir == null ? null : dir.resolve(name);
        if (lib == null || !Files.isRegularFile(lib)) {
          throw new java.nio.file.NoSuchFileException(lib == null ? name : lib.toString(), null,
              "klib not found (give --klib-dir)");
        }
        bootFs.addFile("/klib/" + name, lib);
      }
    }
    BootImage boot = bootPath == null ? BootImage.none() : BootImage.read(bootPath);
    return DiskAssembler.write(out, boot, efi, bootFs, rootFs, requested, listener);
  }

  private static Map<String, String> withoutNanosHome(Map<String, String> env) {
    Map<String, String> copy = new java.util.TreeMap<>(env);
    copy.remove("NANOS_HOME");
    return copy;
  }

  private TfsTimestamps timestamps() {
    return env.containsKey("SOURCE_DATE_EPOCH") ? TfsTimestamps.fromSourceDateEpoch(env) : TfsTimestamps.none();
  }

  private TfsWriteListener progress() {
    return new TfsWriteListener() {
      @Override
      public void bytesWritten(long done, long total) {
        listener.bytesWritten(done, total);
      }
    };
  }

  private static Path firstOf(Path flag, String configValue, Path fallback) {
    if (flag != null) {
      return flag;
    }
    if (configValue != null && !configValue.isEmpty()) {
      return Path.of(configValue);
    }
    return fallback;
  }
}
