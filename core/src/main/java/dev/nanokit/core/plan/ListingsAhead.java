package dev.nanokit.core.plan;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Host directories whose listing starts before the plan needs them, so that it goes on while the
 * program's libraries are resolved (most of what precedes the walk of a large {@code --dir}). The
 * planner takes a directory's listing when it walks that directory ({@link PlannerInputs#listingsAhead});
 * what it never takes, {@link #close} stops. Listing reads only names and attributes (and, with the
 * runtime check, the first bytes of files): nothing of the plan depends on when it happened.
 *
 * <p>Not thread-safe: one plan uses an instance, from one thread.
 */
public final class ListingsAhead implements AutoCloseable {
  private final Map<Path, HostDirectoryListing> byDirectory = new HashMap<>();
  private final boolean probeElf;
  /** Shared with every walk of the plan; null when no small file is kept. */
  private final AtomicLong smallFilesBudget;

  private ListingsAhead(boolean probeElf, boolean keepSmallFiles) {
    this.probeElf = probeElf;
    this.smallFilesBudget = probeElf && keepSmallFiles ? new AtomicLong(HostDirectoryListing.SMALL_FILES_KEPT_BYTES)
        : null;
  }

  /**
   * Starts listing each of {@code directories} that is a directory (not following a symlink at the end,
   * as the walk does not); the others are left to the planner, which reports them.
   *
   * @param probeElf whether the plan checks files for the ELF magic (runtime support)
   * @param keepSmallFiles whether the plan keeps small files read whole ({@link PlannerInputs#keepSmallFiles})
   */
  public static ListingsAhead start(List<Path> directories, boolean probeElf, boolean keepSmallFiles) {
    ListingsAhead ahead = new ListingsAhead(probeElf, keepSmallFiles);
    for (Path dir : directories) {
      if (!ahead.byDirectory.containsKey(dir) && Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        ahead.byDirectory.put(dir, HostDirectoryListing.start(dir, probeElf, ahead.smallFilesBudget));
      }
    }
    return ahead;
  }

  /** The listing started for {@code dir} with these settings, once; null if there is none. */
  HostDirectoryListing take(Path dir, boolean probeElf) {
    return probeElf == this.probeElf ? byDirectory.remove(dir) : null;
  }

  /** The small-file budget the listings share, which the plan's other walks must share too. */
  AtomicLong smallFilesBudget() {
    return smallFilesBudget;
  }

  /** Stops the listings no walk took. */
  @Override
  public void close() {
    byDirectory.values().forEach(HostDirectoryListing::close);
    byDirectory.clear();
  }
}
