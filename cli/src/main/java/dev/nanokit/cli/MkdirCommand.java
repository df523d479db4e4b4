package dev.nanokit.cli;

import dev.nanokit.tfs.TfsEditor;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tfs mkdir [-p] IMAGE PATH} (docs/cli). */
@Command(name = "mkdir", mixinStandardHelpOptions = true, versionProvider = CommandRunner.Version.class,
    description = "Create a directory in the image.")
final class MkdirCommand extends EditCommand {
  @Option(names = "-p", description = "Create missing parents; no error if the directory exists.")
  boolean parents;

  @Parameters(index = "1", paramLabel = "PATH")
  String path;

  @Override
  void edit(TfsEditor editor) throws IOException {
    editor.mkdir(ImageCommand.absolute(path), parents);
  }
}
