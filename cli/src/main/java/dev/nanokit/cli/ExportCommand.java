package dev.nanokit.cli;

import dev.nanokit.tfs.TfsNode;
import dev.nanokit.tfs.TfsTarExporter;
import dev.nanokit.tfs.TfsVolume;
import dev.nanokit.tfs.disk.AtomicFile;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code tfs export [--boot] [-o FILE] IMAGE [PATH]}: a tree of the image as a deterministic POSIX
 * tar (see {@link TfsTarExporter}), to stdout or atomically to FILE. Binary output is never sent to
 * a terminal.
 */
@Command(name = "export", mixinStandardHelpOptions = true, versionProvider = CommandRunner.Version.class,
    description = {"Write PATH (default /) and everything under it as a POSIX tar archive.",
        "To stdout (never a terminal) or, with -o, atomically to FILE.",
        "The same tree gives the same bytes: entries depth-first in UTF-8 byte order,",
        "names relative to PATH, owner 0:0 without names, mode 0755 for directories,",
        "0644 for files, 0777 for symlinks, mtime the TFS mtime or 0. Symlinks keep",
        "their literal target. PATH may also name a file or symlink (one entry)."})
final class ExportCommand extends ImageCommand {
  @Option(names = {"-o", "--output"}, paramLabel = "FILE",
      description = "Write the tar to FILE (via a temporary file beside it, renamed when complete).")
  Path output;

  @Parameters(index = "1", paramLabel = "PATH", defaultValue = "/", arity = "0..1")
  String path;

  @Override
  void run(TfsVolume volume) throws IOException {
    if (output == null && stdoutIsTerminal()) {
      throw new ParameterException(spec.commandLine(),
          "refusing to write a tar archive to a terminal: redirect stdout or use -o FILE");
    }
    TfsNode node = lookup(volume, path, path.endsWith("/"));
    if (output == null) {
      out().flush();
      TfsTarExporter.write(volume, node, System.out);
      if (System.out.checkError()) { // a PrintStream keeps write errors to itself
        throw new CliFailure("stdout: write error while exporting " + image);
      }
      return;
    }
    writeAtomically(volume, node);
  }

  private void writeAtomically(TfsVolume volume, TfsNode node) throws IOException {
    if (Files.isDirectory(output)) {
      throw new CliFailure(output + ": is a directory");
    }
    try {
      AtomicFile.write(output, ch -> {
        OutputStream file = Channels.newOutputStream(ch);
        // Write errors name FILE; read errors (surfacing as IOException from the exporter) name IMAGE.
        OutputStream os = new OutputStream() {
          @Override
          public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] b, int off, int len) {
            try {
              file.write(b, off, len);
            } catch (IOException e) {
              throw new CliFailure(output + ": " + CommandRunner.describe(e), e);
            }
          }
        };
        TfsTarExporter.write(volume, node, os);
        return null;
      });
    } catch (java.nio.file.FileSystemException e) {
      // creating, forcing or renaming the file (not reading the image)
      throw new CliFailure(output + ": " + CommandRunner.describe(e), e);
    }
  }

  /** Where fd 1 points on Linux; elsewhere the console, which needs stdin and stdout to be terminals. */
  static boolean stdoutIsTerminal() {
    try {
      Path fd1 = Path.of("/proc/self/fd/1");
      if (Files.isSymbolicLink(fd1)) {
        String target = Files.readSymbolicLink(fd1).toString();
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
      }
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
    return System.console() != null;
  }
}
