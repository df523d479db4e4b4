package dev.nanokit.cli;

import dev.nanokit.tfs.TfsNode;
import dev.nanokit.tfs.TfsNodeType;
import dev.nanokit.tfs.TfsVolume;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tfs ls [-l] [-a] [--json] IMAGE [PATH]} (docs/cli). */
@Command(name = "ls", mixinStandardHelpOptions = true, versionProvider = CommandRunner.Version.class,
    description = {"List a directory (default /), one name per line, sorted by UTF-8 bytes.",
        "-l prints TYPE SIZE MTIME NAME, with ' -> TARGET' for symlinks; MTIME is ISO-8601 UTC or '-'."})
final class LsCommand extends ImageCommand {
  @Option(names = "-l", description = "Long form: type, size, mtime, name and symlink target.")
  boolean longForm;

  @Option(names = "-a", description = "Include names that start with '.'.")
  boolean all;

  @Option(names = "--json", description = "Print one JSON array instead of text.")
  boolean json;

  @Parameters(index = "1", paramLabel = "PATH", defaultValue = "/", arity = "0..1")
  String path;

  @Override
  void run(TfsVolume volume) throws IOException {
    TfsNode node = lookup(volume, path, !longForm || path.endsWith("/"));
    List<TfsNode> entries = node.type() == TfsNodeType.DIRECTORY ? node.children() : List.of(node);
    if (json) {
      ArrayNode array = Json.MAPPER.createArrayNode();
      for (TfsNode e : entries) {
        if (all || !e.name().startsWith(".")) {
          array.add(Json.describe(e, node.type() == TfsNodeType.DIRECTORY ? e.name() : e.path()));
        }
      }
      out().println(Json.MAPPER.writeValueAsString(array));
      return;
    }
    for (TfsNode e : entries) {
      if (!all && e.name().startsWith(".")) {
        continue;
      }
      String name = node.type() == TfsNodeType.DIRECTORY ? e.name() : e.path();
      if (!longForm) {
        out().println(name);
        continue;
      }
      StringBuilder sb = new StringBuilder();
      sb.append(e.type().letter()).append(' ').append(e.size()).append(' ')
          .append(e.mtime().map(Object::toString).orElse("-")).append(' ').append(name);
      if (e.type() == TfsNodeType.SYMLINK) {
        sb.append(" -> ").append(e.linkTarget());
      }
      out().println(sb);
    }
  }
}
