package dev.nanokit.cli;

import dev.nanokit.manifest.ManifestPrinter;
import dev.nanokit.manifest.Tuple;
import dev.nanokit.manifest.Value;
import dev.nanokit.tfs.TfsVolume;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tfs manifest [--all] IMAGE}: the root tuple as Nanos manifest text (docs/formats/manifest.md §1). */
@Command(name = "manifest", mixinStandardHelpOptions = true, versionProvider = CommandRunner.Version.class,
    description = "Print the root tuple (boot configuration) as Nanos manifest text; --all includes the directory tree.")
final class ManifestCommand extends ImageCommand {
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
    out().print(ManifestPrinter.print(shown));
    out().flush();
  }
}
