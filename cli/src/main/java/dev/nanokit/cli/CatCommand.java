package dev.nanokit.cli;

import dev.nanokit.tfs.TfsFormatException;
import dev.nanokit.tfs.TfsNode;
import dev.nanokit.tfs.TfsNodeType;
import dev.nanokit.tfs.TfsVolume;
import java.io.IOException;
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
    out().flush();
    // The kernel moves the bytes from the image to stdout when it can (sendfile; stdout a file or a
    // pipe): no read into the JVM and no copy out of it, which 1 MiB reads and writes through a
    // direct buffer still cost (and InputStream.transferTo, 8 KiB at a time through two heap copies).
    try {
      node.transferTo(CommandRunner.rawStdout());
    } catch (TfsFormatException e) {
      throw e; // the image's fault, whatever its words
    } catch (IOException e) {
      if (String.valueOf(e.getMessage()).contains("Broken pipe")) {
        return; // the reader has gone (cat | head): stop, as cat does on SIGPIPE
      }
      throw e;
    }
    System.out.flush();
  }
}
