package dev.nanokit.cli;

import dev.nanokit.tfs.TfsEditException;
import dev.nanokit.tfs.TfsEditor;
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

  @Override
  public final Integer call() throws IOException {
    TfsReadOptions options = ImageCommand.readOptions(boot);
    try (TfsEditor editor = TfsEditor.open(image(), options)) {
      edit(editor);
      editor.commit();
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
