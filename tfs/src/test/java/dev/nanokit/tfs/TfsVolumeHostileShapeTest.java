package dev.nanokit.tfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanokit.manifest.ManifestPrinter;
import dev.nanokit.manifest.Tuple;
import dev.nanokit.testing.manifest.ByteArrayChannel;
import dev.nanokit.testing.manifest.RandomCases;
import dev.nanokit.testing.tfs.RawVolume;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The classes of {@link HostileVolumes}, read the way every command reads: info, the walk with
 * every attribute, every file to its end, the tar export and the root tuple as manifest text. Each
 * case must end as the generator says (read, or refused with a {@link TfsFormatException} naming
 * the problem), within {@value #CASE_SECONDS} s, allocating no more than the mutation tests allow
 * ({@link TfsVolumeMutationTest#ALLOCATION_FACTOR} times the bytes read plus
 * {@link TfsVolumeMutationTest#ALLOCATION_SLACK}), and exporting no more than
 * {@value #EXPORT_FACTOR} times the image plus the file bytes the size limit lets through.
 */
class TfsVolumeHostileShapeTest {
  static final int CASES_PER_SEED = 200;
  static final int CASE_SECONDS = 5;
  static final long EXPORT_FACTOR = 4;
  /** Manifest text allowed per byte of log read, as {@code tfs manifest} allows it (ManifestCommand). */
  static final long MANIFEST_CHARS_PER_METADATA_BYTE = 4;
  static final long MANIFEST_CHARS_FLOOR = 64 << 10;
  /**
   * Printing allocates per character it writes (a string per scalar, a frame per container), on top
   * of what reading allocates; this is the budget per character of the text limit.
   */
  static final long ALLOCATION_PER_MANIFEST_CHAR = 64;
  /** Where {@code Tuple.toString} cuts a rendering off (ValueGraph). */
  static final int TO_STRING_CHARS = 1 << 16;

  private static ExecutorService executor;

  @BeforeAll
  static void startExecutor() {
    executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "hostile-shape-reader");
      t.setDaemon(true);
      return t;
    });
  }

  @AfterAll
  static void stopExecutor() {
    executor.shutdownNow();
  }

  @ParameterizedTest
  @EnumSource(HostileVolumes.Kind.class)
  void everyCaseReadsOrIsRefusedInBoundedTimeAndMemory(HostileVolumes.Kind kind) {
    long[] slowest = new long[1];
    RandomCases.run("hostile " + kind, CASES_PER_SEED, (r, i) -> {
      HostileVolumes.Case c = HostileVolumes.generate(kind, r);
      long started = System.nanoTime();
      Throwable failure = runBounded(c);
      slowest[0] = Math.max(slowest[0], System.nanoTime() - started);
      if (c.refusal() == null) {
        assertThat(failure).as("%s must read", c).isNull();
      } else if (!c.refusal().isEmpty()) {
        assertThat(failure).as("%s must be refused", c).isInstanceOf(TfsFormatException.class);
      }
      if (failure != null) {
        assertThat(failure).as(c.toString()).isInstanceOf(TfsFormatException.class);
        assertThat(failure.getMessage()).as(c.toString()).contains(c.refusal() == null ? "" : c.refusal())
            .doesNotContain("\n").hasSizeLessThan(16 << 10);
      }
    });
    System.out.println("[hostile " + kind + "] slowest case " + slowest[0] / 1_000_000 + " ms");
  }

  /** A name is one component: "" and "a/b" are refused when listed, at the directory's record. */
  @Test
  void emptyNamesAndNamesWithASlashAreRefused() throws Exception {
    for (String bad : List.of("", "etc/passwd")) {
      Tuple root = new Tuple().put("children", new Tuple().put(bad, new Tuple()
          .put("filelength", dev.nanokit.manifest.IntegerValue.of(0))).put("ok", new Tuple()));
      byte[] image = new RawVolume(HostileVolumes.BLOCKS, "", 5, HostileVolumes.EXTENSION_BLOCKS)
          .tuple(new dev.nanokit.manifest.codec.TupleEncoder(dev.nanokit.manifest.codec.TupleEncoding.V5)
              .encodeRecord(root)).build();
      try (TfsVolume v = TfsVolume.open(new ByteArrayChannel(image), TfsReadOptions.defaults())) {
        assertThatThrownBy(() -> v.root().childNames()).isInstanceOf(TfsFormatException.class)
            .hasMessageStartingWith("/: entry name \"" + bad + "\" is empty or contains '/' at byte offset ");
      }
    }
  }

  /** The issue's own example: FF and FE both decode to U+FFFD, and must not become one entry. */
  @Test
  void namesFfAndFeAreRefusedNamingTheirBytesNotMerged() {
    byte[] image = HostileVolumes.rootEntriesNamed(List.of(new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xFE}),
        new java.util.Random(7));
    assertThatThrownBy(() -> TfsVolume.open(new ByteArrayChannel(image), TfsReadOptions.defaults()))
        .isInstanceOf(TfsFormatException.class).hasMessageContaining("name \"\\xff\" is not UTF-8");
  }

  /** A file of 2^62 bytes behind one extent is refused by its length, before anything is read. */
  @Test
  void aFileLongerThanTheLimitIsRefusedWhenOpenedButListed() throws Exception {
    byte[] image = HostileVolumes.fileOfLength(dev.nanokit.manifest.IntegerValue.of(1L << 62), new java.util.Random(1));
    try (TfsVolume v = TfsVolume.open(new ByteArrayChannel(image), TfsReadOptions.defaults())) {
      TfsNode big = v.lookup("/big", false).orElseThrow();
      assertThat(big.size()).isEqualTo(1L << 62);
      assertThatThrownBy(big::openChannel).isInstanceOf(TfsFormatException.class)
          .hasMessageMatching("/big: file of 4611686018427387904 bytes exceeds the limit of 1099511627776 bytes"
              + " \\(maxFileBytes\\) at byte offset [0-9]+");
      assertThatThrownBy(() -> big.transferTo(java.nio.channels.Channels.newChannel(new java.io.ByteArrayOutputStream())))
          .isInstanceOf(TfsFormatException.class).hasMessageContaining("(maxFileBytes)");
    }
  }

  /** An extent at file block 2^55 (its byte position overflows a long) is refused, not read forever. */
  @Test
  void anExtentWhoseBytePositionOverflowsIsRefused() throws Exception {
    Tuple extents = new Tuple().put(Long.toString(1L << 55), new Tuple()
        .put("offset", dev.nanokit.manifest.IntegerValue.of(HostileVolumes.DATA_BLOCK))
        .put("length", dev.nanokit.manifest.IntegerValue.of(1)));
    Tuple root = new Tuple().put("children", new Tuple().put("f", new Tuple()
        .put("filelength", dev.nanokit.manifest.IntegerValue.of(100)).put("extents", extents)));
    byte[] image = new RawVolume(HostileVolumes.BLOCKS, "", 5, HostileVolumes.EXTENSION_BLOCKS)
        .tuple(new dev.nanokit.manifest.codec.TupleEncoder(dev.nanokit.manifest.codec.TupleEncoding.V5).encodeRecord(root)).build();
    try (TfsVolume v = TfsVolume.open(new ByteArrayChannel(image), TfsReadOptions.defaults())) {
      TfsNode f = v.lookup("/f", false).orElseThrow();
      assertThat(f.size()).isEqualTo(100);
      assertThatThrownBy(f::openChannel).isInstanceOf(TfsFormatException.class)
          .satisfies(e -> {
            // The offset is where /f's tuple was written: its record is in the log, after the header.
            TfsFormatException x = (TfsFormatException) e;
            assertThat(x.getMessage()).isEqualTo("/f: extent 36028797018963968 (file blocks 36028797018963968+1) ends"
                + " beyond the largest byte position a file can have at byte offset " + x.offset());
            assertThat(x.offset()).isBetween(512L, (long) image.length);
          });
    }
  }

  /** Hard links: each name is listed, the bytes go into the archive once, the other names link to it. */
  @Test
  void aFileUnderSeveralNamesIsExportedOnceAndLinked() throws Exception {
    java.util.Random r = new java.util.Random(3);
    HostileVolumes.Case c;
    int tries = 0;
    do {
      c = HostileVolumes.sharedDirectories(r);
    } while ((c.refusal() != null || !c.description().endsWith("file under 2 names")) && ++tries < 10_000);
    assertThat(tries).isLessThan(10_000);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (TfsVolume v = TfsVolume.open(new ByteArrayChannel(c.image()), TfsReadOptions.defaults())) {
      TfsTarExporter.write(v, v.root(), out);
    }
    List<String> entries = new ArrayList<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new java.io.ByteArrayInputStream(out.toByteArray()))) {
      for (TarArchiveEntry e; (e = tar.getNextTarEntry()) != null; ) {
        if (e.isFile() || e.isLink()) {
          entries.add((e.isLink() ? "link " + e.getLinkName() : "file " + e.getSize()) + " " + e.getName());
        }
      }
    }
    assertThat(entries).hasSize(2);
    assertThat(entries.get(0)).startsWith("file ");
    assertThat(entries.get(1)).startsWith("link " + entries.get(0).substring(entries.get(0).lastIndexOf(' ') + 1));
  }

  /** Runs every read of {@code c} on the reader thread; returns what it threw, null if nothing. */
  private static Throwable runBounded(HostileVolumes.Case c) {
    Future<?> f = executor.submit(() -> {
      ByteArrayChannel channel = new ByteArrayChannel(c.image());
      long[] manifestLimit = new long[1];
      long before = allocatedByThisThread();
      try {
        readEverything(channel, c, manifestLimit);
      } finally {
        long allocated = allocatedByThisThread() - before;
        assertThat(allocated).as("bytes allocated reading %s, which took %d bytes of the image", c, channel.bytesRead())
            .isLessThanOrEqualTo(TfsVolumeMutationTest.ALLOCATION_FACTOR * channel.bytesRead()
                + TfsVolumeMutationTest.ALLOCATION_SLACK + ALLOCATION_PER_MANIFEST_CHAR * manifestLimit[0]);
      }
      return null;
    });
    try {
      f.get(CASE_SECONDS, TimeUnit.SECONDS);
      return null;
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new AssertionError(c + " did not finish in " + CASE_SECONDS + " s");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AssertionError a) {
        throw a;
      }
      return e.getCause();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private static void readEverything(SeekableByteChannel channel, HostileVolumes.Case c, long[] manifestLimit)
      throws IOException {
    TfsReadOptions options = TfsReadOptions.builder().setMaxFileBytes(HostileVolumes.MAX_FILE_BYTES).build();
    try (TfsVolume v = TfsVolume.open(channel, options)) {
      String text;
      long limit = MANIFEST_CHARS_PER_METADATA_BYTE * v.metadataBytes() + MANIFEST_CHARS_FLOOR;
      manifestLimit[0] = limit + TO_STRING_CHARS; // both print: the manifest and toString below
      try {
        text = ManifestPrinter.print(v.rootTuple(), limit);
        assertThat((long) text.length()).isLessThanOrEqualTo(limit + 1);
      } catch (IllegalArgumentException e) {
        assertThat(c.sharedValues() || c.refusal() != null).as("%s refused as manifest: %s", c, e).isTrue();
      }
      assertThat(v.rootTuple().toString().length()).isLessThan(TO_STRING_CHARS + 16);
      Tuple copy = v.rootTuple().deepCopy();
      assertThat(copy).isEqualTo(v.rootTuple());
      v.info();
      ByteBuffer buf = ByteBuffer.allocate(8192);
      long[] fileBytes = new long[1];
      v.walk(v.root(), node -> {
        node.size();
        node.linkTarget();
        node.mtime();
        if (node.type() == TfsNodeType.FILE) {
          long read = 0;
          try (SeekableByteChannel in = node.openChannel()) {
            for (int n; (n = in.read(buf.clear())) > 0; ) {
              read += n;
            }
          }
          assertThat(read).as("%s: bytes read", node.path()).isEqualTo(node.size());
          fileBytes[0] += read;
        }
      });
      long[] exported = new long[1];
      TfsTarExporter.write(v, v.root(), new OutputStream() {
        @Override
        public void write(int b) {
          exported[0]++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
          exported[0] += len;
        }
      });
      // Each file's bytes at most once per name the walk met (hard links are archived once).
      assertThat(exported[0]).isLessThanOrEqualTo(EXPORT_FACTOR * c.image().length + fileBytes[0] + 10240);
    }
  }

  private static long allocatedByThisThread() {
    return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
        .getCurrentThreadAllocatedBytes();
  }
}
