package dev.nanokit.tfs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanokit.testing.manifest.ByteArrayChannel;
import dev.nanokit.testing.manifest.RandomCases;
import dev.nanokit.testing.tfs.GoldenVolumes;
import dev.nanokit.testing.tfs.VolumeInvariants;
import dev.nanokit.tfs.log.LogReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Seeded mutations of the golden volumes: every mutant must read correctly or fail with a
 * {@link TfsFormatException} — no other exception, no hang (each case is bounded), and no allocation
 * beyond {@value #ALLOCATION_FACTOR} times the bytes the reader took from the image plus
 * {@value #ALLOCATION_SLACK} bytes (measured per mutant with the JVM's per-thread allocation counter;
 * the unmutated volumes need about 11 times for the kernel-written one, 2 times for the others). What
 * the reader takes is itself bounded by {@link TfsReadOptions#maxMetadataBytes()} plus the file bytes
 * asked for.
 */
class TfsVolumeMutationTest {
  static final long ALLOCATION_FACTOR = 16;
  static final long ALLOCATION_SLACK = 2L << 20;

  private static ExecutorService executor;
  @TempDir Path tmp;

  @BeforeAll
  static void startExecutor() {
    executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "mutant-reader");
      t.setDaemon(true);
      return t;
    });
  }

  @AfterAll
  static void stopExecutor() {
    executor.shutdownNow();
  }

  @ParameterizedTest
  @CsvSource({"mkfs-small, 400", "ops-small, 400", "ops-small-v4, 300", "kernel-written, 150"})
  void mutantsReadCorrectlyOrFailWithTheFormatException(String name, int cases) throws Exception {
    byte[] image = Files.readAllBytes(GoldenVolumes.unpack(name, tmp));
    List<int[]> hot = metadataRanges(image);
    RandomCases.run(name + " mutants", cases, (r, i) -> {
      Mutation m = mutate(image, hot, r);
      try {
        Future<?> f = executor.submit(() -> {
          ByteArrayChannel channel = new ByteArrayChannel(image, m.length);
          long before = allocatedByThisThread();
          try {
            readEverything(channel);
          } finally {
            long allocated = allocatedByThisThread() - before;
            assertThat(allocated).as("bytes allocated reading mutant %s, which took %d bytes of the image", m,
                channel.bytesRead()).isLessThanOrEqualTo(ALLOCATION_FACTOR * channel.bytesRead() + ALLOCATION_SLACK);
          }
          // It read: then what it read must be a consistent volume, not merely no crash.
          try (TfsVolume v = TfsVolume.open(new ByteArrayChannel(image, m.length), TfsReadOptions.defaults())) {
            VolumeInvariants.check(v, false);
          } catch (AssertionError e) {
            throw new AssertionError("mutant " + m + " read but " + e.getMessage(), e);
          }
          return null;
        });
        try {
          f.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
          f.cancel(true);
          throw new AssertionError("mutant " + m + " did not finish in 10 s");
        } catch (java.util.concurrent.ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof AssertionError) {
            throw (AssertionError) cause;
          }
          if (!(cause instanceof TfsFormatException)) {
            throw new AssertionError("mutant " + m + " threw " + cause, cause);
          }
          assertThat(cause.getMessage()).isNotBlank();
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
      } finally {
        m.undo(image);
      }
    });
  }

  private static long allocatedByThisThread() {
    return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
        .getCurrentThreadAllocatedBytes();
  }

  /** Bytes of the log that a reader actually parses: block 0 and each extension up to its last record. */
  private static List<int[]> metadataRanges(byte[] image) throws IOException {
    List<int[]> ranges = new ArrayList<>();
    try (TfsVolume v = TfsVolume.open(new ByteArrayChannel(image), TfsReadOptions.defaults())) {
      LogReader.Log log = v.log();
      List<LogExtension> exts = log.extensions();
      for (int i = 0; i < exts.size(); i++) {
        int start = (int) (exts.get(i).startBlock() * 512);
        int end = i == log.end().extensionIndex() ? start + log.end().position() + 1 : start + (int) exts.get(i).blocks() * 512;
        ranges.add(new int[] {start, Math.min(end, start + 64 * 1024)});
      }
    }
    return ranges;
  }

  private record Mutation(String kind, int at, byte[] saved, int length) {
    void undo(byte[] image) {
      if (saved != null) {
        System.arraycopy(saved, 0, image, at, saved.length);
      }
    }
  }

  private static Mutation mutate(byte[] image, List<int[]> hot, Random r) {
    int[] range = hot.get(r.nextInt(hot.size()));
    int at = range[0] + r.nextInt(range[1] - range[0]);
    switch (r.nextInt(5)) {
      case 0: {
        byte[] saved = {image[at]};
        image[at] ^= (byte) (1 << r.nextInt(8));
        return new Mutation("bit flip", at, saved, image.length);
      }
      case 1: {
        byte[] saved = {image[at]};
        image[at] = (byte) r.nextInt(256);
        return new Mutation("random byte", at, saved, image.length);
      }
      case 2: {
        int n = Math.min(1 + r.nextInt(16), image.length - at);
        byte[] saved = java.util.Arrays.copyOfRange(image, at, at + n);
        for (int k = 0; k < n; k++) {
          image[at + k] = (byte) (r.nextBoolean() ? 0xFF : 0x80 | r.nextInt(128));
        }
        return new Mutation("maximal varint run", at, saved, image.length);
      }
      case 3:
        return new Mutation("truncation", 0, null, r.nextBoolean() ? at : r.nextInt(image.length));
      default: {
        byte[] saved = {image[at]};
        image[at] = (byte) (r.nextBoolean() ? 0x05 : 0x02);
        return new Mutation("record type", at, saved, image.length);
      }
    }
  }

  private static void readEverything(SeekableByteChannel channel) throws IOException {
    try (TfsVolume v = TfsVolume.open(channel, TfsReadOptions.defaults())) {
      v.info();
      ByteBuffer buf = ByteBuffer.allocate(4096);
      v.walk(v.root(), node -> {
        node.size();
        node.linkTarget();
        node.mtime();
        if (node.type() == TfsNodeType.FILE) {
          try (SeekableByteChannel c = node.openChannel()) {
            buf.clear();
            while (buf.hasRemaining() && c.read(buf) > 0) {
              // first 4 KiB
            }
          }
        }
      });
      v.lookup("/lib/deep/er/still/m1.bin", true);
    }
  }
}
