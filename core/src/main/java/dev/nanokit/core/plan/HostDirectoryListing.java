package dev.nanokit.core.plan;

import dev.nanokit.core.ImagePlan;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * A host directory tree listed ahead of the planner's walk, on all processors: each directory's
 * entries in {@link ImagePlan#PATH_ORDER}, with what the walk asks of each — its attributes (not
 * following links), a symlink's target and whether it resolves. Listing is one or two system calls
 * per entry, most of the time planning a large {@code --dir} takes; the planner then walks this in
 * its own order and meets a failure exactly where a walk of the host would have.
 *
 * <p>Immutable once {@link #of} returns; not shared between threads after that.
 */
final class HostDirectoryListing {
  /** One entry of a directory. */
  record Entry(String name, Path host, BasicFileAttributes attributes, String linkTarget, boolean linkResolves,
      IOException linkFailure, HostDirectoryListing directory) {
    /** A symlink's target; throws what reading it met. */
    String target() throws IOException {
      if (linkFailure != null) {
        throw linkFailure;
      }
      return linkTarget;
    }
  }

  private final Path dir;
  private final List<Entry> entries;
  /** Met reading the directory ({@link #listFailure}) or the entry after the last of {@link #entries}. */
  private final IOException failure;
  private final boolean listFailure;

  private HostDirectoryListing(Path dir, List<Entry> entries, IOException failure, boolean listFailure) {
    this.dir = dir;
    this.entries = entries;
    this.failure = failure;
    this.listFailure = listFailure;
  }

  /** Lists {@code dir} and every directory under it (symlinks are not followed). */
  static HostDirectoryListing of(Path dir) {
    ForkJoinPool pool = ForkJoinPool.commonPool();
    Task root = new Task(dir);
    pool.invoke(root);
    return root.result;
  }

  Path dir() {
    return dir;
  }

  /** The entries read before any failure, in name order. */
  List<Entry> entries() {
    return entries;
  }

  /**
   * Throws what reading the directory met, if it could not be read ({@code true} from
   * {@link #unreadable}) or when an entry's attributes could not be read (after {@link #entries}).
   */
  void rethrow() throws IOException {
    if (failure != null) {
      throw failure;
    }
  }

  /** Whether the directory itself could not be listed (then {@link #entries} is empty). */
  boolean unreadable() {
    return listFailure;
  }

  private static final class Task extends RecursiveAction {
    private final Path dir;
    private HostDirectoryListing result;

    Task(Path dir) {
      this.dir = dir;
    }

    @Override
    protected void compute() {
      TreeMap<String, Path> names = new TreeMap<>(ImagePlan.PATH_ORDER);
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
        for (Path p : ds) {
          names.put(p.getFileName().toString(), p);
        }
      } catch (IOException e) {
        result = new HostDirectoryListing(dir, List.of(), e, true);
        return;
      }
      List<Object[]> rows = new ArrayList<>();
      IOException failure = null;
      for (Map.Entry<String, Path> n : names.entrySet()) {
        Path host = n.getValue();
        try {
          BasicFileAttributes a = Files.readAttributes(host, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
          String target = null;
          boolean resolves = false;
          IOException linkFailure = null;
          Task sub = null;
          if (a.isSymbolicLink()) {
            try {
              target = Files.readSymbolicLink(host).toString();
              resolves = Files.exists(host);
            } catch (IOException e) {
              linkFailure = e; // thrown only if the walk takes this link
            }
          } else if (a.isDirectory()) {
            sub = new Task(host);
            sub.fork();
          }
          rows.add(new Object[] {n.getKey(), host, a, target, resolves, linkFailure, sub});
        } catch (IOException e) {
          failure = e;
          break;
        }
      }
      List<Entry> entries = new ArrayList<>(rows.size());
      for (Object[] r : rows) {
        Task sub = (Task) r[6];
        if (sub != null) {
          sub.join();
        }
        entries.add(new Entry((String) r[0], (Path) r[1], (BasicFileAttributes) r[2], (String) r[3], (Boolean) r[4],
            (IOException) r[5], sub == null ? null : sub.result));
      }
      result = new HostDirectoryListing(dir, List.copyOf(entries), failure, false);
    }
  }
}
