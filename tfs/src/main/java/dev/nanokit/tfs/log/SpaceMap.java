package dev.nanokit.tfs.log;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Free blocks of a volume, derived as the kernel derives them on mount (docs/formats/tfs.md, "1 Big picture", "7.1 Block usage rules"): every block
 * that is neither in a log extension nor in an extent's allocated range is free. Allocation is first
 * fit, like the kernel's allocator.
 */
public final class SpaceMap {
  /** Free runs: start block → end block (exclusive). */
  private final TreeMap<Long, Long> free = new TreeMap<>();

  private SpaceMap() {}

  /** {@code used} holds {start, end} block ranges; they may overlap. */
  public static SpaceMap of(long totalBlocks, List<long[]> used) {
    long[][] sorted = used.toArray(new long[0][]);
    Arrays.sort(sorted, (a, b) -> Long.compare(a[0], b[0]));
    SpaceMap map = new SpaceMap();
    long next = 0;
    for (long[] r : sorted) {
      if (r[0] > next) {
        map.free.put(next, Math.min(r[0], totalBlocks));
      }
      next = Math.max(next, r[1]);
    }
    if (next < totalBlocks) {
      map.free.put(next, totalBlocks);
    }
    map.free.entrySet().removeIf(e -> e.getValue() <= e.getKey());
    return map;
  }

  public long freeBlocks() {
    long n = 0;
    for (Map.Entry<Long, Long> e : free.entrySet()) {
      n += e.getValue() - e.getKey();
    }
    return n;
  }

  /** The first free run of at least {@code blocks}, taken; -1 if there is none. */
  public long allocateContiguous(long blocks) {
    for (Map.Entry<Long, Long> e : free.entrySet()) {
      if (e.getValue() - e.getKey() >= blocks) {
        long start = e.getKey();
        take(start, blocks, e.getValue());
        return start;
      }
    }
    return -1;
  }

  /**
   * {@code blocks} blocks as few runs as first fit gives, each at most {@code maxRun} long: a file
   * too large for any one gap spreads over several extents. Null if there is not enough space.
   */
  public List<long[]> allocate(long blocks, long maxRun) {
    if (blocks > freeBlocks()) {
      return null;
    }
    long whole = Math.min(blocks, maxRun);
    List<long[]> runs = new ArrayList<>();
    long left = blocks;
    // Prefer one contiguous run per extent-sized piece; fall back to filling gaps in order.
    while (left > 0) {
      long want = Math.min(left, whole);
      long start = allocateContiguous(want);
      if (start >= 0) {
        runs.add(new long[] {start, want});
        left -= want;
        continue;
      }
      Map.Entry<Long, Long> first = free.firstEntry();
      long n = Math.min(want, first.getValue() - first.getKey());
      take(first.getKey(), n, first.getValue());
      runs.add(new long[] {first.getKey(), n});
      left -= n;
    }
    return runs;
  }

  private void take(long start, long blocks, long end) {
    free.remove(start);
    if (start + blocks < end) {
      free.put(start + blocks, end);
    }
  }
}
