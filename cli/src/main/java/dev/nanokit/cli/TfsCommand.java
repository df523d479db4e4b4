package dev.nanokit.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code tfs}: inspect and edit TFS volumes and Nanos disk images (docs/cli). */
@Command(
    name = "tfs",
    mixinStandardHelpOptions = true,
    versionProvider = CommandRunner.Version.class,
    description = {
      "Inspect and edit TFS volumes and Nanos disk images.",
      "IMAGE is a bare TFS volume or a partitioned Nanos disk image; for a disk image the root filesystem"
          + " is used unless --boot selects the boot filesystem."
    })
final class TfsCommand implements Runnable, CommandGroup {
  /**
   * The subcommands in help order. Not in {@code @Command(subcommands)}: picocli would build every one
   * of their models at start-up, where one command line needs at most one (see {@link CommandGroup}).
   */
  static final List<Class<?>> SUBCOMMANDS = List.of(
      LsCommand.class,
      TreeCommand.class,
      FindCommand.class,
      CatCommand.class,
      CpCommand.class,
      ExportCommand.class,
      StatCommand.class,
      InfoCommand.class,
      ManifestCommand.class,
      MkfsCommand.class,
      PutCommand.class,
      MkdirCommand.class,
      RmCommand.class,
      LnCommand.class,
      SetCommand.class,
      ResizeCommand.class);

  @Spec CommandSpec spec;

  @Option(names = "--stacktrace", scope = ScopeType.INHERIT, description = "Print the stack trace of a failure.")
  boolean stacktrace;

  @Override
  public List<Class<?>> subcommands() {
    return SUBCOMMANDS;
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing command");
  }
}
