package dev.nanokit.cli;

import dev.nanokit.tfs.TfsEditor;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code tfs ln -s IMAGE TARGET PATH} (docs/cli): TFS has symlinks only. */
@Command(name = "ln", mixinStandardHelpOptions = true, versionProvider = CommandRunner.Version.class,
    description = "Create a symbolic link PATH pointing at TARGET (stored verbatim). Only -s is supported.")
final class LnCommand extends EditCommand {
  @Option(names = "-s", required = true, description = "Make a symbolic link (required: TFS has no hard-link command).")
  boolean symbolic;

  @Parameters(index = "1", paramLabel = "TARGET")
  String target;

  @Parameters(index = "2", paramLabel = "PATH")
  String path;

  @Override
  void edit(TfsEditor editor) throws IOException {
    if (!symbolic) {
      throw new ParameterException(spec.commandLine(), "only symbolic links (-s) are supported");
    }
    editor.symlink(target, ImageCommand.absolute(path));
  }
}
