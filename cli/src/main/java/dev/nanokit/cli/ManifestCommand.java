package dev.nanokit.cli;

import dev.nanokit.manifest.ManifestPrinter;
import dev.nanokit.manifest.Tuple;
import dev.nanokit.manifest.Value;
import dev.nanokit.tfs.TfsVolume;
import java.io.IOException;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tfs manifest [--all] IMAGE}: the root tuple as Nanos manifest text (docs/formats/manifest.md, "1 Manifest text syntax (Nanos `mkfs`)"). */
@Command(name = "manifest", mixinStandardHelpOptions = true, versionProvider = CommandRunner.Version.class,
    description = "Print the root tuple (boot configuration) as Nanos manifest text; --all includes the directory tree.")
final class ManifestCommand extends ImageCommand {
  /**
   * A kernel-written log full of files prints to about one character per byte of its extensions;
   * a tree whose shared values expand beyond four is refused.
   */
  static final long MANIFEST_CHARS_PER_METADATA_BYTE = 4;
  /** Room for a small configuration in a volume with a small log. */
  static final long MANIFEST_CHARS_FLOOR = 64 << 10;

  @Option(names = "--all", description = "Include 'children', the whole directory tree.")
  boolean all;

  @Override
  void run(TfsVolume volume) throws IOException {
    Tuple root = volume.rootTuple();
    Tuple shown = new Tuple();
    for (Map.Entry<String, Value> e : root.entries().entrySet()) {
      if (all || !e.getKey().equals("children")) {
        shown.put(e.getKey(), e.getValue());
      }
    }
    // Text has no references, so a value the log shares prints once per use; bound it by what was read.
    long limit = MANIFEST_CHARS_PER_METADATA_BYTE * volume.metadataBytes() + MANIFEST_CHARS_FLOOR;
    String text;
    try {
      text = ManifestPrinter.print(shown, limit);
    } catch (IllegalArgumentException e) {
      throw new CliFailure(image() + ": root tuple: " + e.getMessage(), e);
    }
    out().print(text);
    out().flush();
  }
}
