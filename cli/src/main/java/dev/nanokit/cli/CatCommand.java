package dev.nanokit.cli;

import dev.nanokit.tfs.TfsNode;
import dev.nanokit.tfs.TfsNodeType;
import dev.nanokit.tfs.TfsVolume;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
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
    out().flush();
    // 1 MiB at a time, from a direct buffer: one read and one write per MiB and no copy in between
    // (InputStream.transferTo took 8 KiB at a time through two heap copies).
    WritableByteChannel stdout = CommandRunner.rawStdout();
    ByteBuffer bb = ByteBuffer.allocateDirect(CHUNK);
    try (SeekableByteChannel in = node.openChannel()) {
      while (in.read(bb.clear()) >= 0) {
        bb.flip();
        while (bb.hasRemaining()) {
          try {
            stdout.write(bb);
          } catch (IOException e) {
            if (String.valueOf(e.getMessage()).contains("Broken pipe")) {
              return; // the reader has gone (cat | head): stop, as cat does on SIGPIPE
            }
            throw e;
          }
        }
      }
    }
    System.out.flush();
  }
}
