package dev.nanokit.testing.manifest;

import java.util.Random;
import java.util.function.BiConsumer;

/**
 * Seeded randomized cases for property tests. Runs a fixed list of seeds plus one fresh seed per
 * run; a failing case is rethrown with its seed and case number so it can be replayed with
 * {@code -Dnanokit.seed=SEED}.
 */
public final class RandomCases {
  private static final long[] FIXED_SEEDS = {1L, 42L, 0x5eedL};

  private RandomCases() {}

  /** Runs {@code cases} cases per seed; each case gets its own {@link Random} and its index. */
  public static void run(String name, int cases, BiConsumer<Random, Integer> body) {
    if (Boolean.getBoolean("nanokit.pit")) {
      cases = Math.max(1, cases / 10); // mutation testing runs the suite once per mutant
    }
    String pinned = System.getProperty("nanokit.seed");
    long[] seeds;
    if (pinned != null) {
      seeds = new long[] {Long.decode(pinned)};
    } else {
      seeds = java.util.Arrays.copyOf(FIXED_SEEDS, FIXED_SEEDS.length + 1);
      seeds[FIXED_SEEDS.length] = System.nanoTime() ^ Thread.currentThread().getId();
      System.out.println("[RandomCases] " + name + ": fresh seed " + seeds[FIXED_SEEDS.length]);
    }
    int run = 0;
    for (long seed : seeds) {
      Random master = new Random(seed);
      for (int i = 0; i < cases; i++) {
        long caseSeed = master.nextLong();
        try {
          body.accept(new Random(caseSeed), i);
        } catch (AssertionError | RuntimeException e) {
          throw new AssertionError(
              name + " failed for seed " + seed + " case " + i + " (case seed " + caseSeed
                  + "; replay with -Dnanokit.seed=" + seed + "): " + e, e);
        }
        run++;
      }
    }
    System.out.println("[RandomCases] " + name + ": " + run + " cases passed");
  }
}
