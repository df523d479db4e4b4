package dev.nanokit.core.plan;

import dev.nanokit.core.ImagePlan;
import dev.nanokit.elf.ElfFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryIteratorException;
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
import java.util.concurrent.atomic.AtomicLong;

/**
 * A host directory tree listed on two threads while the planner walks it: each directory's entries in
 * {@link ImagePlan#PATH_ORDER}, with what the walk asks of each — its attributes (not following links),
 * a symlink's target and whether it resolves, and, when asked for, whether a regular file starts with
 * the ELF magic. That is two to four system calls per entry, most of the time planning a large
 * {@code --dir} takes. The planner walks in its own order, waiting only for a directory not listed yet,
 * and meets a failure exactly where a walk of the host would have.
 *
 * <p>{@link #start} begins listing; {@link #close} stops what is still being listed. One walk uses an
 * instance, from one thread; each {@link Directory} it hands out is complete and immutable.
 */
final class HostDirectoryListing implements AutoCloseable {
  private static final int THREADS = 2;
  /**
   * A regular file of at most this many bytes is read whole when it is checked for the ELF magic, and
   * kept when asked for ({@link Entry#content}): reading it takes the same system calls as reading its
   * first four bytes, and its copy into the image then opens it no second time.
   */
  static final int SMALL_FILE_BYTES = 4096;
  /**
   * The most bytes of small files one plan keeps: enough for the 9,000 small files of a 12,000-file tree,
   * and no more than that however large the tree (its peak memory is that of the largest builds).
   */
  static final long SMALL_FILES_KEPT_BYTES = 8L << 20;

  private final ForkJoinPool pool = new ForkJoinPool(THREADS);
  private final Task root;

  private HostDirectoryListing(Path dir, boolean probeElf, AtomicLong keepBudget) {
    root = new Task(dir, probeElf, keepBudget);
    pool.execute(root);
  }

  /**
   * Starts listing {@code dir} and every directory under it (symlinks are not followed); with
   * {@code probeElf}, each regular file is also checked for the ELF magic, and when
   * {@code keepBudget} is not null, a file of at most {@link #SMALL_FILE_BYTES} is read whole and its
   * bytes kept while the budget, which the walks of one plan share, lasts.
   */
  static HostDirectoryListing start(Path dir, boolean probeElf, AtomicLong keepBudget) {
    return new HostDirectoryListing(dir, probeElf, keepBudget);
  }

  /** The listing of the directory given to {@link #start} (waiting until it is listed), to be taken once. */
  Directory root() {
    return root.listing();
  }

  /** Stops listing; directories not listed yet are abandoned. */
  @Override
  public void close() {
    pool.shutdownNow();
  }

  /** One directory: its entries, and what stopped reading it, if anything. */
  static final class Directory {
    private final Path dir;
    private final List<Entry> entries;
    /** Met reading the directory ({@link #listFailure}) or the entry after the last of {@link #entries}. */
    private final IOException failure;
    private final boolean listFailure;

    private Directory(Path dir, List<Entry> entries, IOException failure, boolean listFailure) {
      this.dir = dir;
      this.entries = entries;
      this.failure = failure;
      this.listFailure = listFailure;
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
  }

  /** What an entry is, not following links. */
  enum Kind {
    DIRECTORY,
    FILE,
    SYMLINK,
    /** A device, FIFO or socket. */
    OTHER;

    static Kind of(BasicFileAttributes a) {
      return a.isSymbolicLink() ? SYMLINK : a.isDirectory() ? DIRECTORY : a.isRegularFile() ? FILE : OTHER;
    }
  }

  /**
   * One entry of a directory: only what the walk asks (a tree listed ahead of a slower walk is held
   * whole, 200,000 entries for a large one). {@code size} is a regular file's length. {@code elfProbe}
   * is, for a regular file when probing was asked for, {@link Boolean#TRUE} if it starts with the ELF
   * magic, {@link Boolean#FALSE} if not, or the {@link IOException} reading it met; otherwise null.
   * {@code content} is the whole file, exactly {@code size} bytes, when it was read and kept; otherwise
   * null (never changed once listed).
   */
  record Entry(String name, Path host, Kind kind, long size, String linkTarget, boolean linkResolves,
      IOException linkFailure, Task subdirectory, Object elfProbe, byte[] content) {
    /** A symlink's target; throws what reading it met. */
    String target() throws IOException {
      if (linkFailure != null) {
        throw linkFailure;
      }
      return linkTarget;
    }

    /**
     * The listing of this subdirectory (waiting until it is listed), to be taken once; null if this is
     * no directory.
     */
    Directory directory() {
      return subdirectory == null ? null : subdirectory.listing();
    }
  }

  /** Lists one directory; its subdirectories become tasks of their own, joined when the walk reaches them. */
  static final class Task extends RecursiveAction {
    private final Path dir;
    private final boolean probeElf;
    private final AtomicLong keepBudget;
    private Directory result;

    private Task(Path dir, boolean probeElf, AtomicLong keepBudget) {
      this.dir = dir;
      this.probeElf = probeElf;
      this.keepBudget = keepBudget;
    }

    /** The listing, once; it is then the walk's alone, so what the walk is done with can be collected. */
    Directory listing() {
      join();
      Directory listed = result;
      result = null;
      return listed;
    }

    @Override
    protected void compute() {
      TreeMap<String, Path> names = new TreeMap<>(ImagePlan.PATH_ORDER);
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
        for (Path p : ds) {
          names.put(p.getFileName().toString(), p);
        }
      } catch (IOException e) {
        result = new Directory(dir, List.of(), e, true);
        return;
      } catch (DirectoryIteratorException e) {
        result = new Directory(dir, List.of(), e.getCause(), true);
        return;
      }
      List<Entry> entries = new ArrayList<>(names.size());
      IOException failure = null;
      for (Map.Entry<String, Path> n : names.entrySet()) {
        Path host = n.getValue();
        try {
          BasicFileAttributes a = Files.readAttributes(host, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
          String target = null;
          boolean resolves = false;
          IOException linkFailure = null;
          Task sub = null;
          Object elf = null;
          byte[] content = null;
          if (a.isSymbolicLink()) {
            try {
              target = Files.readSymbolicLink(host).toString();
              resolves = Files.exists(host);
            } catch (IOException e) {
              linkFailure = e; // thrown only if the walk takes this link
            }
          } else if (a.isDirectory()) {
            sub = new Task(host, probeElf, keepBudget);
            sub.fork();
          } else if (probeElf && a.isRegularFile()) {
            if (keepBudget != null && a.size() <= SMALL_FILE_BYTES && reserve(keepBudget, a.size())) {
              Object read = readWhole(host, (int) a.size());
              if (read instanceof byte[] bytes) {
                content = bytes;
                elf = ElfFile.hasElfMagic(bytes);
              } else {
                elf = read;
              }
            } else {
              elf = probe(host);
            }
          }
          // A file's path stays in the plan for the whole build: a fresh one, without what using this one
          // cached in it (its name offsets and, once opened, its text: 150 bytes a file, 30 MB for 200,000).
          Path kept = a.isRegularFile() ? dir.resolve(host.getFileName()) : host;
          entries.add(new Entry(n.getKey(), kept, Kind.of(a), a.isRegularFile() ? a.size() : 0, target, resolves,
              linkFailure, sub, elf, content));
        } catch (IOException e) {
          failure = e;
          break;
        }
      }
      result = new Directory(dir, List.copyOf(entries), failure, false);
    }

    /** Takes {@code bytes} from what is left of {@code budget}, if that much is left. */
    private static boolean reserve(AtomicLong budget, long bytes) {
      long left;
      do {
        left = budget.get();
        if (left < bytes) {
          return false;
        }
      } while (!budget.compareAndSet(left, left - bytes));
      return true;
    }

    /**
     * The file's bytes if it has exactly {@code size} of them; if its size has changed since it was
     * listed, what {@link #probe} finds (it is then copied from the host when the image is written, and
     * fails there if its size still differs); or the {@link IOException} reading it met.
     */
    private static Object readWhole(Path host, int size) {
      try (InputStream in = Files.newInputStream(host)) {
        byte[] bytes = new byte[size];
        int n = in.readNBytes(bytes, 0, size);
        return n == size && in.read() < 0 ? bytes : probe(host);
      } catch (IOException e) {
        return e;
      }
    }

    private static Object probe(Path host) {
      try {
        return ElfFile.hasElfMagic(host);
      } catch (IOException e) {
        return e;
      }
    }
  }
}
