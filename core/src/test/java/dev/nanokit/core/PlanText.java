package dev.nanokit.core;

import dev.nanokit.manifest.ManifestPrinter;

/** A plan as text, in the dry-run layout the command line prints, for assertions on whole plans. */
public final class PlanText {
  private PlanText() {}

  public static String of(ImagePlan plan) {
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
