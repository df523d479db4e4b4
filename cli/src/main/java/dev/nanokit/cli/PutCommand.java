package dev.nanokit.cli;

import dev.nanokit.tfs.TfsEditor;
import dev.nanokit.tfs.TfsNode;
import dev.nanokit.tfs.TfsNodeType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code tfs put IMAGE HOSTPATH... DEST}: copy host files or trees into the image (docs/cli). */
@Command(name = "put", mixinStandardHelpOptions = true, versionProvider = CommandRunner.Version.class,
    description = {"Copy host files or directory trees into the image, appending to its log as the kernel does.",
        "If DEST is a directory in the image, each HOSTPATH goes inside it under its own name;",
        "otherwise the single HOSTPATH is stored as DEST. Host symlinks are stored as symlinks (a warning",
        "names each whose target is not in the image); -L stores what they point to instead."})
final class PutCommand extends EditCommand {

  @Option(names = {"-L", "--dereference"}, description = "Follow host symlinks: store the file or tree each points to.")
  boolean dereference;

  @Parameters(index = "1..*", paramLabel = "HOSTPATH... DEST", arity = "2..*")
  List<String> operands;

  @Override
  void edit(TfsEditor editor) throws IOException {
    if (operands == null || operands.size() < 2) {
      throw new ParameterException(spec.commandLine(), "Missing required parameters: HOSTPATH... DEST");
    }
    List<String> sources = operands.subList(0, operands.size() - 1);
    String dest = ImageCommand.absolute(operands.get(operands.size() - 1));
    Optional<TfsNode> target = editor.volume().lookup(dest, true);
    boolean intoDirectory = target.isPresent() && target.get().type() == TfsNodeType.DIRECTORY;
    if (sources.size() > 1 && !intoDirectory) {
      throw new CliFailure(image + ": " + dest + ": not a directory");
    }
    for (String s : sources) {
      Path host = Path.of(s);
      if (!Files.exists(host, LinkOption.NOFOLLOW_LINKS)) {
        throw new NoSuchFileException(s, null, "no such file or directory");
      }
      String name = host.toAbsolutePath().normalize().getFileName() == null
          ? "" : host.toAbsolutePath().normalize().getFileName().toString();
      String path = intoDirectory ? join(target.get().path(), name) : dest;
      editor.put(host, path, dereference);
      stored.put(path, host);
    }
    if (!dereference) {
      warnAboutDanglingLinks(editor);
    }
  }

  private final java.util.Map<String, Path> stored = new java.util.LinkedHashMap<>();

  /**
   * A host symlink is stored with its literal target, which resolves in the image, not on the host:
   * each that leads nowhere there (the edit already applied to the editor's view) gets one line.
   */
  private void warnAboutDanglingLinks(TfsEditor editor) throws IOException {
    for (java.util.Map.Entry<String, Path> e : stored.entrySet()) {
      List<Path> links;
      try (java.util.stream.Stream<Path> walk = Files.walk(e.getValue())) {
        links = walk.filter(Files::isSymbolicLink).sorted().toList();
      }
      for (Path link : links) {
        String rel = e.getValue().relativize(link).toString();
        String imagePath = rel.isEmpty() ? e.getKey() : join(e.getKey(), rel);
        if (!resolves(editor, imagePath)) {
          spec.commandLine().getErr().println("tfs: warning: " + image + ": " + imagePath + " -> "
              + Files.readSymbolicLink(link) + ": the target is not in the image (-L stores what it points to)");
        }
      }
    }
  }

  private static boolean resolves(TfsEditor editor, String imagePath) {
    try {
      return editor.volume().lookup(imagePath, true).isPresent();
    } catch (dev.nanokit.tfs.TfsFormatException loopOrNotADirectory) {
      return false;
    }
  }

  private static String join(String dir, String name) {
    return dir.equals("/") ? "/" + name : dir + "/" + name;
  }
}
