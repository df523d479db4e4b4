package dev.nanokit.tfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanokit.manifest.IntegerValue;
import dev.nanokit.manifest.Tuple;
import dev.nanokit.manifest.codec.TupleEncoder;
import dev.nanokit.manifest.codec.TupleEncoding;
import dev.nanokit.testing.manifest.ByteArrayChannel;
import dev.nanokit.testing.tfs.RawVolume;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link TfsNode}'s checks of a file's extents (docs/formats/tfs.md, "6.3 Regular files") and of directory entries. */
class TfsNodeTest {
  private static final int BLOCKS = HostileVolumes.BLOCKS;

  private static Tuple extent(long offset, long length, Long allocated) {
    Tuple x = new Tuple().put("offset", IntegerValue.of(offset)).put("length", IntegerValue.of(length));
    if (allocated != null) {
      x.put("allocated", IntegerValue.of(allocated));
    }
    return x;
  }

  /** A volume whose root holds one file /f with these extents. */
  private static TfsVolume volumeWith(Tuple extents, TfsReadOptions options) throws IOException {
    Tuple root = new Tuple().put("children", new Tuple().put("f", new Tuple()
        .put("filelength", IntegerValue.of(4096)).put("extents", extents)));
    byte[] image = new RawVolume(BLOCKS, "", 5, HostileVolumes.EXTENSION_BLOCKS)
        .tuple(new TupleEncoder(TupleEncoding.V5).encodeRecord(root)).build();
    return TfsVolume.open(new ByteArrayChannel(image), options);
  }

  private static List<TfsExtent> extentsOf(Tuple extents) throws IOException {
    try (TfsVolume v = volumeWith(extents, TfsReadOptions.defaults())) {
      return v.lookup("/f", false).orElseThrow().extents();
    }
  }

  private static String refusal(Tuple extents) throws IOException {
    try (TfsVolume v = volumeWith(extents, TfsReadOptions.defaults())) {
      TfsNode f = v.lookup("/f", false).orElseThrow();
      Throwable t = org.assertj.core.api.Assertions.catchThrowable(f::extents);
      assertThat(t).isInstanceOf(TfsFormatException.class);
      return t.getMessage();
    }
  }

  @Test
  void extentsAreSortedByFileBlockAndMayTouch() throws IOException {
    // Keys out of order, volume blocks in the opposite order to file blocks.
    Tuple extents = new Tuple().put("4", extent(30, 2, null)).put("0", extent(40, 4, 4L)).put("6", extent(20, 1, 3L));
    assertThat(extentsOf(extents)).containsExactly(
        new TfsExtent(0, 40, 4, 4, false), new TfsExtent(4, 30, 2, 2, false), new TfsExtent(6, 20, 1, 3, false));
  }

  @Test
  void extentsThatOverlapInTheFileOrShareVolumeBlocksAreRefused() throws IOException {
    assertThat(refusal(new Tuple().put("3", extent(30, 2, null)).put("0", extent(40, 4, null))))
        .startsWith("/f: extents 0 and 3 overlap in the file");
    // File blocks 0-1 and 2: volume blocks 40+3 and 42+1 share block 42.
    assertThat(refusal(new Tuple().put("2", extent(42, 1, null)).put("0", extent(40, 2, 3L))))
        .startsWith("/f: extents 0 and 2 share volume blocks (40+3 and 42+1)");
    // Reached only if sorted by offset: listed with the higher offset first.
    assertThat(refusal(new Tuple().put("0", extent(50, 1, null)).put("1", extent(30, 1, 21L))))
        .startsWith("/f: extents 1 and 0 share volume blocks (30+21 and 50+1)");
    assertThat(extentsOf(new Tuple().put("0", extent(50, 1, null)).put("1", extent(30, 1, 20L)))).hasSize(2);
  }

  @Test
  void anExtentMayEndAtTheEndOfTheFilesystemAndAllocateNoLessThanItHolds() throws IOException {
    assertThat(extentsOf(new Tuple().put("0", extent(BLOCKS - 2, 1, 2L)))).hasSize(1);
    assertThat(refusal(new Tuple().put("0", extent(BLOCKS - 2, 1, 3L))))
        .startsWith("/f: extent 0 (blocks " + (BLOCKS - 2) + "+3) lies outside the filesystem of " + BLOCKS + " blocks");
    assertThat(refusal(new Tuple().put("0", extent(BLOCKS + 1, 0, 0L))))
        .startsWith("/f: extent 0 (blocks " + (BLOCKS + 1) + "+0) lies outside the filesystem");
    assertThat(refusal(new Tuple().put("0", extent(40, 2, 1L))))
        .startsWith("/f: extent 0 allocates 1 blocks for 2 blocks of data");
    assertThat(extentsOf(new Tuple().put("0", extent(40, 2, 2L)))).containsExactly(new TfsExtent(0, 40, 2, 2, false));
  }

  @Test
  void theLastFileBlockAFileCanHaveIsAccepted() throws IOException {
    long last = Long.MAX_VALUE / 512 - 1;
    assertThat(extentsOf(new Tuple().put(Long.toString(last), extent(40, 1, null)))).hasSize(1);
  }

  @Test
  void extentsMustBeTuples() throws IOException {
    Tuple root = new Tuple().put("children", new Tuple().put("f", new Tuple()
        .put("filelength", IntegerValue.of(1)).put("extents", "nope"))
        .put("g", new Tuple().put("filelength", IntegerValue.of(1)).put("extents", new Tuple().put("0", "x"))));
    byte[] image = new RawVolume(BLOCKS, "", 5, HostileVolumes.EXTENSION_BLOCKS)
        .tuple(new TupleEncoder(TupleEncoding.V5).encodeRecord(root)).build();
    try (TfsVolume v = TfsVolume.open(new ByteArrayChannel(image), TfsReadOptions.defaults())) {
      assertThatThrownBy(() -> v.lookup("/f", false).orElseThrow().extents())
          .isInstanceOf(TfsFormatException.class).hasMessageStartingWith("/f: extents is not a tuple");
      assertThatThrownBy(() -> v.lookup("/g", false).orElseThrow().extents())
          .isInstanceOf(TfsFormatException.class).hasMessageStartingWith("/g: extent 0 is not a tuple");
      assertThat(v.root().extents()).isEmpty();
      assertThat(v.root().isDirectory()).isTrue();
      assertThat(v.lookup("/f", false).orElseThrow().isDirectory()).isFalse();
    }
  }

  @Test
  void directoryLimitsAreInclusive() throws IOException {
    Tuple children = new Tuple();
    for (String name : List.of("abc", "de", "f")) {
      children.put(name, new Tuple().put("children", new Tuple()));
    }
    byte[] image = new RawVolume(BLOCKS, "", 5, HostileVolumes.EXTENSION_BLOCKS)
        .tuple(new TupleEncoder(TupleEncoding.V5).encodeRecord(new Tuple().put("children", children))).build();
    TfsReadOptions exact = TfsReadOptions.builder().setMaxDirectoryEntries(3).setMaxNameLength(3).build();
    try (TfsVolume v = TfsVolume.open(new ByteArrayChannel(image), exact)) {
      assertThat(v.root().childNames()).containsExactly("abc", "de", "f");
    }
    TfsReadOptions fewer = TfsReadOptions.builder().setMaxDirectoryEntries(2).build();
    try (TfsVolume v = TfsVolume.open(new ByteArrayChannel(image), fewer)) {
      assertThatThrownBy(() -> v.root().childNames()).isInstanceOf(TfsFormatException.class)
          .hasMessageStartingWith("/: directory has 3 entries, more than the limit of 2 (maxDirectoryEntries)");
    }
    TfsReadOptions shorter = TfsReadOptions.builder().setMaxNameLength(2).build();
    try (TfsVolume v = TfsVolume.open(new ByteArrayChannel(image), shorter)) {
      assertThatThrownBy(() -> v.root().childNames()).isInstanceOf(TfsFormatException.class)
          .hasMessageStartingWith("/: a name of 3 characters exceeds the limit of 2 (maxNameLength)");
    }
  }
}
