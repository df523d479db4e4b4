package dev.nanokit.core;

import dev.nanokit.core.disk.BootChain;
import dev.nanokit.core.disk.BootImage;
import dev.nanokit.core.disk.UefiLoader;
import dev.nanokit.core.disk.DiskAssembler;
import dev.nanokit.core.host.NoFollow;
import dev.nanokit.core.oci.ContainerBuild;
import dev.nanokit.core.ops.OpsPackage;
import dev.nanokit.core.ops.PackageBuild;
import dev.nanokit.core.ops.ReleaseDirectory;
import dev.nanokit.core.plan.ContentPlanner;
import dev.nanokit.core.plan.DependencyFinder;
import dev.nanokit.core.plan.ElfDependencies;
import dev.nanokit.core.plan.ListingsAhead;
import dev.nanokit.core.plan.PlannerInputs;
import dev.nanokit.core.plan.SourceContext;
import dev.nanokit.manifest.Tuple;
import dev.nanokit.manifest.Value;
import dev.nanokit.manifest.VectorValue;
import dev.nanokit.tfs.ImagePath;
import dev.nanokit.tfs.TfsTimestamps;
import dev.nanokit.tfs.TfsWriteEvent;
import dev.nanokit.tfs.TfsWriteResult;
import dev.nanokit.tfs.TfsWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Builds a Nanos disk image, or a bare root TFS volume, from an {@link ImageSource} and what you add:
 *
 * <pre>{@code
 * ImageResult r = NanosImage.from(ImageSource.program(Path.of("/usr/bin/node")))
 *     .addArguments("-e", "console.log(6*7)")
 *     .setRelease(NanosRelease.fromDirectory(Path.of("/opt/nanos")))
 *     .addEventHandler(ProgressEvent.class, e -> log(e))
 *     .writeTo(Path.of("node.img"));
 * }</pre>
 *
 * <p>{@link #plan()} returns what would be written (reads no file contents); {@link #writeTo} writes a
 * bootable disk, {@link #writeVolumeTo} only the root filesystem, both atomically. The plan is computed
 * once and reused by the write until an input changes. Archives (a package {@code .tar.gz}, a container
 * image) are unpacked once into a scratch directory the builder owns; the plan's host paths point into
 * it, so they stay valid until {@link #close()} removes it.
 *
 * <p>Same inputs, same bytes: entries are sorted, UUIDs are derived from the content unless set, and
 * timestamps come only from {@link #setCreationTime} or {@code SOURCE_DATE_EPOCH} (given through
 * {@link #setEnvironment}). The builder never prints; it reports through {@link ImageEvent}s.
 *
 * <p>Not thread-safe: configure and use one builder from one thread at a time.
 */
public final class NanosImage implements AutoCloseable {
  private OpsConfig config = OpsConfig.empty();
  private Path program;
  private String programAsGiven;
  private final List<String> arguments = new ArrayList<>();
  private boolean argumentsGiven;
  private final List<String> environment = new ArrayList<>();
  private final List<HostEntry> files = new ArrayList<>();
  private final List<HostEntry> dirs = new ArrayList<>();
  private boolean programFromConfig;
  private final List<String> klibs = new ArrayList<>();
  private final Tuple settings = new Tuple();
  private Path targetRoot;
  private NanosRelease release;
  private long size = -1;
  private String label = "";
  private UUID uuid;
  private Path cwd = Path.of("").toAbsolutePath();
  private Map<String, String> env = Map.of();
  private Path userHome; // null: $HOME, else user.home (see ReleaseDirectory.home)
  private final dev.nanokit.events.EventHandlers<ImageEvent> events = new dev.nanokit.events.EventHandlers<>();
  private java.time.Instant creationTime;
  private String architecture;
  private ImagePlan plan;
  /** Set only while a write makes its own plan: where the planner keeps small files it read whole. */
  private Map<ImageEntry, byte[]> smallFilesSink;
  private DependencyFinder dependencies = new ElfDependencies();
  private String imageName = "";
  private Path packagePath;
  /** Bytes a package archive or an image layer may expand to; 0: 1000 times its size, at least 64 MiB, at most 16 GiB. */
  private long maxArchiveExpansion;
  private String packageReference;
  private PackageBuild openedPackage;
  private Path scratchDirectory;
  private String nanosVersion;
  private Path containerImage;
  private ContainerBuild openedImage;
  private boolean wholeContainerImage;
  private Path ownedScratch;
  private boolean runtimeSupport = true;
  /** Where the program goes instead of its own path (a {@link JavaImage}'s runtime); null: its own path. */
  private String programImagePath;

  private NanosImage() {}

  /** A builder for an image of {@code source}. */
  public static NanosImage from(ImageSource source) {
    NanosImage b = new NanosImage();
    Objects.requireNonNull(source, "source");
    if (source instanceof ImageSource.Program p) {
      b.program = p.path();
      b.programAsGiven = p.asGiven() != null ? p.asGiven() : p.path().toString();
    } else if (source instanceof ImageSource.ConfiguredProgram) {
      b.programFromConfig = true;
    } else if (source instanceof ImageSource.OpsPackage o) {
      b.packagePath = o.path();
      b.packageReference = o.reference();
      if (o.program() != null) {
        b.program = Path.of(o.program());
        b.programAsGiven = o.program();
      }
    } else if (source instanceof ImageSource.ContainerImage c) {
      b.containerImage = c.path();
      b.wholeContainerImage = c.wholeFilesystem();
      if (c.program() != null) {
        b.program = Path.of(c.program());
        b.programAsGiven = c.program();
      }
    }
    return b;
  }

  /** The ops configuration whose fields fill what flags do not (docs/formats/manifest.md, "5 ops `config.json`"). */
  public NanosImage setConfig(OpsConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    if (programFromConfig) {
      program = config.program().isEmpty() ? null : Path.of(config.program());
      programAsGiven = config.program();
    }
    return changed();
  }

  /** Marks the cached plan stale; every setter ends with it. */
  private NanosImage changed() {
    plan = null;
    return this;
  }

  /** Program arguments; any given here replace the configuration's {@code Args}, as ops's {@code -a} does. */
  public NanosImage addArguments(String... arguments) {
    for (String a : arguments) {
      this.arguments.add(Objects.requireNonNull(a, "argument"));
    }
    argumentsGiven = true;
    return changed();
  }

  public NanosImage putEnvironment(String name, String value) {
    if (name.isEmpty() || name.indexOf('=') >= 0) {
      throw new IllegalArgumentException("environment name must be non-empty without '=': \"" + name + "\"");
    }
    environment.add(name + "=" + Objects.requireNonNull(value, "value"));
    return changed();
  }

  /** The host file {@code host} at {@code imagePath}; a relative host path is against the working directory. */
  public NanosImage addFile(Path host, ImagePath imagePath) {
    files.add(new HostEntry(Objects.requireNonNull(host, "host"), Objects.requireNonNull(imagePath, "imagePath")));
    return changed();
  }

  /** The host file {@code host} at the same path in the image. */
  public NanosImage addFile(Path host) {
    files.add(new HostEntry(Objects.requireNonNull(host, "host"), null));
    return changed();
  }

  /** The host directory tree {@code host} at {@code imagePath}; symlinks stay symlinks. */
  public NanosImage addDirectory(Path host, ImagePath imagePath) {
    dirs.add(new HostEntry(Objects.requireNonNull(host, "host"), Objects.requireNonNull(imagePath, "imagePath")));
    return changed();
  }

  /** The host directory tree {@code host} at the same path in the image. */
  public NanosImage addDirectory(Path host) {
    dirs.add(new HostEntry(Objects.requireNonNull(host, "host"), null));
    return changed();
  }

  public NanosImage setTargetRoot(Path targetRoot) {
    this.targetRoot = targetRoot;
    return changed();
  }

  /**
   * The Nanos release to boot; its files win over the configuration's {@code Kernel}/{@code Boot}/
   * {@code UefiBoot}/{@code KlibDir}, {@code $NANOS_HOME} and the ops cache, file by file.
   */
  public NanosImage setRelease(NanosRelease release) {
    this.release = release;
    return changed();
  }

  /** A kernel library by name, copied from the klib directory to the boot filesystem. */
  public NanosImage addKlib(String name) {
    klibs.add(Objects.requireNonNull(name, "name"));
    return changed();
  }

  /** A root-tuple key (docs/formats/manifest.md, "4 Root-tuple keys read by the kernel"); applied after everything else. */
  public NanosImage set(String key, Value value) {
    // A copy: a tuple or vector the caller changes later must not change the image (or a kept plan).
    settings.put(key, value instanceof Tuple t ? t.deepCopy() : value instanceof VectorValue v ? v.deepCopy() : value);
    return changed();
  }

  /** Total image size in bytes (for a bare volume: the volume's size); ≤ 0 for the default. */
  public NanosImage setSize(long bytes) {
    this.size = bytes;
    return changed();
  }

  public NanosImage setLabel(String label) {
    this.label = Objects.requireNonNull(label, "label");
    return changed();
  }

  public NanosImage setUuid(UUID uuid) {
    this.uuid = uuid;
    return changed();
  }

  /** Base of relative host paths (config {@code Files}); default: the current directory. */
  public NanosImage setWorkingDirectory(Path cwd) {
    this.cwd = cwd.toAbsolutePath();
    return changed();
  }

  /** Environment variables consulted: {@code SOURCE_DATE_EPOCH}, {@code NANOS_HOME}. Default: none. */
  public NanosImage setEnvironment(Map<String, String> env) {
    this.env = Map.copyOf(env);
    return changed();
  }

  /** Home directory holding the ops cache {@code .ops/}. */
  public NanosImage setUserHome(Path home) {
    this.userHome = home;
    return changed();
  }

  /** Value of the image's {@code IMAGE_NAME} environment variable. */
  public NanosImage setImageName(String name) {
    this.imageName = name;
    return changed();
  }

  /** Calls {@code handler} with every event of type {@code type} (several handlers may be added). */
  public <E extends ImageEvent> NanosImage addEventHandler(Class<E> type, java.util.function.Consumer<? super E> handler) {
    events.add(type, handler);
    return this;
  }

  /**
   * The time stamped on files and directories, instead of none; {@code SOURCE_DATE_EPOCH} in the
   * {@linkplain #setEnvironment environment} does the same.
   */
  public NanosImage setCreationTime(java.time.Instant time) {
    this.creationTime = time;
    return changed();
  }

  /**
   * The image's {@code NANOS_ARCH} ({@code amd64} or {@code arm64}); by default read from the program's
   * ELF header.
   */
  public NanosImage setArchitecture(String nanosArch) {
    if (nanosArch != null && !nanosArch.equals("amd64") && !nanosArch.equals("arm64")) {
      throw new IllegalArgumentException("architecture must be amd64 or arm64, not \"" + nanosArch + "\"");
    }
    this.architecture = nanosArch;
    return changed();
  }

  /**
   * Whether to add what the program needs at run time beyond its own shared libraries (on by default):
   * an interpreter's runtime directories (CPython's standard library, a JDK launcher's runtime image)
   * and the shared libraries of every other ELF object in the image, taken from the target root (or the
   * host, a container image, a package's sysroot); a library found nowhere is a warning. All found by
   * reading files, never by running anything.
   */
  public NanosImage setRuntimeSupport(boolean on) {
    this.runtimeSupport = on;
    return changed();
  }

  /**
   * The image's {@code NANOS_ARCH}: the one {@linkplain #setArchitecture set}, else {@code arm64} for an
   * aarch64 program and {@code amd64} for any other (also a script). It also chooses the release:
   * ops's {@code V-arm} for arm64.
   *
   * @throws IOException if the program cannot be found or read
   */
  public String architecture() throws IOException {
    if (architecture != null) {
      return architecture;
    }
    plan();
    return ElfDependencies.nanosArch(archCheckProgram());
  }

  /**
   * Where archives (a package {@code .tar.gz}, a container image) are unpacked; the caller owns it and
   * removes it. By default the builder makes a temporary directory of its own, which {@link #close()}
   * removes.
   */
  public NanosImage setScratchDirectory(Path dir) {
    this.scratchDirectory = dir;
    this.openedPackage = null;
    this.openedImage = null;
    return changed();
  }

  /**
   * The Nanos release to boot, from the ops cache ({@code <ops home>/<version>/}: kernel, boot.img, UEFI
   * loader, klibs), over the config's {@code NanosVersion} and over {@code $NANOS_HOME}; the files of
   * {@link #setRelease} still win file by file. Also the image's {@code NANOS_VERSION}. Nothing is downloaded
   * ({@link NanosReleaseFetcher} does that).
   */
  public NanosImage setNanosVersion(String version) {
    this.nanosVersion = version == null || version.isEmpty() ? null : version;
    return changed();
  }

  /**
   * The bytes a package {@code .tar.gz}, or each gzipped stream of a container image, may expand to
   * before the build fails; by default 1000 times its size (gzip's ratio on zeros), at least 64 MiB
   * and at most 16 GiB.
   */
  public NanosImage setMaxArchiveExpansion(long bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("the archive expansion limit must be positive: " + bytes);
    }
    this.maxArchiveExpansion = bytes;
    this.openedPackage = null;
    this.openedImage = null;
    return changed();
  }

  /** Places the program at {@code imagePath} instead of its host path (a runtime built in a scratch directory). */
  NanosImage placeProgramAt(ImagePath imagePath) {
    this.programImagePath = imagePath.toString();
    return changed();
  }

  NanosImage setDependencyFinder(DependencyFinder finder) {
    this.dependencies = finder;
    return changed();
  }

  /**
   * The planned content and root configuration; reads no file contents. The plan is kept and reused
   * by {@link #writeTo}/{@link #writeVolumeTo} until an input changes; its host paths stay valid until
   * {@link #close()}.
   */
  public ImagePlan plan() throws IOException {
    if (plan == null) {
      plan = planContent();
      plan.notes().forEach(n -> events.dispatch(new NoteEvent(n)));
      plan.warnings().forEach(w -> events.dispatch(new WarningEvent(w)));
    }
    return plan;
  }

  /** Removes the scratch directory the builder made for archives, if any; the builder stays usable. */
  @Override
  public void close() throws IOException {
    plan = null;
    releaseScratch();
  }

  private ImagePlan planContent() throws IOException {
    resolvePackage();
    if (packagePath != null) {
      try {
        return openPackage().plan(sourceContext(), targetRoot);
      } catch (IOException e) {
        throw !PackageBuild.isArchive(packagePath) || openedPackage == null ? e
            : namedInArchive(e, openedPackage.directory(), packagePath.toString());
      }
    }
    if (containerImage != null) {
      try {
        return openImage().plan(sourceContext());
      } catch (IOException e) {
        throw openedImage == null ? e : namedInArchive(e, openedImage.rootfs(), containerImage.toString());
      }
    }
    if (program == null) {
      throw new ImageInputException("no program: the configuration names none");
    }
    Path root = rootOf();
    Located located = locateProgram(root);
    Path host = located.host();
    String imagePath = located.imagePath();
    // The --dir trees are listed while the program's libraries are resolved.
    List<Path> trees = new ArrayList<>();
    for (ContentPlanner.HostEntry d : resolved(dirs)) {
      trees.add(d.host());
    }
    try (ListingsAhead ahead = ListingsAhead.start(trees, runtimeSupport, smallFilesSink != null)) {
      PlannerInputs in = inputs(config, root)
          .listingsAhead(ahead)
          .program(programAsGiven != null ? programAsGiven : program.toString(), imagePath, host)
          .dependencies(dependencies.find(host, root))
          .arch(architecture != null ? architecture : ElfDependencies.nanosArch(host))
          .caCertificates(existing(Path.of(ContentPlanner.CA_CERTIFICATES)))
          .nssDnsLibrary(existing(Path.of(ContentPlanner.NSS_DNS)));
      return ContentPlanner.plan(in);
    }
  }

  /** What a package or container build needs from this builder. */
  private SourceContext sourceContext() {
    return new SourceContext(program, programAsGiven, config, architecture, dependencies, this::inputs);
  }

  /** What every kind of build gives the planner: the configuration in effect, flags, settings. */
  private PlannerInputs inputs(OpsConfig effective, Path root) {
    PlannerInputs in = new PlannerInputs()
        .config(effective)
        .cwd(cwd)
        .cliEnv(environment)
        .cliFiles(resolved(files))
        .cliDirs(resolved(dirs))
        .cliKlibs(klibs)
        .targetRoot(root)
        .runtimeFrom(!runtimeSupport ? null : root != null ? cwd.resolve(root).normalize() : Path.of("/"))
        .nanosVersion(nanosVersion != null ? nanosVersion : effective.nanosVersion())
        .imageName(imageName)
        .keepSmallFiles(smallFilesSink);
    if (argumentsGiven) {
      in.cliArgs(arguments);
    }
    for (Map.Entry<String, Value> e : settings.entries().entrySet()) {
      in.set(e.getKey(), e.getValue());
    }
    return in;
  }

  /** Host paths against the working directory; no image path means the host path's own (ops's rule). */
  private List<ContentPlanner.HostEntry> resolved(List<HostEntry> given) {
    List<ContentPlanner.HostEntry> out = new ArrayList<>();
    for (HostEntry e : given) {
      Path host = cwd.resolve(e.host()).normalize();
      out.add(new ContentPlanner.HostEntry(host, e.image() != null ? e.image() : ImagePath.clean(e.host().toString())));
    }
    return out;
  }

  /** A host file or tree and where it goes; a null image path means the host path itself. */
  private record HostEntry(Path host, ImagePath image) {}

  private Path rootOf() throws IOException {
    OpsConfig c = effectiveConfig();
    return targetRoot != null ? targetRoot : c.targetRoot().isEmpty() ? null : Path.of(c.targetRoot());
  }

  private void resolvePackage() throws IOException {
    if (packagePath == null && packageReference != null) {
      packagePath = PackageBuild.locate(packageReference, cwd, env, userHome);
    }
  }

  private PackageBuild openPackage() throws IOException {
    if (openedPackage == null) {
      Path scratch = !PackageBuild.isArchive(packagePath) ? null
          : (scratchDirectory != null ? scratchDirectory : ownedScratch()).resolve("package");
      openedPackage = PackageBuild.open(packagePath, scratch, maxArchiveExpansion);
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

  private ContainerBuild openImage() throws IOException {
    if (openedImage == null) {
      Path scratch = (scratchDirectory != null ? scratchDirectory : ownedScratch()).resolve("container");
      Files.createDirectories(scratch);
      openedImage = ContainerBuild.open(cwd.resolve(containerImage), wholeContainerImage, scratch, maxArchiveExpansion);
    }
    return openedImage;
  }

  /** The configuration in effect: the package's or the container image's under the user's, else the user's. */
  private OpsConfig effectiveConfig() throws IOException {
    resolvePackage();
    if (packagePath != null) {
      return openPackage().effectiveConfig(config);
    }
    if (containerImage != null) {
      return openImage().effectiveConfig(sourceContext());
    }
    return config;
  }

  /** Host file whose architecture must match the kernel's; null when there is none to check. */
  private Path archCheckProgram() throws IOException {
    if (packagePath != null) {
      return openPackage().programHost(sourceContext());
    }
    if (containerImage != null) {
      return openImage().programHost(sourceContext());
    }
    return locateProgram(rootOf()).host();
  }

  /** The program's host file and its path in the image. */
  private record Located(Path host, String imagePath) {}

  /**
   * A bare name (no {@code /}) that is not in the working directory is looked up on {@code PATH}, in the
   * target root when there is one, as ops does (Go's {@code exec.LookPath}) and a shell would; the
   * image path is then where it was found. Otherwise ops's rule: the program is stored at
   * {@code path.Join("/", program)}, so {@code ./x} and {@code ../x} both become {@code /x}
   * (docs/formats/manifest.md, "5.2 Fields that influence the image").
   */
  private Located locateProgram(Path root) throws IOException {
    String name = program.toString();
    if (programImagePath != null) {
      return new Located(hostProgram(root), programImagePath);
    }
    if (!name.contains("/") && !Files.exists(cwd.resolve(program))) {
      String path = env.getOrDefault("PATH", "");
      for (String dir : path.split(":")) {
        if (!dir.startsWith("/")) {
          continue; // a relative PATH entry means the working directory, already looked at
        }
        String image = ImagePath.clean(dir + "/" + name).toString();
        Path candidate = root != null ? root.resolve(image.substring(1)) : Path.of(image);
        if (Files.isRegularFile(candidate) && (root != null || Files.isExecutable(candidate))) {
          return new Located(candidate, image);
        }
      }
      throw new java.nio.file.NoSuchFileException(name, null, "program not found in " + cwd + " or on PATH ("
          + (path.isEmpty() ? "unset" : path) + (root != null ? ", in " + root : "") + ")");
    }
    return new Located(hostProgram(root), ImagePath.clean(name).toString());
  }

  /**
   * The program's host file: with a target root, an absolute program is a path inside the root, else
   * (not there, but a host file outside the root, as a program cross-compiled beside a sysroot is)
   * the host file itself; a relative one is against the working directory.
   */
  private Path hostProgram(Path root) throws IOException {
    Path p = program.isAbsolute() && root != null ? root.resolve(program.toString().substring(1)) : cwd.resolve(program);
    if (!Files.exists(p) && program.isAbsolute() && root != null && Files.isRegularFile(program)
        && !program.normalize().startsWith(root.toAbsolutePath().normalize())) {
      return program;
    }
    if (Files.isDirectory(p)) {
      throw new java.nio.file.FileSystemException(p.toString(), null, "is a directory, not a program");
    }
    if (!Files.isRegularFile(p)) {
      throw new java.nio.file.NoSuchFileException(p.toString(), null, "program not found");
    }
    return p;
  }

  private static Path existing(Path p) {
    return Files.isRegularFile(p) ? p : null;
  }

  /** Writes the bootable disk image at {@code out}, atomically: on failure {@code out} is absent or as it was. */
  public ImageResult writeTo(Path out) throws IOException {
    return write(out, true);
  }

  /** Writes only the root filesystem, as a bare TFS volume (no kernel needed), atomically. */
  public ImageResult writeVolumeTo(Path out) throws IOException {
    return write(out, false);
  }

  private ImageResult write(Path out, boolean bootable) throws IOException {
    // A plan made for this write keeps the small files its ELF check read whole, and they are copied from
    // memory; a plan made before (by plan()) keeps none: the files may have changed since.
    Map<ImageEntry, byte[]> smallFiles = new IdentityHashMap<>();
    ImagePlan plan = this.plan;
    if (plan == null) {
      smallFilesSink = smallFiles;
      try {
        plan = plan();
      } finally {
        smallFilesSink = null;
      }
    }
    OpsConfig config = effectiveConfig();
    TfsWriter rootFs = TfsWriter.create().setLabel(label).setTimestamps(timestamps());
    if (events.wants(ProgressEvent.class)) {
      rootFs.addEventHandler(TfsWriteEvent.BytesWritten.class,
          e -> events.dispatch(new ProgressEvent("rootfs", e.done(), e.total())));
    }
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
          byte[] read = smallFiles.get(e);
          if (e.isGenerated()) {
            rootFs.addFile(e.imagePath(), e.content());
          } else if (read != null) {
            rootFs.addFile(e.imagePath(), ByteBuffer.wrap(read));
          } else if (e.hostSize() >= 0) {
            rootFs.addFile(e.imagePath(), e.hostPath(), e.hostSize());
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
      if (!plan.klibs().isEmpty()) {
        events.dispatch(new WarningEvent("klibs " + String.join(", ", plan.klibs()) + " left out: they live in the boot"
            + " filesystem, which a bare volume does not have (the root tuple still names them)"));
      }
      if (requested > 0) {
        rootFs.setSize((requested + 511) / 512 * 512);
      }
      events.dispatch(new ProgressEvent("rootfs", 0, -1));
      TfsWriteResult r = rootFs.writeTo(out);
      return new ImageResult(out.toAbsolutePath(), r.sizeBytes(), false, 0, r.uuid(), r.freeBytes());
    }

    Path archProgram = archCheckProgram();
    String arch = architecture();
    Optional<NanosRelease> found = (nanosVersion != null
        ? ReleaseDirectory.locate(withoutNanosHome(env), userHome, nanosVersion, arch)
        : ReleaseDirectory.locate(env, userHome, config.nanosVersion(), arch)).map(NanosRelease::from);
    NanosRelease given = release != null ? release : NanosRelease.of(null, null, null, null);
    Path kernelPath = firstOf(given.kernel(), config.kernel(), found.flatMap(NanosRelease::kernel));
    String version = nanosVersion != null ? nanosVersion : config.nanosVersion();
    if (kernelPath == null && !version.isEmpty()) {
      throw new MissingReleaseFileException(MissingReleaseFileException.ReleaseFile.KERNEL, version, "Nanos " + version
          + " is not in the ops cache (no kernel.img in " + ReleaseDirectory.cacheDirectory(env, userHome, version, arch)
          + ")");
    }
    if (kernelPath == null) {
      throw new MissingReleaseFileException(MissingReleaseFileException.ReleaseFile.KERNEL, null, "no Nanos kernel: none "
          + "given, none in the configuration, NANOS_HOME unset or without kernel.img, and no release in the ops cache ("
          + ReleaseDirectory.opsHome(env, userHome) + "/<version>/kernel.img)");
    }
    if (archProgram != null) {
      ElfDependencies.checkSameArchitecture(kernelPath, archProgram);
    }
    Path bootPath = firstOf(given.bootImage(), config.boot(), found.flatMap(NanosRelease::bootImage));
    Path efi = given.uefiLoader().isPresent() ? given.uefiLoader().get()
        : config.uefi() ? firstOf(Optional.empty(), config.uefiBoot(), found.flatMap(NanosRelease::uefiLoader)) : null;
    if (config.uefi() && efi == null) {
      throw new MissingReleaseFileException(MissingReleaseFileException.ReleaseFile.UEFI_LOADER, null,
          "the configuration sets Uefi but no UEFI loader was found");
    }
    TfsWriter bootFs = TfsWriter.create().setTimestamps(timestamps());
    bootFs.addFile("/kernel", kernelPath);
    if (!plan.klibs().isEmpty()) {
      Path dir = firstOf(given.klibDirectory(), config.klibDir(), found.flatMap(NanosRelease::klibDirectory));
      bootFs.addDirectory("/klib");
      for (String name : plan.klibs()) {
        Path lib = dir == null ? null : dir.resolve(name);
        if (lib == null || !Files.isRegularFile(lib)) {
          throw new MissingReleaseFileException(MissingReleaseFileException.ReleaseFile.KLIB, null,
              (lib == null ? name : lib.toString()) + ": klib not found");
        }
        bootFs.addFile("/klib/" + name, lib);
      }
    }
    BootImage boot = bootPath == null ? BootImage.none() : BootImage.read(bootPath);
    UefiLoader uefi = efi == null ? null : UefiLoader.read(efi);
    BootChain.check(kernelPath, bootPath, boot, uefi);
    return DiskAssembler.write(out, boot, uefi, bootFs, rootFs, requested, events::dispatch);
  }

  private static Map<String, String> withoutNanosHome(Map<String, String> env) {
    Map<String, String> copy = new java.util.TreeMap<>(env);
    copy.remove("NANOS_HOME");
    return copy;
  }

  private TfsTimestamps timestamps() {
    if (creationTime != null) {
      return TfsTimestamps.fixed(creationTime);
    }
    return env.containsKey("SOURCE_DATE_EPOCH") ? TfsTimestamps.fromSourceDateEpoch(env) : TfsTimestamps.none();
  }

  private static Path firstOf(Optional<Path> given, String configValue, Optional<Path> fallback) {
    if (given.isPresent()) {
      return given.get();
    }
    if (configValue != null && !configValue.isEmpty()) {
      return Path.of(configValue);
    }
    return fallback.orElse(null);
  }
}
