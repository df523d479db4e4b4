package dev.nanokit.cli;

import dev.nanokit.tfs.TfsExtent;
import dev.nanokit.tfs.TfsNode;
import dev.nanokit.tfs.TfsNodeType;
import dev.nanokit.tfs.TfsVolume;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tfs stat [--json] IMAGE PATH}: the node's type, size, extents, times and link target. */
@Command(name = "stat", mixinStandardHelpOptions = true, versionProvider = CommandRunner.Version.class,
    description = "Show a file's tuple: type, size, extents, mtime, atime and link target (symlinks are not followed).")
final class StatCommand extends ImageCommand {
  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Parameters(index = "1", paramLabel = "PATH")
  String path;

  @Override
  void run(TfsVolume volume) throws IOException {
    TfsNode node = lookup(volume, path, false);
    if (json) {
      ObjectNode o = Json.describe(node, node.path());
      o.remove("name");
      o.put("path", node.path());
      o.put("atime", node.atime().map(Object::toString).orElse(null));
      if (node.type() == TfsNodeType.FILE) {
        o.set("extents", Json.extents(node));
      }
      // Keep "path" first for readers of the text.
      ObjectNode ordered = Json.MAPPER.createObjectNode();
      ordered.put("path", node.path());
      o.fields().forEachRemaining(e -> {
        if (!e.getKey().equals("path")) {
          ordered.set(e.getKey(), e.getValue());
        }
      });
      out().println(Json.MAPPER.writeValueAsString(ordered));
      return;
    }
    PrintWriter out = out();
    out.println("path: " + node.path());
    out.println("type: " + Json.typeName(node.type()));
    out.println("size: " + node.size() + " bytes");
    out.println("mtime: " + node.mtime().map(Object::toString).orElse("-"));
    out.println("atime: " + node.atime().map(Object::toString).orElse("-"));
    if (node.type() == TfsNodeType.SYMLINK) {
      out.println("target: " + node.linkTarget());
    }
    if (node.type() == TfsNodeType.FILE) {
      // Extents count 512-byte blocks; each line also gives bytes, so nobody has to know that.
      out.println("extents: " + node.extents().size() + " (in 512-byte blocks)");
      for (TfsExtent x : node.extents()) {
        out.println("  file block " + x.fileBlock() + ": volume block " + x.offset() + " (byte offset "
            + x.offset() * 512 + "), " + x.length() + " blocks (" + x.length() * 512 + " bytes), " + x.allocated()
            + " allocated" + (x.uninited() ? ", uninitialized (reads as zeros)" : ""));
      }
    }
  }
}
