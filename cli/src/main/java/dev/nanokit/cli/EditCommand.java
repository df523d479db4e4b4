package dev.nanokit.cli;

import dev.nanokit.tfs.TfsEditException;
import dev.nanokit.tfs.TfsEditor;
import dev.nanokit.tfs.TfsNoSpaceException;
import dev.nanokit.tfs.TfsReadOptions;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * What the editing subcommands share: open IMAGE for editing (root filesystem unless {@code --boot}),
 * stage the change, commit it, and phrase failures as {@code IMAGE: PATH: what went wrong}.
 */
abstract class EditCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--boot", description = "Edit the boot filesystem of a disk image instead of the root filesystem.")
  boolean boot;

  @Parameters(index = "0", paramLabel = "IMAGE", description = "A TFS volume or a partitioned Nanos disk image.")
  Path image;

  /** The image path this command operates on. */
  Path image() {
    return image;
  }

  abstract void edit(TfsEditor editor) throws IOException;

  @Option(names = "--no-grow", description = "Fail when the filesystem lacks room, instead of growing the image first.")
  boolean noGrow;

  @Override
  public final Integer call() throws IOException {
    // Staging and the log append find a lack of room before anything is written: grow, then edit anew.
    for (int attempt = 0; ; attempt++) {
      try {
        return editOnce();
      } catch (RoomNeeded r) {
        if (noGrow || boot || attempt == 3) {
          throw new CliFailure(image() + ": " + CommandRunner.describe(r.getCause()), r.getCause());
        }
        try {
          ImageGrowth.grow(image(), r.getCause().missingBytes(), spec.commandLine().getErr());
        } catch (IOException e) {
          throw new CliFailure(image() + ": " + CommandRunner.describe(r.getCause()) + "; growing the image failed: "
              + CommandRunner.describe(e), e);
        }
      }
    }
  }

  /** A lack of room found before anything was written. */
  private static final class RoomNeeded extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RoomNeeded(TfsNoSpaceException cause) {
      super(cause);
    }

    @Override
    public synchronized TfsNoSpaceException getCause() {
      return (TfsNoSpaceException) super.getCause();
    }
  }

  private int editOnce() throws IOException {
    TfsReadOptions options = ImageCommand.readOptions(boot);
    try (TfsEditor editor = TfsEditor.open(image(), options)) {
      edit(editor);
      editor.commit();
    } catch (TfsNoSpaceException e) {
      throw new RoomNeeded(e);
    } catch (CliFailure | NoSuchFileException e) {
      throw e;
    } catch (TfsEditException e) {
      String hint = e.condition() == TfsEditException.Condition.DIRECTORY_NOT_EMPTY ? " (use -r)" : "";
      throw new CliFailure(image() + ": " + CommandRunner.describe(e) + hint, e);
    } catch (IOException e) {
      throw new CliFailure(image() + ": " + CommandRunner.describe(e), e);
    }
    return 0;
  }
}
