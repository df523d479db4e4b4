package dev.nanokit.cli;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ScopeType;

/**
 * The picocli models of {@code mkimage}, {@code tfs ls}, {@code tfs info} and {@code tfs mkfs}, built through picocli's
 * programmatic API instead of read from the commands' annotations. Reading annotations is most of the
 * start-up time of these short commands: the JDK generates a proxy class for each annotation type
 * (which class-data sharing cannot keep on JDK 17) and picocli walks every field and method
 * reflectively. The annotations stay the source of the model everywhere else (help of {@code tfs},
 * docs/cli, the other subcommands); HandBuiltModelTest checks that help, version, every option's
 * attributes and parsing are the same with either model, so an option added to {@link MkimageCommand},
 * {@link JavaOptions}, {@link TfsCommand}, {@link ImageCommand}, {@link LsCommand} or
 * {@link InfoCommand} or {@link MkfsCommand} and not here fails the build.
 *
 * <p>Not thread-safe: each model binds one command object.
 */
final class HandBuiltModel {
  private HandBuiltModel() {}

  /**
   * {@code tfs} with the one subcommand {@code name}, or null when that subcommand has no hand-built
   * model (then the annotations are read).
   */
  static CommandLine tfs(TfsCommand tfs, String name) {
    CommandSpec sub;
    if ("ls".equals(name)) {
      sub = ls(new LsCommand());
    } else if ("info".equals(name)) {
      sub = info(new InfoCommand());
    } else if ("mkfs".equals(name)) {
      sub = mkfs(new MkfsCommand());
    } else {
      return null;
    }
    CommandSpec root = command(tfs, "tfs",
        "Inspect and edit TFS volumes and Nanos disk images.",
        "IMAGE is a bare TFS volume or a partitioned Nanos disk image; for a disk image the root filesystem"
            + " is used unless --boot selects the boot filesystem.");
    root.addOption(flag("--stacktrace", tfs, "stacktrace", "Print the stack trace of a failure.")
        .scopeType(ScopeType.INHERIT).build());
    standardHelpOptions(root);
    tfs.spec = root;
    CommandLine cl = new CommandLine(root);
    cl.addSubcommand(name, new CommandLine(sub));
    return cl;
  }

  static CommandSpec ls(LsCommand c) {
    CommandSpec spec = command(c, "ls",
        "List a directory (default /), one name per line, sorted by UTF-8 bytes.",
        "-l prints TYPE SIZE MTIME NAME, with ' -> TARGET' for symlinks; MTIME is ISO-8601 UTC or '-'.");
    image(spec, c);
    spec.addOption(flag("-l", c, "longForm", "Long form: type, size, mtime, name and symlink target.").build());
    spec.addOption(flag("-a", c, "all", "Include names that start with '.'.").build());
    spec.addOption(flag("--json", c, "json", "Print one JSON array instead of text.").build());
    Binding<String> path = new Binding<>(null, c, "path");
    spec.addPositional(PositionalParamSpec.builder().index("1").paramLabel("PATH").arity("0..1").defaultValue("/")
        .type(String.class).setter(path).getter(path).build());
    return standardHelpOptions(spec);
  }

  static CommandSpec info(InfoCommand c) {
    CommandSpec spec = command(c, "info",
        "Show the volume's TFS version, UUID, label, size, used and free bytes, and counts.",
        "Also its log extensions and, for a disk image, its partitions.");
    image(spec, c);
    spec.addOption(flag("--json", c, "json", "Print one JSON object instead of text.").build());
    return standardHelpOptions(spec);
  }

  static CommandSpec mkfs(MkfsCommand c) {
    CommandSpec spec = command(c, "mkfs",
        "Create a bare TFS volume from a host directory, a manifest or a tar archive.",
        "--manifest takes a Nanos mkfs-syntax manifest; --from-tar a .tar, .tar.gz or",
        ".tgz, read once (file contents spooled to a temporary file), hard links",
        "copied, devices and FIFOs refused.",
        "The same inputs give the same bytes: entries are sorted, the UUID is derived",
        "from the content unless --uuid is given, and no time is taken from the host",
        "clock. Files get no mtime unless SOURCE_DATE_EPOCH is set (then every entry",
        "gets that time) or --mtimes asks for the files' (or tar entries') own times",
        "(clamped to SOURCE_DATE_EPOCH when it is set).",
        "Without --size the volume leaves room for the kernel to keep writing",
        "(8 MiB or 10%% free).");
    c.spec = spec;
    Binding<String> label = new Binding<>(c.label, c, "label");
    spec.addOption(OptionSpec.builder("--label").paramLabel("L").description("Volume label (at most 31 bytes of UTF-8).")
        .type(String.class).initialValue(c.label).setter(label).getter(label).build());
    spec.addOption(option("--size", "N", String.class, c, "size", "Volume size: N, Nk, Nm or Ng bytes.").build());
    spec.addOption(option("--uuid", "U", String.class, c, "uuid",
        "Volume UUID, xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx.").build());
    Binding<Integer> version = new Binding<>(c.version, c, "version");
    spec.addOption(OptionSpec.builder("--tfs-version").paramLabel("4|5").description("TFS encoding version (default 5).")
        .type(int.class).initialValue(c.version).setter(version).getter(version).build());
    spec.addOption(flag("--mtimes", c, "mtimes",
        "Record the host files' (or tar entries') modification times.").build());
    Binding<Path> out = new Binding<>(null, c, "out");
    spec.addPositional(PositionalParamSpec.builder().index("0").paramLabel("OUT").arity("1").required(true).type(Path.class).setter(out)
        .getter(out).build());
    Binding<Path> hostDir = new Binding<>(null, c, "hostDir");
    spec.addPositional(PositionalParamSpec.builder().index("1").paramLabel("HOSTDIR").arity("0..1")
        .description("Host directory tree to copy.").type(Path.class).setter(hostDir).getter(hostDir).build());
    spec.addOption(option("--manifest", "FILE", Path.class, c, "manifest",
        "A Nanos mkfs manifest (host paths in contents).").build());
    spec.addOption(option("--from-tar", "TREE.tar", Path.class, c, "fromTar",
        "A tar archive, plain or gzip-compressed: directories, files, symlinks and hard links.").build());
    return standardHelpOptions(spec);
  }

  /**
   * {@code mkimage}: its options in declaration order ({@code sortOptions = false}), the {@link JavaOptions}
   * mixin where {@link MkimageCommand} declares it.
   */
  static CommandLine mkimage(MkimageCommand c) {
    CommandSpec spec = command(c, "mkimage",
        "Build a bootable Nanos disk image from a program, an ops config.json, an ops package "
            + "or a container image. The same inputs always produce a byte-identical image; --uuid or SOURCE_DATE_EPOCH "
            + "pin what would otherwise be derived.");
    spec.usageMessage().sortOptions(false);
    c.spec = spec;
    spec.addOption(option("--program", "PATH", Path.class, c, "program",
        "Host path of the ELF executable to run.").build());
    javaOptions(spec, c.java = new JavaOptions());
    spec.addOption(option("--max-archive-expansion", "N", String.class, c, "maxArchiveExpansion",
        "Let a package archive, or each gzipped layer of a container image, expand to N bytes (N, Nk,"
            + " Nm or Ng); default 1000 times its size, at least 64m, at most 16g.").build());
    spec.addOption(option("-c", "CONFIG.json", Path.class, c, "config",
        "An ops configuration file.").names("-c", "--config").build());
    spec.addOption(option("--package", "PKG", String.class, c, "pkg",
        "An ops package directory or .tar.gz, or [namespace/]name:version in the local ops "
            + "package cache (~/.ops/packages/<arch>/); nothing is downloaded.").build());
    spec.addOption(option("--from-oci", "IMAGE", Path.class, c, "fromOci",
        "A container image as the target root: a docker save tarball or an OCI image "
            + "layout (directory or tar). Its Entrypoint/Cmd, Env and WorkingDir give program, arguments, environment "
            + "and cwd unless flags say otherwise; --program may be a path in the image or a name on its PATH.").build());
    spec.addOption(flag("--whole-image", c, "wholeImage",
        "With --from-oci: copy the whole image filesystem, not only the program and its libraries.").build());
    spec.addOption(list("--arg", "A", String.class, c, "arguments",
        "Program argument (repeatable).").build());
    spec.addOption(list("--env", "K=V", String.class, c, "environment",
        "Environment variable (repeatable).").build());
    spec.addOption(list("--file", "HOST[:IMAGEPATH]", String.class, c, "files",
        "Add a host file (repeatable).").build());
    spec.addOption(list("--dir", "HOST[:IMAGEPATH]", String.class, c, "dirs",
        "Add a host directory tree (repeatable).").build());
    spec.addOption(option("--target-root", "DIR", Path.class, c, "targetRoot",
        "Sysroot for the program and its libraries.").build());
    spec.addOption(option("--kernel", "FILE", Path.class, c, "kernel",
        "Nanos kernel image.").build());
    spec.addOption(option("--boot", "FILE", Path.class, c, "boot",
        "BIOS boot image (boot.img).").build());
    spec.addOption(option("--uefi", "FILE", Path.class, c, "uefi",
        "UEFI loader (bootx64.efi or bootaa64.efi).").build());
    spec.addOption(option("--nanos-version", "V", String.class, c, "nanosVersion",
        "Nanos release from the ops cache (~/.ops/V/: kernel.img, boot.img, "
            + "bootx64.efi, klibs/); no download.").build());
    spec.addOption(option("--fetch-nanos", "V", String.class, c, "fetchNanos",
        "Download Nanos release V into the ops cache (~/.ops/V/) unless it is "
            + "there, then build with it; alone, only fetch. The only option that uses the network.").build());
    spec.addOption(option("--nanos-base-url", "URL", String.class, c, "nanosBaseUrl",
        "Base URL of Nanos releases (default: $"
            + MkimageCommand.NANOS_BASE_URL_ENV
            + ", else "
            + "https://storage.googleapis.com/nanos/release/"
            + ").").build());
    spec.addOption(option("--nanos-sha256", "HEX", String.class, c, "nanosSha256",
        "Expected SHA-256 of the release tarball.").build());
    spec.addOption(list("--klib", "NAME", String.class, c, "klibs",
        "Kernel library to add (repeatable).").build());
    spec.addOption(option("--klib-dir", "DIR", Path.class, c, "klibDir",
        "Directory holding the klibs.").build());
    spec.addOption(list("--set", "KEY=VALUE", String.class, c, "settings",
        "Set a root-tuple key to a manifest value (repeatable).").build());
    spec.addOption(option("--size", "N", String.class, c, "size",
        "Image size (N, Nk, Nm, Ng).").build());
    spec.addOption(option("--label", "L", String.class, c, "label",
        "Root filesystem label.").build());
    spec.addOption(option("--uuid", "U", String.class, c, "uuid",
        "Root filesystem UUID.").build());
    spec.addOption(flag("--no-boot", c, "noBoot",
        "Write only the root filesystem, as a bare TFS volume.").build());
    spec.addOption(flag("--no-runtime", c, "noRuntime",
        "Add only the program's own libraries: no interpreter runtime "
            + "(Python's standard library, a JDK's runtime image), no libraries of other ELF files in the image.").build());
    spec.addOption(flag("--json", c, "json",
        "With --dry-run: print the plan as one JSON document (entries with their "
            + "source, root tuple, notes, warnings).").build());
    spec.addOption(flag("--dry-run", c, "dryRun",
        "Write nothing; print the planned content.").build());
    spec.addOption(option("-o", "OUT", Path.class, c, "output",
        "Output image path.").names("-o", "--output").build());
    spec.addOption(flag("--stacktrace", c, "stacktrace",
        "Print the stack trace of a failure.").build());
    Binding<List<String>> run = new Binding<>(null, c, "run");
    spec.addOption(OptionSpec.builder("--run").arity("0..*").paramLabel("RUN OPTION")
        .parameterConsumer(new RunAfterBuild.Rest()).type(List.class).auxiliaryTypes(String.class)
        .description("Then run the image as nanokit run does; every word after --run is a nanokit run option "
            + "(-p 8080, --snapshot, ...). -c CONFIG.json applies to both.")
        .setter(run).getter(run).build());
    return new CommandLine(standardHelpOptions(spec));
  }

  /** What {@link JavaOptions} declares. */
  private static void javaOptions(CommandSpec spec, JavaOptions j) {
    spec.addOption(option("--java", "JAR", Path.class, j, "jar",
        "A Java application jar to run (main class from its "
            + "manifest, its Class-Path followed), on a jlinked runtime at "
            + "/usr/lib/jvm/app-runtime; --arg are its arguments.").build());
    spec.addOption(option("--java-home", "DIR", Path.class, j, "javaHome",
        "With --java: the JDK to take the runtime, jlink "
            + "and jdeps from (default: the one running mkimage).").build());
    spec.addOption(option("--java-runtime", "KIND", String.class, j, "runtime",
        "With --java: jlink (a runtime of the modules "
            + "jdeps finds; default) or jdk (the JDK's lib, conf and release, copied).").build());
    spec.addOption(option("--main-class", "CLASS", String.class, j, "mainClass",
        "With --java: the class to start instead of "
            + "the manifest's Main-Class.").build());
    spec.addOption(list("--jvm-flag", "F", String.class, j, "jvmFlags",
        "With --java: a JVM option, before -cp (repeatable).").build());
    spec.addOption(list("--class-path", "DIR|JAR", Path.class, j, "classPath",
        "With --java: a dependency, at "
            + "/app/libs/NAME, on the class path after the application (repeatable).").build());
    spec.addOption(list("--add-modules", "M,M", String.class, j, "addModules",
        "With --java: modules added to "
            + "what jdeps finds (services, reflection).").splitRegex(",").build());
  }

  /** What {@link ImageCommand} declares. */
  private static void image(CommandSpec spec, ImageCommand c) {
    c.spec = spec;
    spec.addOption(flag("--boot", c, "boot", "Use the boot filesystem of a disk image instead of the root filesystem.").build());
    Binding<String> maxFileSize = new Binding<>(null, c, "maxFileSize");
    spec.addOption(OptionSpec.builder("--max-file-size").paramLabel("N").type(String.class)
        .description("Refuse to read a file claiming more than N bytes (N, Nk, Nm or Ng; default 1 TiB).")
        .setter(maxFileSize).getter(maxFileSize).build());
    Binding<Path> image = new Binding<>(null, c, "image");
    spec.addPositional(PositionalParamSpec.builder().index("0").paramLabel("IMAGE").type(Path.class).required(true)
        .description("A TFS volume or a partitioned Nanos disk image.").setter(image).getter(image).build());
  }

  /** {@code @Command(name, versionProvider = CommandRunner.Version.class, description)}. */
  private static CommandSpec command(Object userObject, String name, String... description) {
    CommandSpec spec = CommandSpec.wrapWithoutInspection(userObject).name(name);
    // No text here uses picocli's ${...} variables (the annotated -h and -V names do; these are plain).
    // Expansion would scan every description for each lookup each time help reads it: about two fifths
    // of rendering mkimage's help.
    spec.interpolateVariables(false);
    spec.versionProvider(new CommandRunner.Version());
    spec.usageMessage().description(description);
    return spec;
  }

  /** What {@code mixinStandardHelpOptions = true} adds: -h and -V, after the command's own options. */
  private static CommandSpec standardHelpOptions(CommandSpec spec) {
    spec.addOption(flag("-h", null, "helpRequested", "Show this help message and exit.").names("-h", "--help").usageHelp(true).build());
    spec.addOption(flag("-V", null, "versionRequested", "Print version information and exit.").names("-V", "--version").versionHelp(true)
        .build());
    return spec;
  }

  /** An option taking one value of {@code type} into {@code target}'s field {@code field}, null unless given. */
  private static <T> OptionSpec.Builder option(String name, String label, Class<T> type, Object target, String field,
      String description) {
    Binding<T> b = new Binding<>(null, target, field);
    return OptionSpec.builder(name).paramLabel(label).description(description).type(type).setter(b).getter(b);
  }

  /** A repeatable option: each occurrence adds one {@code element} to the list the command starts with. */
  private static <E> OptionSpec.Builder list(String name, String label, Class<E> element, Object target, String field,
      String description) {
    Binding<List<E>> b = Binding.startingFromField(target, field);
    List<E> initial = b.get();
    return OptionSpec.builder(name).paramLabel(label).description(description).type(List.class)
        .auxiliaryTypes(element).arity("1").initialValue(initial).setter(b).getter(b);
  }

  /**
   * A boolean option into {@code target}'s field {@code field} (none for a null target), false unless
   * given; picocli labels it by the field's name (it shows nowhere).
   */
  private static OptionSpec.Builder flag(String name, Object target, String field, String description) {
    Binding<Boolean> b = new Binding<>(false, target, field);
    return OptionSpec.builder(name).paramLabel("<" + field + ">").description(description).type(boolean.class)
        .arity("0").initialValue(false).setter(b).getter(b);
  }

  /**
   * Where picocli reads an option's current value and writes the parsed one: the command's field, found by
   * name rather than written by a lambda each, since linking 58 lambdas was a twentieth of mkimage --help.
   * A misspelt name fails every start of the command (and HandBuiltModelTest).
   */
  private static final class Binding<T> implements IGetter, ISetter {
    private T value;
    private final Object target;
    private final Field field;

    /** A binding whose value starts as {@code initial}; a null {@code target} has no field to write. */
    Binding(T initial, Object target, String name) {
      this(initial, target, target == null ? null : field(target.getClass(), name));
    }

    private Binding(T initial, Object target, Field field) {
      this.value = initial;
      this.target = target;
      this.field = field;
    }

    /** A binding whose value starts as what {@code target}'s field {@code name} holds now. */
    @SuppressWarnings("unchecked")
    static <T> Binding<T> startingFromField(Object target, String name) {
      Field f = field(target.getClass(), name);
      try {
        return new Binding<>((T) f.get(target), target, f);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <V> V get() {
      return (V) value;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <V> V set(V newValue) {
      T old = value;
      value = (T) newValue;
      if (field != null) {
        try {
          field.set(target, value);
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
      return (V) old;
    }

    private static Field field(Class<?> type, String name) {
      for (Class<?> c = type; c != null; c = c.getSuperclass()) {
        try {
          Field f = c.getDeclaredField(name);
          f.setAccessible(true);
          return f;
        } catch (NoSuchFieldException e) {
          // declared further up
        }
      }
      throw new IllegalStateException(type.getName() + " has no field " + name);
    }
  }
}
