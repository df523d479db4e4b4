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

  /**
   * The {@code mkimage --dry-run --json} document: {@code entries} (path, type, and a file's
   * {@code source} or {@code generated} byte count, a symlink's {@code target}), the {@code root} tuple,
   * {@code notes} and {@code warnings}.
   */
  static String json(ImagePlan plan) throws java.io.IOException {
    com.fasterxml.jackson.databind.node.ObjectNode doc = Json.MAPPER.createObjectNode();
    com.fasterxml.jackson.databind.node.ArrayNode entries = doc.putArray("entries");
    for (ImageEntry e : plan.entries().values()) {
      com.fasterxml.jackson.databind.node.ObjectNode o = entries.addObject();
      o.put("path", e.imagePath());
      switch (e.kind()) {
        case DIRECTORY -> o.put("type", "directory");
        case SYMLINK -> o.put("type", "symlink").put("target", e.linkTarget());
        case FILE -> {
          o.put("type", "file");
          java.util.Optional<String> source = plan.sourceOf(e);
          if (source.isPresent()) {
            o.put("source", source.get());
          } else {
            o.put("generated", e.content().length);
          }
        }
      }
    }
    doc.set("root", Json.value(plan.rootConfig()));
    plan.notes().forEach(doc.putArray("notes")::add);
    plan.warnings().forEach(doc.putArray("warnings")::add);
    return Json.MAPPER.writeValueAsString(doc) + "\n";
  }
}
