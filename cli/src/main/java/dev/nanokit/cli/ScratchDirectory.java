package dev.nanokit.cli;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A temporary directory for what a build unpacks (package archives, container layers: up to tens of
 * thousands of files) that is removed when the build ends and also when the JVM is told to stop
 * (SIGTERM, SIGINT, SIGHUP run shutdown hooks); SIGKILL cannot be caught. Links inside are removed,
 * never followed. Thread-safe: {@link #close} and the shutdown hook may race, and both tolerate
 * entries that vanish under them.
 */
final class ScratchDirectory implements AutoCloseable {
  private final Path dir;
  private final Thread hook;

  private ScratchDirectory(Path dir) {
    this.dir = dir;
    this.hook = new Thread(this::deleteQuietly, "mkimage-scratch-cleanup");
  }

  /** Creates a directory under the temp directory and arranges its removal on termination. */
  static ScratchDirectory create() throws IOException {
    ScratchDirectory s = new ScratchDirectory(Files.createTempDirectory("nanokit-mkimage-"));
    Runtime.getRuntime().addShutdownHook(s.hook);
    return s;
  }

  Path path() {
    return dir;
  }

  /** Removes the directory now and forgets the shutdown hook. */
  @Override
  public void close() throws IOException {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running or about to: it removes the directory.
    }
    delete();
  }

  private void deleteQuietly() {
    // The build thread may still be writing into it while the JVM stops; a few passes catch up.
    for (int pass = 0; pass < 3; pass++) {
      try {
        delete();
        return;
      } catch (IOException e) {
        // try again
      }
    }
  }

  private synchronized void delete() throws IOException {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        deleteIfPresent(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        if (e instanceof NoSuchFileException) {
          return FileVisitResult.CONTINUE;
        }
        throw e;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        if (e != null && !(e instanceof NoSuchFileException)) {
          throw e;
        }
        deleteIfPresent(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  private static void deleteIfPresent(Path p) throws IOException {
    Files.deleteIfExists(p);
  }
}
