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
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code tfs put IMAGE HOSTPATH... DEST}: copy host files or trees into the image (docs/cli). */
@Command(name = "put", mixinStandardHelpOptions = true, versionProvider = CommandRunner.Version.class,
    description = {"Copy host files or directory trees into the image, appending to its log as the kernel does.",
        "If DEST is a directory in the image, each HOSTPATH goes inside it under its own name;",
        "otherwise the single HOSTPATH is stored as DEST. Host symlinks are stored as symlinks."})
final class PutCommand extends EditCommand {

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
      editor.put(host, path);
    }
  }

  private static String join(String dir, String name) {
    return dir.equals("/") ? "/" + name : dir + "/" + name;
  }
}
