package dev.nanokit.elf;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded randomized testing without a property-testing framework: each run uses fixed seeds (so
 * CI is reproducible) plus one fresh seed per JVM (so new cases keep being explored). The fresh
 * seed is printed once; a failing case is reported with its seed, and {@code -Dnanokit.seed=N}
 * replays exactly that seed.
 */
final class Seeds {
  /** One fresh seed for this test run, shared by all seeded tests and printed once. */
  static final long FRESH = freshSeed();

  private Seeds() {}

  private static long freshSeed() {
    long seed = new Random().nextLong();
    System.out.println("[seeds] fresh seed for this run: " + seed
        + " (replay a failure with -Dnanokit.seed=" + seed + ")");
    return seed;
  }

  /** A body run once per seed with a Random seeded from it. */
  interface Body {
    void run(Random random) throws Exception;
  }

  /** The seeds to run: {@code -Dnanokit.seed} alone if set, else fixed ones and {@link #FRESH}. */
  static List<Long> seeds() {
    String replay = System.getProperty("nanokit.seed");
    if (replay != null && !replay.isBlank()) {
      return List.of(Long.parseLong(replay.trim()));
    }
    List<Long> seeds = new ArrayList<>(List.of(1L, 42L));
    seeds.add(FRESH);
    return seeds;
  }

  /** Runs {@code body} for every seed; a failure is rethrown with the seed in its message. */
  static void forEach(String what, Body body) {
    for (long seed : seeds()) {
      try {
        body.run(new Random(seed));
      } catch (Throwable t) {
        String msg = what + " failed with seed " + seed + " (replay with -Dnanokit.seed=" + seed
            + "): " + t;
        System.out.println("[seeds] " + msg);
        throw new AssertionError(msg, t);
      }
    }
  }
}
