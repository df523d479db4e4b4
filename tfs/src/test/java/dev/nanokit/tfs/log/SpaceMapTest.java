package dev.nanokit.tfs.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link SpaceMap}: free = neither log nor allocated extent (docs/formats/tfs.md, "7.1 Block usage rules"); first-fit allocation. */
class SpaceMapTest {
  private static List<long[]> ranges(long... startEnd) {
    List<long[]> out = new java.util.ArrayList<>();
    for (int i = 0; i < startEnd.length; i += 2) {
      out.add(new long[] {startEnd[i], startEnd[i + 1]});
    }
    return out;
  }

  @Test
  void freeBlocksAreTheComplementOfOverlappingUnsortedUsedRanges() {
    SpaceMap m = SpaceMap.of(100, ranges(50, 60, 0, 10, 5, 20, 55, 58, 99, 100));
    // used: 0-20, 50-60, 99-100 → free 20-50 (30), 60-99 (39)
    assertThat(m.freeBlocks()).isEqualTo(69);
    assertThat(SpaceMap.of(100, List.of()).freeBlocks()).isEqualTo(100);
    assertThat(SpaceMap.of(100, ranges(0, 100)).freeBlocks()).isZero();
    // ranges past the end do not make space negative or add any
    assertThat(SpaceMap.of(100, ranges(90, 150)).freeBlocks()).isEqualTo(90);
    assertThat(SpaceMap.of(100, ranges(120, 150)).freeBlocks()).isEqualTo(100);
  }

  @Test
  void allocateContiguousIsFirstFit() {
    SpaceMap m = SpaceMap.of(100, ranges(0, 10, 15, 50, 60, 100));
    // free: 10-15 (5), 50-60 (10)
    assertThat(m.allocateContiguous(6)).isEqualTo(50);
    assertThat(m.allocateContiguous(5)).isEqualTo(10);
    assertThat(m.allocateContiguous(4)).isEqualTo(56);
    assertThat(m.allocateContiguous(1)).isEqualTo(-1);
    assertThat(m.freeBlocks()).isZero();
  }

  @Test
  void allocateExactFitLeavesNothingBehind() {
    SpaceMap m = SpaceMap.of(20, ranges(0, 10));
    assertThat(m.allocateContiguous(10)).isEqualTo(10);
    assertThat(m.freeBlocks()).isZero();
    assertThat(m.allocate(1, 100)).isNull();
  }

  @Test
  void allocateSpreadsOverGapsAndCapsEachRun() {
    SpaceMap m = SpaceMap.of(100, ranges(0, 10, 13, 50, 54, 100));
    // free: 10-13 (3), 50-54 (4); 6 blocks need both gaps: first fit for 6 fails, then gaps in order
    List<long[]> runs = m.allocate(6, 100);
    assertThat(runs).extracting(r -> r[0] + "+" + r[1]).containsExactly("10+3", "50+3");
    assertThat(m.freeBlocks()).isEqualTo(1);
    assertThat(m.allocate(2, 100)).isNull();
    assertThat(m.freeBlocks()).isEqualTo(1);

    SpaceMap big = SpaceMap.of(1000, List.of());
    assertThat(big.allocate(250, 100)).extracting(r -> r[0] + "+" + r[1]).containsExactly("0+100", "100+100", "200+50");
    assertThat(big.freeBlocks()).isEqualTo(750);
    assertThat(big.allocate(750, 1000)).extracting(r -> r[0] + "+" + r[1]).containsExactly("250+750");
  }

  @Test
  void aContiguousRunIsPreferredOverAnEarlierSmallGap() {
    SpaceMap m = SpaceMap.of(100, ranges(0, 10, 12, 20));
    assertThat(m.allocate(5, 100)).extracting(r -> r[0] + "+" + r[1]).containsExactly("20+5");
    assertThat(m.freeBlocks()).isEqualTo(2 + 75);
  }
}
