package dev.nanokit.cli;

import dev.nanokit.tfs.TfsEditor;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tfs rm [-r] IMAGE PATH} (docs/cli). */
@Command(name = "rm", mixinStandardHelpOptions = true, versionProvider = CommandRunner.Version.class,
    description = "Remove a file, symlink or empty directory; with -r a whole tree. Its blocks become free.")
final class RmCommand extends EditCommand {
  @Option(names = {"-r", "-R", "--recursive"}, description = "Remove a directory and everything under it.")
  boolean recursive;

  @Parameters(index = "1", paramLabel = "PATH")
  String path;

  @Override
  void edit(TfsEditor editor) throws IOException {
    editor.remove(ImageCommand.absolute(path), recursive);
  }
}
