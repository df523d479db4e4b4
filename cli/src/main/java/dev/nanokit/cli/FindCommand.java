package dev.nanokit.cli;

import dev.nanokit.tfs.TfsNode;
import dev.nanokit.tfs.TfsNodeType;
import dev.nanokit.tfs.TfsVolume;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tfs find [-l] IMAGE [PATH]}: every path at and under PATH, sorted by UTF-8 bytes (docs/cli). */
@Command(name = "find", mixinStandardHelpOptions = true, versionProvider = CommandRunner.Version.class,
    description = {"Print every path at and under PATH (default /), one per line, sorted by UTF-8 bytes.",
        "With -l each line is TYPE SIZE PATH (TYPE d, f or l; SIZE 0 for d and l),",
        "and symlinks end with ' -> TARGET'."})
final class FindCommand extends ImageCommand {
  @Option(names = "-l", description = "Long form: TYPE SIZE PATH [-> TARGET].")
  boolean longForm;

  @Option(names = "--json", description = "One JSON array of {path, type, size[, target]}, in the same order.")
  boolean json;

  @Parameters(index = "1", paramLabel = "PATH", defaultValue = "/", arity = "0..1")
  String path;

  @Override
  void run(TfsVolume volume) throws IOException {
    TfsNode start = lookup(volume, path, false);
    if (json) {
      printJson(volume, start);
      return;
    }
    List<String[]> rows = new ArrayList<>();
    volume.walk(start, node -> {
      String line;
      if (longForm) {
        StringBuilder sb = new StringBuilder();
        sb.append(node.type().letter()).append(' ').append(node.size()).append(' ').append(node.path());
        if (node.type() == TfsNodeType.SYMLINK) {
          sb.append(" -> ").append(node.linkTarget());
        }
        line = sb.toString();
      } else {
        line = node.path();
      }
      rows.add(new String[] {node.path(), line});
    });
    // A walk lists /a/b before /a-b; byte order puts '-' (0x2d) before '/' (0x2f).
    rows.sort((a, b) -> TfsNode.NAME_ORDER.compare(a[0], b[0]));
    // One string per 64 Ki characters rather than a println per line: each println is a trip through
    // the writer's encoder, which cost more than building the lines.
    PrintWriter out = out();
    String newline = System.lineSeparator();
    StringBuilder chunk = new StringBuilder(1 << 17);
    for (String[] row : rows) {
      chunk.append(row[1]).append(newline);
      if (chunk.length() >= 1 << 16) {
        out.write(chunk.toString());
        chunk.setLength(0);
      }
    }
    out.write(chunk.toString());
  }

  private void printJson(TfsVolume volume, TfsNode start) throws IOException {
    java.util.TreeMap<String, com.fasterxml.jackson.databind.node.ObjectNode> rows = new java.util.TreeMap<>(TfsNode.NAME_ORDER);
    volume.walk(start, node -> {
      com.fasterxml.jackson.databind.node.ObjectNode o = Json.MAPPER.createObjectNode();
      o.put("path", node.path());
      o.put("type", Json.typeName(node.type()));
      o.put("size", node.size());
      if (node.type() == TfsNodeType.SYMLINK) {
        o.put("target", node.linkTarget());
      }
      rows.put(node.path(), o);
    });
    com.fasterxml.jackson.databind.node.ArrayNode array = Json.MAPPER.createArrayNode();
    rows.values().forEach(array::add);
    out().println(Json.MAPPER.writeValueAsString(array));
  }
}
