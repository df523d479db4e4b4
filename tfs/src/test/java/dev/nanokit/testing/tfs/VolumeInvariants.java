package dev.nanokit.testing.tfs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanokit.tfs.LogExtension;
import dev.nanokit.tfs.TfsExtent;
import dev.nanokit.tfs.TfsNode;
import dev.nanokit.tfs.TfsNodeType;
import dev.nanokit.tfs.TfsVolume;
import dev.nanokit.tfs.TfsVolumeInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * What a correct reader guarantees about any volume it opens without error (docs/formats/tfs.md, "6 Filesystem semantics of the tuple tree", "7 Space layout, allocation and the running kernel"): a tree
 * reachable from the root without sharing or cycles, distinct name bytes in every directory, every
 * file's extents inside the filesystem and its length, no block claimed twice, {@code info} counts
 * equal to the walk, and {@code cat} returning exactly {@code size} bytes. Used by the corruption
 * fuzzers on every mutant that reads successfully, and by the differential and history tests.
 */
public final class VolumeInvariants {
  /** The TFS block size (docs/formats/tfs.md, "2 Varint"). */
  private static final long BLOCK = 512;

  /** Files longer than this (sparse mutants) are not read to the end. */
  private static final long MAX_CAT = 4L << 20;

  private VolumeInvariants() {}

  /** Node counts found by the walk. */
  public record Counts(long directories, long files, long symlinks, long dataBytes) {}

  /** {@link #check(TfsVolume, boolean)} for a volume a writer made: strict. */
  public static Counts check(TfsVolume v) throws IOException {
    return check(v, true);
  }

  /**
   * Checks {@code v}. {@code strict} adds what holds for volumes writers make but a reader need not
   * reject in a corrupt one: no block claimed by two files (hard links share extents) and no extent
   * starting beyond its file's length.
   */
  public static Counts check(TfsVolume v, boolean strict) throws IOException {
    long fsBlocks = v.info().size() / BLOCK;
    List<long[]> claimed = new ArrayList<>();
    for (LogExtension x : v.info().extensions()) {
      assertThat(x.startBlock() + x.blocks()).as("log extension %s inside the volume", x).isLessThanOrEqualTo(fsBlocks);
      claimed.add(new long[] {x.startBlock(), x.blocks(), -1});
    }
    Set<Object> seenTuples = Collections.newSetFromMap(new IdentityHashMap<>());
    long[] counts = new long[4];
    TfsNode root = v.root();
    if (strict) {
      assertThat(root.type()).as("root type").isEqualTo(TfsNodeType.DIRECTORY);
    }
    visit(root, seenTuples, claimed, fsBlocks, counts, 0, strict);
    claimed.sort((a, b) -> Long.compare(a[0], b[0]));
    for (int i = 1; strict && i < claimed.size(); i++) {
      long[] prev = claimed.get(i - 1);
      long[] cur = claimed.get(i);
      assertThat(prev[0] + prev[1]).as("blocks %d+%d and %d+%d overlap", prev[0], prev[1], cur[0], cur[1])
          .isLessThanOrEqualTo(cur[0]);
    }
    TfsVolumeInfo info = v.info();
    assertThat(String.format("dirs=%d files=%d symlinks=%d", info.directories(), info.files(), info.symlinks()))
        .as("info counts vs walk").isEqualTo(String.format("dirs=%d files=%d symlinks=%d", counts[0], counts[1], counts[2]));
    assertThat(info.usedBytes() + info.freeBytes()).isEqualTo(info.size());
    assertThat(info.size()).isEqualTo(v.info().size());
    return new Counts(counts[0], counts[1], counts[2], counts[3]);
  }

  private static void walk(TfsNode dir, Set<Object> seenTuples, List<long[]> claimed, long fsBlocks, long[] counts,
      int depth, boolean strict) throws IOException {
    if (!strict && dir.childNames().stream().anyMatch(n -> n.isEmpty() || n.contains("/"))) {
      System.out.println("[VolumeInvariants] note: a corrupt volume read with an entry named '' or containing '/' in "
          + dir.path() + " (not rejected by the reader)");
    }
    assertThat(seenTuples.add(dir.tuple())).as("%s reached twice (shared or cyclic)", dir.path()).isTrue();
    assertThat(depth).as("tree depth at %s", dir.path()).isLessThan(10_000);
    counts[0]++;
    List<String> names = dir.childNames();
    Set<String> distinct = new HashSet<>();
    for (String n : names) {
      assertThat(distinct.add(new String(n.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1)))
          .as("name %s twice in %s", n, dir.path()).isTrue();
      assertThat(n).as("name in %s", dir.path()).isNotEqualTo(".").isNotEqualTo("..");
      if (strict) {
        assertThat(n).as("name in %s", dir.path()).isNotEmpty().doesNotContain("/").doesNotContain("\0");
      }
    }
    List<String> sorted = new ArrayList<>(names);
    sorted.sort(TfsNode.NAME_ORDER);
    assertThat(names).as("children of %s in name order", dir.path()).containsExactlyElementsOf(sorted);
    for (TfsNode child : dir.children()) {
      visit(child, seenTuples, claimed, fsBlocks, counts, depth, strict);
    }
  }

  private static void visit(TfsNode child, Set<Object> seenTuples, List<long[]> claimed, long fsBlocks, long[] counts,
      int depth, boolean strict) throws IOException {
    {
      switch (child.type()) {
        case DIRECTORY -> walk(child, seenTuples, claimed, fsBlocks, counts, depth + 1, strict);
        case SYMLINK -> {
          assertThat(seenTuples.add(child.tuple())).as("%s reached twice", child.path()).isTrue();
          counts[2]++;
          assertThat(child.linkTarget()).as(child.path()).isNotNull();
        }
        default -> {
          assertThat(!strict || seenTuples.add(child.tuple())).as("%s reached twice", child.path()).isTrue();
          counts[1]++;
          checkFile(child, claimed, fsBlocks, strict);
          counts[3] += child.size();
        }
      }
    }
  }

  private static void checkFile(TfsNode file, List<long[]> claimed, long fsBlocks, boolean strict)
      throws IOException {
    long size = file.size();
    assertThat(size).as("%s size", file.path()).isNotNegative();
    long expectFileBlock = -1;
    for (TfsExtent x : file.extents()) {
      assertThat(x.fileBlock()).as("%s extents in file-block order", file.path()).isGreaterThan(expectFileBlock);
      expectFileBlock = x.fileBlock();
      assertThat(x.length()).as("%s extent %s", file.path(), x).isLessThanOrEqualTo(x.allocated())
          .isGreaterThanOrEqualTo(strict ? 1 : 0);
      assertThat(x.offset()).as("%s extent %s", file.path(), x).isNotNegative();
      assertThat(x.offset() + x.allocated()).as("%s extent %s inside %d blocks", file.path(), x, fsBlocks)
          .isLessThanOrEqualTo(fsBlocks);
      if (strict) {
        assertThat(x.fileBlock() * BLOCK).as("%s extent %s inside its length %d", file.path(), x, size)
            .isLessThan(Math.max(size, 1));
      }
      if (!x.uninited()) {
        claimed.add(new long[] {x.offset(), x.allocated(), 0});
      }
    }
    if (size <= MAX_CAT) {
      long n = 0;
      byte[] buf = new byte[8192];
      try (InputStream in = file.newInputStream()) {
        for (int r; (r = in.read(buf)) > 0; ) {
          n += r;
        }
      }
      assertThat(n).as("%s: bytes cat returns vs size", file.path()).isEqualTo(size);
    }
  }
}
