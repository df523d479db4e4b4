package dev.nanokit.cli;

import dev.nanokit.tfs.TfsNode;
import dev.nanokit.tfs.TfsTarExporter;
import dev.nanokit.tfs.TfsVolume;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
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

  @Parameters(index = "0", paramLabel = "IMAGE")
  Path image;

  @Parameters(index = "1", paramLabel = "PATH", defaultValue = "/", arity = "0..1")
  String path;

  @Override
  Path image() {
    return image;
  }

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
    Path target = output.toAbsolutePath().normalize();
    if (Files.isDirectory(target)) {
      throw new CliFailure(output + ": is a directory");
    }
    Path dir = target.getParent();
    Path tmp;
    try {
      tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    } catch (IOException e) {
      throw new CliFailure(output + ": " + CommandRunner.describe(e), e);
    }
    boolean done = false;
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
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
        ch.force(true);
      }
      copyPermissions(target, tmp);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      done = true;
    } finally {
      if (!done) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  /** Like a file the shell creates (not the temporary file's 0600); an existing target keeps its permissions. */
  private static void copyPermissions(Path target, Path tmp) {
    PosixFileAttributeView view = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
    if (view == null) {
      return;
    }
    try {
      view.setPermissions(Files.exists(target, LinkOption.NOFOLLOW_LINKS)
          ? Files.getPosixFilePermissions(target) : PosixFilePermissions.fromString("rw-r--r--"));
    } catch (IOException | UnsupportedOperationException ignored) {
      // 0600 is a safe fallback
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
