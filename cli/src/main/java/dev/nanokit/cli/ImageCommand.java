package dev.nanokit.cli;

import dev.nanokit.tfs.TfsNode;
import dev.nanokit.tfs.TfsReadOptions;
import dev.nanokit.tfs.TfsVolume;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * What the read-only subcommands share: {@code --boot}, opening IMAGE, looking paths up, and
 * failures phrased as {@code IMAGE: PATH: what went wrong}.
 */
abstract class ImageCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--boot", description = "Use the boot filesystem of a disk image instead of the root filesystem.")
  boolean boot;

  @Option(names = "--max-file-size", paramLabel = "N",
      description = "Refuse to read a file claiming more than N bytes (N, Nk, Nm or Ng; default 1 TiB).")
  String maxFileSize;

  @Parameters(index = "0", paramLabel = "IMAGE", description = "A TFS volume or a partitioned Nanos disk image.")
  Path image;

  /** The image path this command operates on. */
  Path image() {
    return image;
  }

  abstract void run(TfsVolume volume) throws IOException;

  @Override
  public final Integer call() throws IOException {
    TfsReadOptions.Builder options = readOptionsBuilder(boot);
    if (maxFileSize != null) {
      try {
        options.setMaxFileBytes(dev.nanokit.core.ops.OpsSize.parse("--max-file-size", maxFileSize));
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
    }
    try (TfsVolume volume = TfsVolume.open(image(), options.build())) {
      run(volume);
    } catch (CliFailure e) {
      throw e;
    } catch (java.nio.file.FileSystemException e) {
      throw e; // names its file already
    } catch (IOException e) {
      String hint = String.valueOf(e.getMessage()).contains("(maxFileBytes)") ? "; --max-file-size raises it" : "";
      throw new CliFailure(image() + ": " + CommandRunner.describe(e) + hint, e);
    } finally {
      out().flush();
    }
    return 0;
  }

  /** The root filesystem of a disk image, or with {@code --boot} its boot filesystem. */
  static TfsReadOptions readOptions(boolean boot) {
    return readOptionsBuilder(boot).build();
  }

  private static TfsReadOptions.Builder readOptionsBuilder(boolean boot) {
    return TfsReadOptions.builder()
        .setFilesystem(boot ? TfsReadOptions.Filesystem.BOOT : TfsReadOptions.Filesystem.ROOT);
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** The node at {@code path}, or a one-line failure naming it. */
  TfsNode lookup(TfsVolume volume, String path, boolean followLast) throws IOException {
    return volume.lookup(path, followLast)
        .orElseThrow(() -> new CliFailure(image() + ": " + absolute(path) + ": no such file or directory"));
  }

  static String absolute(String path) {
    return path.startsWith("/") ? path : "/" + path;
  }
}
