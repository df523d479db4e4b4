package dev.nanokit.cli;

import dev.nanokit.tfs.TfsImageGrowth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tfs resize IMAGE SIZE}: grow a volume or the root filesystem of a disk (docs/cli). */
@Command(name = "resize", mixinStandardHelpOptions = true, versionProvider = CommandRunner.Version.class,
    description = {"Grow a TFS volume, or the root filesystem of a Nanos disk image, to SIZE.",
        "A disk grows its file and its root partition entry, as a larger virtual disk would;",
        "the image stays valid if interrupted. Images never shrink."})
final class ResizeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "IMAGE", description = "A TFS volume or a partitioned Nanos disk image.")
  Path image;

  @Parameters(index = "1", paramLabel = "SIZE",
      description = "The new size: N or +N (that much more), in bytes or with K, M, G, T (KiB, MiB, GiB, TiB).")
  String size;

  @Override
  public Integer call() throws IOException {
    if (!Files.exists(image)) {
      throw new NoSuchFileException(image.toString(), null, "no such file");
    }
    long current = Files.size(image);
    long target;
    try {
      target = ImageGrowth.size(size, current);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new ParameterException(spec.commandLine(), e instanceof ArithmeticException ? "size '" + size + "' is too large" : e.getMessage());
    }
    if (target < current) {
      throw new CliFailure(image + ": is " + current + " bytes; " + target + " would shrink it, and images never shrink");
    }
    long now;
    try {
      now = TfsImageGrowth.growTo(image, target);
    } catch (NoSuchFileException e) {
      throw e;
    } catch (IOException e) {
      throw new CliFailure(image + ": " + CommandRunner.describe(e), e);
    }
    spec.commandLine().getOut().println(image + ": " + current + " -> " + now + " bytes");
    return 0;
  }
}
