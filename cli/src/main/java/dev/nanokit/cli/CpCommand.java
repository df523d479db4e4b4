package dev.nanokit.cli;

import dev.nanokit.manifest.Tuple;
import dev.nanokit.tfs.TfsExtent;
import dev.nanokit.tfs.TfsNode;
import dev.nanokit.tfs.TfsNodeType;
import dev.nanokit.tfs.TfsVolume;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
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
  /** TFS extents count 512-byte blocks (docs/formats/tfs.md, "6.3 Regular files"). */
  private static final int BLOCK_SIZE = 512;

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
        target = name.isEmpty() ? dest : dest.resolve(checkedName(node.path(), name));
      } else {
        target = dest;
      }
      copy(volume, node, target);
    }
  }

  /**
   * Copies {@code start} (and with -r everything below it) to {@code target}. Trees go through
   * {@link TfsVolume#walk}, so the depth limit and the refusal of directories with two names (which
   * would make a small image copy out exponentially many files) are the ones {@code find} applies.
   * A file tuple under several names is a hard link and is linked, not copied again.
   */
  private void copy(TfsVolume volume, TfsNode start, Path target) throws IOException {
    // Everything that can refuse the tree (shared or too deep directories, unsafe names, bad extents,
    // files over the size limit) is checked on the metadata first, so a refused tree writes nothing.
    volume.walk(start, node -> {
      switch (node.type()) {
        case DIRECTORY -> {
          for (String name : node.childNames()) {
            checkedName((node.path().equals("/") ? "/" : node.path() + "/") + name, name);
          }
        }
        case SYMLINK -> checkedLinkTarget(node);
        case FILE -> node.openChannel().close();
      }
    });
    int prefix = start.path().equals("/") ? 1 : start.path().length() + 1;
    List<TfsNode> directories = new ArrayList<>();
    List<Path> directoryTargets = new ArrayList<>();
    IdentityHashMap<Tuple, Path> copiedFiles = new IdentityHashMap<>();
    volume.walk(start, node -> {
      // The names were checked above, so a path's components are its names.
      Path to = node == start ? target : target.resolve(node.path().substring(prefix));
      switch (node.type()) {
        case DIRECTORY -> {
          if (Files.isSymbolicLink(to)) {
            throw new CliFailure(to + ": refusing to write through a symlink");
          }
          if (!Files.isDirectory(to, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectory(to);
          }
          directories.add(node);
          directoryTargets.add(to);
        }
        case SYMLINK -> {
          String linkTarget = checkedLinkTarget(node);
          replaceableCheck(to);
          Files.createSymbolicLink(to, Path.of(linkTarget));
        }
        case FILE -> {
          Path first = copiedFiles.putIfAbsent(node.tuple(), to);
          if (first == null || !link(first, to)) {
            copyFile(node, to);
          }
        }
      }
    });
    // Last, children first: creating entries in a directory changes its mtime.
    for (int i = directories.size() - 1; i >= 0; i--) {
      setMtime(directories.get(i), directoryTargets.get(i));
    }
  }

  private String checkedLinkTarget(TfsNode link) throws IOException {
    String linkTarget = link.linkTarget();
    if (linkTarget.indexOf('\0') >= 0 || linkTarget.isEmpty()) {
      throw new CliFailure(image + ": " + link.path() + ": invalid symlink target");
    }
    return linkTarget;
  }

  /** Links {@code to} to the copy already at {@code first}; false where the host has no hard links. */
  private static boolean link(Path first, Path to) throws IOException {
    replaceableCheck(to);
    try {
      Files.createLink(to, first);
      return true;
    } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
      return false;
    }
  }

  /**
   * Writes the file's extents at their offsets and leaves its holes as holes: a small volume may
   * claim a file of terabytes that is almost all hole, which writing zeros would turn into a full disk.
   */
  private void copyFile(TfsNode node, Path target) throws IOException {
    replaceableCheck(target);
    long size = node.size();
    try (SeekableByteChannel in = node.openChannel();
        FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS)) {
      ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
      for (TfsExtent x : node.extents()) {
        long from = x.fileBlock() * BLOCK_SIZE;
        if (from >= size) {
          break;
        }
        if (x.uninited()) {
          continue;
        }
        long to = Math.min(size, (x.fileBlock() + x.length()) * BLOCK_SIZE);
        in.position(from);
        for (long pos = from; pos < to; ) {
          buffer.clear().limit((int) Math.min(buffer.capacity(), to - pos));
          if (in.read(buffer) <= 0) {
            throw new CliFailure(image + ": " + node.path() + ": file ends before its extent at file block " + x.fileBlock());
          }
          buffer.flip();
          while (buffer.hasRemaining()) {
            pos += out.write(buffer, pos);
          }
        }
      }
      if (out.size() < size) {
        out.write(ByteBuffer.allocate(1), size - 1); // the length, without writing the hole
      }
    }
    setMtime(node, target);
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

  private String checkedName(String path, String name) {
    if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
      throw new CliFailure(image + ": " + path + ": refusing unsafe entry name \""
          + name.replace("\0", "\\0") + "\"");
    }
    return name;
  }
}
