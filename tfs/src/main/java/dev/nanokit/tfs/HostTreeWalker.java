package dev.nanokit.tfs;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * Lists a host directory tree into writer nodes ({@link TfsWriter#addTree}): directories, regular
 * files (length and where to read them later) and symlinks with their literal targets. Listing is
 * one {@code lstat} per entry — most of the time of a build before any byte is copied — so
 * subdirectories are listed on two threads. The result does not depend on that: entries go into
 * name-ordered maps, and a failure is the one a walk in listing order would meet first.
 *
 * <p>Not thread-safe: one walk per instance.
 */
final class HostTreeWalker {
  private static final int THREADS = 2;

  private HostTreeWalker() {}

  /** The tree under {@code dir}, whose own attributes are {@code attrs}. */
  static TfsWriterTree.Dir walk(Path dir, BasicFileAttributes attrs) throws IOException {
    ForkJoinPool pool = new ForkJoinPool(THREADS);
    try {
      Listing root = new Listing(dir, attrs);
      pool.invoke(root);
      return root.result();
    } finally {
      pool.shutdownNow();
    }
  }

  /** One directory: its entries, with subdirectories listed as subtasks. */
  private static final class Listing extends RecursiveAction {
    private final Path dir;
    private final BasicFileAttributes attrs;
    private TfsWriterTree.Dir node;
    /** What stopped this listing, if anything: an IOException or a RuntimeException, as thrown. */
    private Exception failure;

    Listing(Path dir, BasicFileAttributes attrs) {
      this.dir = dir;
      this.attrs = attrs;
    }

    @Override
    protected void compute() {
      TfsWriterTree.Dir d = new TfsWriterTree.Dir();
      d.hostTime = attrs.lastModifiedTime();
      List<Listing> subdirectories = new ArrayList<>();
      List<String> names = new ArrayList<>();
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
        for (Path p : entries) {
          String name = p.getFileName().toString();
          TfsWriterTree.checkName(name, dir.toString());
          BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
          TfsWriterTree.Node n;
          if (a.isSymbolicLink()) {
            n = new TfsWriterTree.Symlink(Files.readSymbolicLink(p).toString());
          } else if (a.isDirectory()) {
            Listing sub = new Listing(p, a);
            sub.fork();
            subdirectories.add(sub);
            names.add(name);
            continue;
          } else if (a.isRegularFile()) {
            n = new TfsWriterTree.File(a.size(), TfsWriterTree.hostFile(dir, name));
          } else {
            throw new IOException(p + ": not a regular file, directory or symlink (TFS stores no devices, FIFOs or sockets)");
          }
          n.hostTime = a.lastModifiedTime();
          d.children.put(name, n);
        }
      } catch (IOException | RuntimeException e) {
        failure = e;
      }
      // Subdirectories listed before the failure (if any) come first in listing order: a failure in
      // one of them is what a one-thread walk would have met first.
      for (int i = 0; i < subdirectories.size(); i++) {
        Listing sub = subdirectories.get(i);
        sub.join();
        if (sub.failure != null) {
          failure = sub.failure;
          break;
        }
        d.children.put(names.get(i), sub.node);
      }
      node = d;
    }

    TfsWriterTree.Dir result() throws IOException {
      if (failure instanceof IOException e) {
        throw e;
      } else if (failure instanceof RuntimeException e) {
        throw e;
      }
      return node;
    }
  }
}
