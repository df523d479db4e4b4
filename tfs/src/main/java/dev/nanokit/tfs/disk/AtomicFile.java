package dev.nanokit.tfs.disk;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * A file written whole or not at all: the bytes go to a temporary file beside the target, which is
 * forced to disk and renamed over the target; on any failure the temporary file is removed and the
 * target is untouched (absent, or its old contents). A new file gets {@code rw-r--r--} (as a shell
 * with umask 022 creates it, not the temporary file's 0600); a replaced file keeps its permissions.
 */
public final class AtomicFile {
  /** Writes the content into the channel of the temporary file (opened for reading and writing). */
  public interface Content<R> {
    public R writeTo(FileChannel channel) throws IOException;
  }

  private AtomicFile() {}

  /** Writes {@code target} with {@code content}; returns what the content returned. */
  public static <R> R write(Path target, Content<R> content) throws IOException {
    Path out = target.toAbsolutePath().normalize();
    if (Files.isDirectory(out)) {
      throw new IOException(out + " is a directory");
    }
    Path dir = out.getParent();
    Temporary t = createTemporary(dir, "." + out.getFileName() + ".");
    Path tmp = t.path();
    boolean done = false;
    try {
      R result;
      try (FileChannel ch = t.channel()) {
        result = content.writeTo(ch);
        ch.force(true);
      }
      copyPermissions(out, tmp);
      Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      done = true;
      syncDirectory(dir);
      return result;
    } finally {
      if (!done) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // the original failure matters more
        }
      }
    }
  }

  /** A temporary file created for this write, open for reading and writing. */
  private record Temporary(Path path, FileChannel channel) {}

  /**
   * Creates {@code prefix + suffix + ".tmp"} in {@code dir}, owner-only where the file system has POSIX
   * permissions, trying another suffix while the name is taken. Unlike {@link Files#createTempFile},
   * it needs no {@link java.security.SecureRandom}, whose seeding was a fiftieth of a whole build: the
   * name need not be unguessable, since the file is created exclusively (never through a symlink
   * someone placed there), and it never reaches the image.
   */
  private static Temporary createTemporary(Path dir, String prefix) throws IOException {
    Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileAttribute<?>[] ownerOnly = dir.getFileSystem().supportedFileAttributeViews().contains("posix")
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
        : new FileAttribute<?>[0];
    long suffix = System.nanoTime();
    for (int attempt = 0; ; attempt++) {
      Path path = dir.resolve(prefix + Long.toUnsignedString(suffix + attempt, 36) + ".tmp");
      try {
        return new Temporary(path, FileChannel.open(path, options, ownerOnly));
      } catch (FileAlreadyExistsException taken) {
        if (attempt >= 100) {
          throw taken;
        }
      }
    }
  }

  private static void copyPermissions(Path target, Path tmp) {
    PosixFileAttributeView view = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
    if (view == null) {
      return;
    }
    try {
      view.setPermissions(Files.exists(target, LinkOption.NOFOLLOW_LINKS)
          ? Files.getPosixFilePermissions(target) : PosixFilePermissions.fromString("rw-r--r--"));
    } catch (IOException | UnsupportedOperationException ignored) {
      // the temporary file's own 0600 is a safe fallback
    }
  }

  private static void syncDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException | UnsupportedOperationException ignored) {
      // not every platform can open or sync a directory; the rename itself is done
    }
  }
}
