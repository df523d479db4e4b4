package dev.nanokit.cli;

import dev.nanokit.tfs.TfsNode;
import dev.nanokit.tfs.TfsNodeType;
import dev.nanokit.tfs.TfsVolume;
import java.io.IOException;
import java.util.IdentityHashMap;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code tfs tree IMAGE [PATH]}: an indented tree, entries in UTF-8 byte order. */
@Command(name = "tree", mixinStandardHelpOptions = true, versionProvider = CommandRunner.Version.class,
    description = "Print PATH (default /) and everything under it as an indented tree.")
final class TreeCommand extends ImageCommand {

  @Parameters(index = "1", paramLabel = "PATH", defaultValue = "/", arity = "0..1")
  String path;

  @Override
  void run(TfsVolume volume) throws IOException {
    TfsNode start = lookup(volume, path, true);
    // The walk refuses a directory with two names and nesting beyond the limit, which would make
    // the recursion below print exponentially many lines or overflow the stack.
    volume.walk(start, node -> { });
    out().println(start.path());
    print(start, "", new IdentityHashMap<>());
  }

  private void print(TfsNode dir, String indent, IdentityHashMap<Object, Boolean> onPath) throws IOException {
    if (dir.type() != TfsNodeType.DIRECTORY) {
      return;
    }
    if (onPath.put(dir.tuple(), Boolean.TRUE) != null) {
      throw new CliFailure(image + ": " + dir.path() + ": directory cycle");
    }
    List<TfsNode> children = dir.children();
    for (int i = 0; i < children.size(); i++) {
      TfsNode c = children.get(i);
      boolean last = i == children.size() - 1;
      StringBuilder line = new StringBuilder(indent).append(last ? "└── " : "├── ").append(c.name());
      if (c.type() == TfsNodeType.SYMLINK) {
        line.append(" -> ").append(c.linkTarget());
      } else if (c.type() == TfsNodeType.DIRECTORY) {
        line.append('/');
      }
      out().println(line);
      print(c, indent + (last ? "    " : "│   "), onPath);
    }
    onPath.remove(dir.tuple());
  }
}
