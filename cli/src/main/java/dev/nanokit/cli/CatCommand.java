package dev.nanokit.cli;

import dev.nanokit.tfs.TfsNode;
import dev.nanokit.tfs.TfsNodeType;
import dev.nanokit.tfs.TfsVolume;
import java.io.IOException;
import java.io.InputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code tfs cat IMAGE PATH}: file contents to stdout, symlinks followed inside the image. */
@Command(name = "cat", mixinStandardHelpOptions = true, versionProvider = CommandRunner.Version.class,
    description = "Write a file's contents to stdout; symlinks are followed inside the image.")
final class CatCommand extends ImageCommand {

  @Parameters(index = "1", paramLabel = "PATH")
  String path;

  @Override
  void run(TfsVolume volume) throws IOException {
    TfsNode node = lookup(volume, path, true);
    if (node.type() != TfsNodeType.FILE) {
      throw new CliFailure(image + ": " + absolute(path) + ": is a directory");
    }
    // Raw bytes through System.out (a PrintStream writes bytes unchanged), so tests can capture it.
    out().flush();
    try (InputStream in = node.newInputStream()) {
      in.transferTo(System.out);
    }
    System.out.flush();
  }
}
