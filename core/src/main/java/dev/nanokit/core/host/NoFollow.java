package dev.nanokit.core.host;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The host filesystem as unpacked archives and scratch directories must be handled: a symlink is an
 * entry of its own, never followed, so what an archive's links say cannot lead a look-up or a deletion
 * anywhere else.
 */
public final class NoFollow {
  private NoFollow() {}

  /** File attributes without following a symlink; null if nothing is there. */
  public static BasicFileAttributes lstat(Path p) throws IOException {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException absent) {
      return null;
    }
  }

  /** Deletes whatever is at {@code p} and, for a directory, all under it; nothing if nothing is there. */
  public static void delete(Path p) throws IOException {
    remove(p, lstat(p));
  }

  /** Deletes {@code p} (described by {@code a}; nothing if null) and, for a directory, all under it. */
  public static void remove(Path p, BasicFileAttributes a) throws IOException {
    if (a == null) {
      return;
    }
    if (!a.isDirectory()) {
      Files.delete(p);
      return;
    }
    // walkFileTree does not follow symlinks unless asked: links inside are deleted, not their targets.
    Files.walkFileTree(p, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
        if (failure != null) {
          throw failure;
        }
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
