package dev.nanokit.cli;

import dev.nanokit.core.ImageEntry;
import dev.nanokit.core.ImagePlan;
import dev.nanokit.manifest.ManifestPrinter;

/**
 * The {@code mkimage --dry-run} text (docs/cli): one line per entry — {@code PATH/} for a directory,
 * {@code PATH<TAB>-> TARGET} for a symlink, {@code PATH<TAB>SOURCE} for a file, where a generated file
 * reads {@code (generated, N bytes)} — then the root-tuple keys as manifest text. The root directory
 * has no line of its own.
 */
final class DryRun {
  private DryRun() {}

  static String text(ImagePlan plan) {
    StringBuilder sb = new StringBuilder();
    for (ImageEntry e : plan.entries().values()) {
      switch (e.kind()) {
        case DIRECTORY -> sb.append(e.imagePath()).append("/\t");
        case SYMLINK -> sb.append(e.imagePath()).append("\t-> ").append(e.linkTarget());
        case FILE -> sb.append(e.imagePath()).append('\t')
            .append(plan.sourceOf(e).orElseGet(() -> "(generated, " + e.content().length + " bytes)"));
      }
      sb.append('\n');
    }
    return sb.append(ManifestPrinter.print(plan.rootConfig())).toString();
  }
}
