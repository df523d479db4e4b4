package dev.nanokit.cli;

import dev.nanokit.tfs.TfsNode;
import dev.nanokit.tfs.TfsNodeType;
import dev.nanokit.tfs.TfsVolume;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code tfs cat IMAGE PATH}: file contents to stdout, symlinks followed inside the image. */
@Command(name = "cat", mixinStandardHelpOptions = true, versionProvider = CommandRunner.Version.class,
    description = "Write a file's contents to stdout; symlinks are followed inside the image.")
final class CatCommand extends ImageCommand {
  private static final int CHUNK = 1 << 20;

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
    // 1 MiB at a time: PrintStream passes a write larger than its buffer straight to the file, so a
    // large file costs one read and one write per MiB instead of one each per 8 KiB (transferTo).
    byte[] buffer = new byte[CHUNK];
    ByteBuffer bb = ByteBuffer.wrap(buffer);
    try (SeekableByteChannel in = node.openChannel()) {
      int n;
      while ((n = in.read(bb.clear())) >= 0) {
        System.out.write(buffer, 0, n);
      }
    }
    System.out.flush();
  }
}
