package dev.nanokit.cli;

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
      "IMAGE is a bare TFS volume or a partitioned Nanos disk image; for a disk image the root",
      "filesystem is used unless --boot selects the boot filesystem."
    },
    subcommands = {
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
      ResizeCommand.class,
    })
final class TfsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(names = "--stacktrace", scope = ScopeType.INHERIT, description = "Print the stack trace of a failure.")
  boolean stacktrace;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing command");
  }
}
