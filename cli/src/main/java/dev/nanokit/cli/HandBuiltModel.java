package dev.nanokit.cli;

import java.nio.file.Path;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ScopeType;

/**
 * The picocli models of {@code tfs ls} and {@code tfs info}, built through picocli's programmatic API
 * instead of read from the commands' annotations. Reading annotations is most of the start-up time of
 * these two short commands: the JDK generates a proxy class for each annotation type (which class-data
 * sharing cannot keep on JDK 17) and picocli walks every field and method reflectively. The annotations
 * stay the source of the model everywhere else (help of {@code tfs}, docs/cli, other subcommands);
 * HandBuiltModelTest checks that help, version and parsing read exactly the same with either model, so
 * an option added to {@link TfsCommand}, {@link ImageCommand}, {@link LsCommand} or
 * {@link InfoCommand} without being added here fails the build.
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
    } else {
      return null;
    }
    CommandSpec root = command(tfs, "tfs",
        "Inspect and edit TFS volumes and Nanos disk images.",
        "IMAGE is a bare TFS volume or a partitioned Nanos disk image; for a disk image the root filesystem"
            + " is used unless --boot selects the boot filesystem.");
    root.addOption(flag("--stacktrace", "stacktrace", "Print the stack trace of a failure.", v -> tfs.stacktrace = v)
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
    spec.addOption(flag("-l", "longForm", "Long form: type, size, mtime, name and symlink target.", v -> c.longForm = v).build());
    spec.addOption(flag("-a", "all", "Include names that start with '.'.", v -> c.all = v).build());
    spec.addOption(flag("--json", "json", "Print one JSON array instead of text.", v -> c.json = v).build());
    Binding<String> path = new Binding<>(null, v -> c.path = v);
    spec.addPositional(PositionalParamSpec.builder().index("1").paramLabel("PATH").arity("0..1").defaultValue("/")
        .type(String.class).setter(path).getter(path).build());
    return standardHelpOptions(spec);
  }

  static CommandSpec info(InfoCommand c) {
    CommandSpec spec = command(c, "info",
        "Show the volume's TFS version, UUID, label, size, used and free bytes, and counts.",
        "Also its log extensions and, for a disk image, its partitions.");
    image(spec, c);
    spec.addOption(flag("--json", "json", "Print one JSON object instead of text.", v -> c.json = v).build());
    return standardHelpOptions(spec);
  }

  /** What {@link ImageCommand} declares. */
  private static void image(CommandSpec spec, ImageCommand c) {
    c.spec = spec;
    spec.addOption(flag("--boot", "boot", "Use the boot filesystem of a disk image instead of the root filesystem.",
        v -> c.boot = v).build());
    Binding<String> maxFileSize = new Binding<>(null, v -> c.maxFileSize = v);
    spec.addOption(OptionSpec.builder("--max-file-size").paramLabel("N").type(String.class)
        .description("Refuse to read a file claiming more than N bytes (N, Nk, Nm or Ng; default 1 TiB).")
        .setter(maxFileSize).getter(maxFileSize).build());
    Binding<Path> image = new Binding<>(null, v -> c.image = v);
    spec.addPositional(PositionalParamSpec.builder().index("0").paramLabel("IMAGE").type(Path.class).required(true)
        .description("A TFS volume or a partitioned Nanos disk image.").setter(image).getter(image).build());
  }

  /** {@code @Command(name, versionProvider = CommandRunner.Version.class, description)}. */
  private static CommandSpec command(Object userObject, String name, String... description) {
    CommandSpec spec = CommandSpec.wrapWithoutInspection(userObject).name(name);
    spec.versionProvider(new CommandRunner.Version());
    spec.usageMessage().description(description);
    return spec;
  }

  /** What {@code mixinStandardHelpOptions = true} adds: -h and -V, after the command's own options. */
  private static CommandSpec standardHelpOptions(CommandSpec spec) {
    spec.addOption(flag("-h", "helpRequested", "Show this help message and exit.", v -> { }).names("-h", "--help").usageHelp(true).build());
    spec.addOption(flag("-V", "versionRequested", "Print version information and exit.", v -> { }).names("-V", "--version").versionHelp(true)
        .build());
    return spec;
  }

  /** A boolean option, false unless given; picocli labels it by its field's name (it shows nowhere). */
  private static OptionSpec.Builder flag(String name, String fieldName, String description, Consumer<Boolean> field) {
    Binding<Boolean> b = new Binding<>(false, field);
    return OptionSpec.builder(name).paramLabel("<" + fieldName + ">").description(description).type(boolean.class)
        .arity("0").initialValue(false).setter(b).getter(b);
  }

  /** Where picocli reads an option's current value and writes the parsed one: the command's field. */
  private static final class Binding<T> implements IGetter, ISetter {
    private T value;
    private final Consumer<T> field;

    Binding(T initial, Consumer<T> field) {
      this.value = initial;
      this.field = field;
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
      field.accept(value);
      return (V) old;
    }
  }
}
