package dev.nanokit.core;

import dev.nanokit.core.host.NoFollow;
import dev.nanokit.core.plan.ElfDependencies;
import dev.nanokit.events.EventHandlers;
import dev.nanokit.tfs.ImagePath;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

/**
 * Builds the {@link NanosImage} of a Java application, laid out as Jib lays out a container:
 *
 * <pre>
 * /app/libs/*.jar                  dependencies, in class-path order
 * /app/&lt;name&gt;.jar or /app/classes  the application (a jar, or a classes directory)
 * /app/resources                   resources kept apart from classes, if given
 * /usr/lib/jvm/app-runtime         the Java runtime: bin/java, lib/, conf/, release
 * </pre>
 *
 * <p>The root {@code program} is the runtime's {@code bin/java}; its arguments are the JVM flags,
 * {@code -cp} with the class path above, the main class and the application's arguments. The main
 * class is the one {@linkplain #setMainClass set}, else the application jar's {@code Main-Class}, else
 * the build fails listing the classes that declare {@code public static void main(String[])}. A jar's
 * manifest {@code Class-Path} entries are followed as the launcher would (relative to the jar).
 *
 * <p>The runtime is by default {@linkplain Runtime#JLINK jlinked} from the JDK running this code (or
 * {@link #setJavaHome}), with the modules {@code jdeps} finds in the application and its dependencies
 * (plus {@link #addModules}, or exactly {@link #setModules}), {@code --strip-debug --no-header-files
 * --no-man-pages}; or {@linkplain Runtime#JDK the JDK's own} {@code lib/}, {@code conf/} and
 * {@code release}, copied. Same inputs, same image bytes: jlink, run in a fresh JVM, writes the same
 * files for the same JDK and modules, the modules are passed sorted, and file times come from the
 * image's creation time only (see {@link NanosImage#setCreationTime}).
 *
 * <p>{@link #nanosImage()} runs jdeps and jlink (the only programs this runs) and returns the builder
 * to finish: the release, the size, events, then {@link NanosImage#writeTo}. The jlinked runtime lives in
 * a scratch directory this object owns until {@link #close()}; the returned builder reads it until then.
 *
 * <p>Not thread-safe: configure and use one instance from one thread at a time.
 */
public final class JavaImage implements AutoCloseable {
  /** Where the runtime goes in the image. */
  public static final ImagePath RUNTIME_DIRECTORY = ImagePath.of("/usr/lib/jvm/app-runtime");
  /** Where dependencies go in the image. */
  public static final ImagePath LIBRARIES_DIRECTORY = ImagePath.of("/app/libs");
  /** Where a classes directory goes in the image. */
  public static final ImagePath CLASSES_DIRECTORY = ImagePath.of("/app/classes");
  /** Where a resources directory goes in the image. */
  public static final ImagePath RESOURCES_DIRECTORY = ImagePath.of("/app/resources");

  /** Where the image's Java runtime comes from. */
  public enum Runtime {
    /** A runtime image {@code jlink} makes with the modules the application needs. */
    JLINK,
    /** The JDK's own runtime ({@code lib/}, {@code conf/}, {@code release}), copied whole. */
    JDK
  }

  private final Path application;
  private final boolean applicationIsJar;
  private Path resources;
  private final List<Path> dependencies = new ArrayList<>();
  private String mainClass;
  private final List<String> jvmFlags = new ArrayList<>();
  private final List<String> arguments = new ArrayList<>();
  private final Map<String, String> environment = new LinkedHashMap<>();
  private final List<Path> extraDirectories = new ArrayList<>();
  private Path javaHome;
  private Runtime runtime = Runtime.JLINK;
  private List<String> modules;
  private final List<String> addedModules = new ArrayList<>();
  private Path scratchDirectory;
  private Path ownedScratch;
  private final EventHandlers<ImageEvent> events = new EventHandlers<>();

  private JavaImage(Path application, boolean applicationIsJar) {
    this.application = application;
    this.applicationIsJar = applicationIsJar;
  }

  /** An application packaged as a jar, placed at {@code /app/<file name>}. */
  public static JavaImage fromJar(Path jar) {
    return new JavaImage(Objects.requireNonNull(jar, "jar"), true);
  }

  /** An application as a directory of classes (and resources), placed at {@code /app/classes}. */
  public static JavaImage fromClasses(Path classesDirectory) {
    return new JavaImage(Objects.requireNonNull(classesDirectory, "classesDirectory"), false);
  }

  /** A resources directory, placed at {@code /app/resources} and put first on the class path (Jib's order). */
  public JavaImage setResources(Path directory) {
    this.resources = directory;
    return this;
  }

  /** A dependency (a jar, or a directory of classes) at {@code /app/libs/<file name>}, on the class path in the order added. */
  public JavaImage addDependency(Path jarOrDirectory) {
    dependencies.add(Objects.requireNonNull(jarOrDirectory, "jarOrDirectory"));
    return this;
  }

  /** The class to start, instead of the jar's {@code Main-Class}; null for that. */
  public JavaImage setMainClass(String mainClass) {
    this.mainClass = mainClass == null || mainClass.isEmpty() ? null : mainClass;
    return this;
  }

  /** Options for the JVM, before {@code -cp}. */
  public JavaImage addJvmFlags(String... flags) {
    for (String f : flags) {
      jvmFlags.add(Objects.requireNonNull(f, "flag"));
    }
    return this;
  }

  /** Arguments for the application's {@code main}. */
  public JavaImage addArguments(String... args) {
    for (String a : args) {
      arguments.add(Objects.requireNonNull(a, "argument"));
    }
    return this;
  }

  /** An environment variable of the image. */
  public JavaImage putEnvironment(String name, String value) {
    environment.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
    return this;
  }

  /** A directory whose contents are copied into the image's root, as Jib's extra directories are. */
  public JavaImage addExtraDirectory(Path directory) {
    extraDirectories.add(Objects.requireNonNull(directory, "directory"));
    return this;
  }

  /** The JDK to take the runtime (and jlink, jdeps) from; null (the default) for the one running this code. */
  public JavaImage setJavaHome(Path javaHome) {
    this.javaHome = javaHome;
    return this;
  }

  public JavaImage setRuntime(Runtime runtime) {
    this.runtime = Objects.requireNonNull(runtime, "runtime");
    return this;
  }

  /** Exactly these modules in a jlinked runtime instead of what jdeps finds; null for jdeps's. */
  public JavaImage setModules(List<String> modules) {
    this.modules = modules == null ? null : List.copyOf(modules);
    return this;
  }

  /** Modules added to those jdeps finds (services and reflection, which jdeps cannot see). */
  public JavaImage addModules(String... names) {
    for (String m : names) {
      addedModules.add(Objects.requireNonNull(m, "module"));
    }
    return this;
  }

  /** Where the jlinked runtime is written; the caller owns it. By default a temporary directory {@link #close()} removes. */
  public JavaImage setScratchDirectory(Path directory) {
    this.scratchDirectory = directory;
    return this;
  }

  /** Calls {@code handler} with every event of type {@code type}, also those of the returned {@link NanosImage}. */
  public <E extends ImageEvent> JavaImage addEventHandler(Class<E> type, Consumer<? super E> handler) {
    events.add(type, handler);
    return this;
  }

  /**
   * The class the image starts: the one set, else the jar's {@code Main-Class}.
   *
   * @throws ImageInputException if there is none, naming the classes that could be
   */
  public String mainClass() throws IOException {
    if (mainClass != null) {
      return mainClass;
    }
    checkApplication();
    if (applicationIsJar) {
      String declared = manifestAttribute(application, Attributes.Name.MAIN_CLASS);
      if (declared != null && !declared.isBlank()) {
        return declared.strip();
      }
    }
    List<String> candidates = MainClassCandidates.in(application);
    String where = applicationIsJar ? application + " has no Main-Class in its manifest and no main class is set"
        : "no main class is set for the classes in " + application;
    throw new ImageInputException(where + (candidates.isEmpty()
        ? "; no class in it declares public static void main(String[])"
        : "; classes with public static void main(String[]): " + String.join(", ", candidates)));
  }

  /** The class path in the image, in order: resources, the application, its dependencies (with the jar's {@code Class-Path}). */
  public List<String> classPath() throws IOException {
    List<String> cp = new ArrayList<>();
    if (resources != null) {
      cp.add(RESOURCES_DIRECTORY.toString());
    }
    cp.add(applicationImagePath());
    for (Map.Entry<String, Path> e : libraries().entrySet()) {
      cp.add(e.getKey());
    }
    return cp;
  }

  /**
   * The modules of a jlinked runtime, sorted: those {@linkplain #setModules set}, else what jdeps finds in
   * the application and its dependencies, with those {@linkplain #addModules added}.
   *
   * @throws ImageInputException if jdeps fails
   */
  public List<String> modules() throws IOException {
    TreeSet<String> all = new TreeSet<>(addedModules);
    if (modules != null) {
      all.addAll(modules);
    } else {
      checkApplication();
      List<String> args = new ArrayList<>(List.of("--print-module-deps", "--ignore-missing-deps", "--multi-release",
          Integer.toString(java.lang.Runtime.version().feature())));
      Map<String, Path> libs = libraries();
      if (!libs.isEmpty()) {
        args.add("--class-path");
        args.add(String.join(java.io.File.pathSeparator, libs.values().stream().map(Path::toString).toList()));
      }
      args.add(application.toString());
      libs.values().forEach(p -> args.add(p.toString()));
      String out = runTool("jdeps", args).strip();
      String last = out.isEmpty() ? "" : out.substring(out.lastIndexOf('\n') + 1).strip();
      for (String m : last.split(",")) {
        if (!m.isBlank()) {
          all.add(m.strip());
        }
      }
      all.add("java.base");
      events.dispatch(new NoteEvent("modules jdeps found in " + application.getFileName() + " and its "
          + libs.size() + " dependencies: " + String.join(",", all)));
    }
    return new ArrayList<>(all);
  }

  /**
   * Runs jdeps and jlink (for a jlinked runtime) and returns the image's builder, its program, files,
   * arguments and environment set; the caller adds the release and writes it. Each call links again.
   *
   * @throws ImageInputException if an input is missing, there is no main class, or jdeps or jlink fail
   */
  public NanosImage nanosImage() throws IOException {
    String main = mainClass();
    List<String> cp = classPath();
    Path runtimeHome = runtimeHome();
    Path launcher = runtimeHome.resolve("bin").resolve("java");
    if (!Files.isRegularFile(launcher)) {
      throw new ImageInputException(runtimeHome + " is not a Java runtime: no bin/java");
    }
    Path realHome = runtimeHome.toRealPath();
    ImagePath program = RUNTIME_DIRECTORY.resolve("bin").resolve("java");
    NanosImage image = NanosImage.from(ImageSource.program(launcher).withArgv0(program.toString()))
        .placeProgramAt(program)
        .setDependencyFinder(new WithoutRuntimeLibraries(realHome));
    image.addEventHandler(ImageEvent.class, events::dispatch);
    for (String part : List.of("lib", "conf")) {
      Path dir = realHome.resolve(part);
      if (Files.isDirectory(dir)) {
        image.addDirectory(dir, RUNTIME_DIRECTORY.resolve(part));
      }
    }
    if (runtime == Runtime.JDK) {
      addLinkTargets(image, realHome);
    }
    Path release = realHome.resolve("release");
    if (Files.isRegularFile(release)) {
      image.addFile(release, RUNTIME_DIRECTORY.resolve("release"));
    }
    if (applicationIsJar) {
      image.addFile(application, ImagePath.of(applicationImagePath()));
    } else {
      image.addDirectory(application, CLASSES_DIRECTORY);
    }
    if (resources != null) {
      image.addDirectory(resources, RESOURCES_DIRECTORY);
    }
    for (Map.Entry<String, Path> e : libraries().entrySet()) {
      if (Files.isDirectory(e.getValue())) {
        image.addDirectory(e.getValue(), ImagePath.of(e.getKey()));
      } else {
        image.addFile(e.getValue(), ImagePath.of(e.getKey()));
      }
    }
    for (Path extra : extraDirectories) {
      if (!Files.isDirectory(extra)) {
        throw new ImageInputException("extra directory " + extra + ": not a directory");
      }
      List<Path> children;
      try (Stream<Path> s = Files.list(extra)) {
        children = s.sorted().toList();
      }
      for (Path child : children) {
        ImagePath at = ImagePath.ROOT.resolve(child.getFileName().toString());
        if (Files.isDirectory(child, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          image.addDirectory(child, at);
        } else {
          image.addFile(child, at);
        }
      }
    }
    List<String> args = new ArrayList<>(jvmFlags);
    args.add("-cp");
    args.add(String.join(":", cp));
    args.add(main);
    args.addAll(arguments);
    image.addArguments(args.toArray(String[]::new));
    environment.forEach(image::putEnvironment);
    return image;
  }

  /**
   * A distribution's JDK links files of its runtime to where the distribution keeps them (Debian's
   * {@code conf/security/java.security} to {@code /etc/java-17-openjdk/security/}, {@code lib/security/cacerts}
   * to {@code /etc/ssl/certs/java/}); copied as links they would dangle, and the JVM fails at its first
   * security or logging call. Each file such a link reaches outside the runtime is added where the link
   * points in the image; a link that dangles on the host too is left as it is.
   */
  private void addLinkTargets(NanosImage image, Path realHome) throws IOException {
    java.util.TreeMap<String, Path> targets = new java.util.TreeMap<>();
    String runtimePrefix = RUNTIME_DIRECTORY + "/";
    for (String part : List.of("lib", "conf")) {
      Path dir = realHome.resolve(part);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      List<Path> links;
      try (Stream<Path> s = Files.walk(dir)) {
        links = s.filter(Files::isSymbolicLink).sorted().toList();
      }
      for (Path link : links) {
        String target = Files.readSymbolicLink(link).toString();
        String linkImage = runtimePrefix + realHome.relativize(link).toString().replace('\\', '/');
        String targetImage = ImagePath.clean(target.startsWith("/") ? target
            : linkImage.substring(0, linkImage.lastIndexOf('/') + 1) + target).toString();
        if (targetImage.startsWith(runtimePrefix) || !Files.isRegularFile(link)) {
          continue; // inside the runtime, copied with it; or dangling on the host as well
        }
        targets.putIfAbsent(targetImage, link.toRealPath());
      }
    }
    targets.forEach((at, host) -> image.addFile(host, ImagePath.of(at)));
    if (!targets.isEmpty()) {
      events.dispatch(new NoteEvent("added " + targets.size() + " files the JDK's runtime links to outside it,"
          + " at the paths its links name (" + targets.firstKey() + ", …)"));
    }
  }

  /** Removes the scratch directory this object made, if any. */
  @Override
  public void close() throws IOException {
    if (ownedScratch != null) {
      Path dir = ownedScratch;
      ownedScratch = null;
      NoFollow.delete(dir);
    }
  }

  private void checkApplication() throws IOException {
    if (applicationIsJar ? !Files.isRegularFile(application) : !Files.isDirectory(application)) {
      throw new ImageInputException((applicationIsJar ? "application jar " : "classes directory ") + application
          + ": not found");
    }
  }

  private String applicationImagePath() {
    return applicationIsJar ? "/app/" + application.getFileName() : CLASSES_DIRECTORY.toString();
  }

  /** Image path → host path of every dependency, the jar's {@code Class-Path} entries after the ones added. */
  private Map<String, Path> libraries() throws IOException {
    List<Path> all = new ArrayList<>(dependencies);
    if (applicationIsJar && Files.isRegularFile(application)) {
      String classPath = manifestAttribute(application, Attributes.Name.CLASS_PATH);
      Path base = application.toAbsolutePath().getParent();
      for (String entry : classPath == null ? new String[0] : classPath.strip().split("\\s+")) {
        if (entry.isEmpty() || entry.contains(":")) {
          continue; // a URL with a scheme points outside the jar's directory; the launcher would fetch nothing there
        }
        Path p = base.resolve(URLDecoder.decode(entry, StandardCharsets.UTF_8)).normalize();
        if (Files.exists(p)) {
          all.add(p);
        } else {
          events.dispatch(new NoteEvent("Class-Path entry " + entry + " of " + application.getFileName()
              + ": " + p + " does not exist, left out (the launcher skips it too)"));
        }
      }
    }
    Map<String, Path> out = new LinkedHashMap<>();
    for (Path p : all) {
      if (!Files.exists(p)) {
        throw new ImageInputException("dependency " + p + ": not found");
      }
      String at = LIBRARIES_DIRECTORY.resolve(p.getFileName().toString()).toString();
      Path before = out.putIfAbsent(at, p);
      if (before != null && !before.toAbsolutePath().normalize().equals(p.toAbsolutePath().normalize())) {
        throw new ImageInputException("dependencies " + before + " and " + p + " would both be " + at);
      }
    }
    return out;
  }

  private static String manifestAttribute(Path jar, Attributes.Name name) throws IOException {
    try (JarFile j = new JarFile(jar.toFile())) {
      Manifest m = j.getManifest();
      return m == null ? null : m.getMainAttributes().getValue(name);
    } catch (java.util.zip.ZipException e) {
      throw new ImageFormatException(jar + ": not a jar (" + e.getMessage() + ")", e);
    }
  }

  /** The runtime to copy from: the JDK itself, or what jlink made of it. */
  private Path runtimeHome() throws IOException {
    Path home = javaHome != null ? javaHome : Path.of(System.getProperty("java.home"));
    if (runtime == Runtime.JDK) {
      events.dispatch(new NoteEvent("runtime: the JDK " + home + " (lib, conf, release) at " + RUNTIME_DIRECTORY));
      return home;
    }
    List<String> mods = modules();
    Path scratch = scratchDirectory != null ? scratchDirectory : ownedScratch();
    Files.createDirectories(scratch);
    Path out = scratch.resolve("runtime");
    NoFollow.delete(out);
    List<String> args = new ArrayList<>();
    if (javaHome != null && Files.isDirectory(javaHome.resolve("jmods"))) {
      args.addAll(List.of("--module-path", javaHome.resolve("jmods").toString()));
    }
    args.addAll(List.of("--add-modules", String.join(",", mods), "--strip-debug", "--no-header-files",
        "--no-man-pages", "--output", out.toString()));
    events.dispatch(new ProgressEvent("jlink", 0, -1));
    runTool("jlink", args);
    events.dispatch(new NoteEvent("runtime: jlinked from " + home + " with " + String.join(",", mods) + " at "
        + RUNTIME_DIRECTORY));
    return out;
  }

  private Path ownedScratch() throws IOException {
    if (ownedScratch == null) {
      ownedScratch = Files.createTempDirectory("nanokit-java-");
    }
    return ownedScratch;
  }

  /**
   * Runs a JDK tool: {@code <home>/bin/<tool>} as a process, or, for the running JDK's jdeps (or a tool
   * it has no launcher for), in this JVM. jlink always runs in a fresh JVM when it can: its default
   * {@code generate-jli-classes} step writes {@code java.lang.invoke} classes that depend on what the JVM
   * running it has already generated, so in a long-lived JVM (Maven's) two links of the same modules
   * differed in 21 classes of {@code lib/modules}; from a fresh process they came out the same every time.
   * Returns its standard output; a failure is an {@link ImageInputException} with what the tool said.
   */
  private String runTool(String tool, List<String> args) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit;
    Path home = javaHome != null ? javaHome : Path.of(System.getProperty("java.home"));
    if (javaHome == null && (tool.equals("jdeps") || !Files.isExecutable(home.resolve("bin").resolve(tool)))) {
      ToolProvider provider = ToolProvider.findFirst(tool).orElseThrow(() -> new ImageInputException(
          "the Java running this has no " + tool + " (a JRE, not a JDK): give a JDK's home"));
      try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
          PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
        exit = provider.run(o, e, args.toArray(String[]::new));
      }
    } else {
      Path exe = home.resolve("bin").resolve(tool);
      if (!Files.isExecutable(exe)) {
        throw new ImageInputException(javaHome + " has no bin/" + tool + " (a JRE, not a JDK?)");
      }
      List<String> command = new ArrayList<>();
      command.add(exe.toString());
      command.addAll(args);
      Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
      p.getOutputStream().close();
      Thread drain = new Thread(() -> {
        try {
          p.getErrorStream().transferTo(err);
        } catch (IOException ignored) {
          // what the tool said on stderr is only for the message
        }
      });
      drain.start();
      p.getInputStream().transferTo(out);
      try {
        exit = p.waitFor();
        drain.join();
      } catch (InterruptedException e) {
        p.destroy();
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException(tool + " interrupted");
      }
    }
    if (exit != 0) {
      String said = (err.toString(StandardCharsets.UTF_8) + "\n" + out.toString(StandardCharsets.UTF_8)).strip();
      // The tool's own message, without the stack trace jlink appends to some of them.
      String message = said.lines().map(String::strip)
          .filter(l -> !l.isEmpty() && !l.startsWith("at ") && !l.matches("[a-z][\\w.]*\\.\\w*(Exception|Error)\\b.*"))
          .limit(5).reduce((a, b) -> a + "; " + b).orElse("");
      throw new ImageInputException(tool + " failed (exit " + exit + ")" + (message.isEmpty() ? "" : ": " + message));
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /**
   * The launcher's libraries except those in its own runtime ({@code libjli.so} through {@code $ORIGIN}),
   * which the runtime's {@code lib/} brings at the image path: resolved at the host path, they would be
   * added a second time where the scratch directory is.
   */
  private record WithoutRuntimeLibraries(Path runtimeHome) implements dev.nanokit.core.plan.DependencyFinder {
    @Override
    public List<ImageEntry> find(Path programHost, Path targetRoot) throws IOException {
      String prefix = runtimeHome.toString() + "/";
      return new ElfDependencies().find(programHost, targetRoot).stream()
          .filter(e -> !e.imagePath().startsWith(prefix)).toList();
    }
  }
}
