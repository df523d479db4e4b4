package dev.nanokit.cli;

import dev.nanokit.tfs.TfsNode;
import dev.nanokit.tfs.TfsNodeType;
import dev.nanokit.tfs.TfsVolume;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.IdentityHashMap;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code tfs cp [-r] IMAGE SRC... DEST}: copies out of the image without ever writing outside DEST.
 * Names the image could use to climb out (empty, {@code .}, {@code ..}, containing {@code /} or
 * NUL) are refused; symlinks are recreated, never followed; a file is created only where nothing
 * exists, so a pre-existing link cannot redirect the write.
 */
@Command(name = "cp", mixinStandardHelpOptions = true, versionProvider = CommandRunner.Version.class,
    description = {"Copy files or (with -r) trees out of the image to the host.",
        "Symlinks are recreated as symlinks; nothing is written outside DEST."})
final class CpCommand extends ImageCommand {
  @Option(names = {"-r", "-R", "--recursive"}, description = "Copy directories recursively.")
  boolean recursive;

  @Parameters(index = "1..*", paramLabel = "SRC... DEST", arity = "2..*")
  List<String> operands;

  @Override
  void run(TfsVolume volume) throws IOException {
    if (operands == null || operands.size() < 2) {
      throw new ParameterException(spec.commandLine(), "Missing required parameters: SRC... DEST");
    }
    List<String> sources = operands.subList(0, operands.size() - 1);
    Path dest = Path.of(operands.get(operands.size() - 1));
    boolean destIsDir = Files.isDirectory(dest);
    if (sources.size() > 1 && !destIsDir) {
      throw new CliFailure(dest + ": not a directory");
    }
    for (String src : sources) {
      TfsNode node = lookup(volume, src, false);
      if (node.type() == TfsNodeType.DIRECTORY && !recursive) {
        throw new CliFailure(image + ": " + node.path() + ": is a directory (use -r)");
      }
      Path target;
      if (destIsDir) {
        String name = node.path().equals("/") ? "" : node.name();
        target = name.isEmpty() ? dest : dest.resolve(checkedName(node, name));
      } else {
        target = dest;
      }
      copy(node, target, new IdentityHashMap<>());
    }
  }

  private void copy(TfsNode node, Path target, IdentityHashMap<Object, Boolean> onPath) throws IOException {
    switch (node.type()) {
      case DIRECTORY -> {
        if (onPath.put(node.tuple(), Boolean.TRUE) != null) {
          throw new CliFailure(image + ": " + node.path() + ": directory cycle");
        }
        if (Files.isSymbolicLink(target)) {
          throw new CliFailure(target + ": refusing to write through a symlink");
        }
        if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectory(target);
        }
        for (String name : node.childNames()) {
          TfsNode child = node.child(name).orElseThrow();
          copy(child, target.resolve(checkedName(child, name)), onPath);
        }
        onPath.remove(node.tuple());
        setMtime(node, target);
      }
      case SYMLINK -> {
        String linkTarget = node.linkTarget();
        if (linkTarget.indexOf('\0') >= 0 || linkTarget.isEmpty()) {
          throw new CliFailure(image + ": " + node.path() + ": invalid symlink target");
        }
        replaceableCheck(target);
        Files.createSymbolicLink(target, Path.of(linkTarget));
      }
      case FILE -> {
        replaceableCheck(target);
        try (InputStream in = node.newInputStream();
            OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS)) {
          in.transferTo(out);
        }
        setMtime(node, target);
      }
    }
  }

  /** Removes a file or link that a copy replaces; refuses to replace a directory. */
  private static void replaceableCheck(Path target) throws IOException {
    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new FileAlreadyExistsException(target.toString(), null, "is a directory");
    }
    Files.deleteIfExists(target);
  }

  private static void setMtime(TfsNode node, Path target) throws IOException {
    var mtime = node.mtime();
    if (mtime.isPresent()) {
      Files.setLastModifiedTime(target, FileTime.from(mtime.get()));
    }
  }

  private String checkedName(TfsNode node, String name) {
    if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
      throw new CliFailure(image + ": " + node.path() + ": refusing unsafe entry name \""
          + name.replace("\0", "\\0") + "\"");
    }
    return name;
  }
}
