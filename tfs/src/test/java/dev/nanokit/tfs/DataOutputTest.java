package dev.nanokit.tfs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanokit.testing.manifest.RandomCases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pieces placed in turn, contiguous or not, zero or not, reach the channel exactly where they belong. */
class DataOutputTest {
  @TempDir Path tmp;

  @Test
  void piecesLandAtTheirPositionsWhateverTheirRunsAndZeros() {
    RandomCases.run("data output", 40, (r, i) -> {
      try {
        boolean fresh = r.nextBoolean();
        int capacity = 4096 * (1 + r.nextInt(4));
        byte[] expected = new byte[64 << 10];
        Path file = Files.createTempFile(tmp, "out", ".bin"); // RandomCases may repeat an index
        Files.delete(file);
        if (!fresh) {
          Arrays.fill(expected, (byte) 0x5a); // an old file: every byte must be written over
          Files.write(file, expected);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE)) {
          DataOutput out = new DataOutput(ch, fresh, capacity, null);
          long pos = r.nextInt(2000);
          while (true) {
            int length = 1 + r.nextInt(capacity);
            if (pos + length > expected.length) {
              break;
            }
            java.nio.ByteBuffer window = out.reserve(pos, length);
            byte[] piece = new byte[length];
            if (r.nextInt(3) > 0) { // else all zeros
              r.nextBytes(piece);
              if (r.nextBoolean()) {
                Arrays.fill(piece, 0, length / 2, (byte) 0);
              }
            }
            window.put(piece);
            out.commit(length, length, true);
            System.arraycopy(piece, 0, expected, (int) pos, length);
            pos += length + (r.nextInt(3) == 0 ? r.nextInt(5000) : 0); // sometimes a gap
          }
          out.finish();
          if (ch.size() < expected.length) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[1]), expected.length - 1);
          }
        }
        byte[] written = Files.readAllBytes(file);
        if (fresh) {
          expected[expected.length - 1] = 0;
          // a fresh file holds zeros wherever nothing was placed
        }
        int end = expected.length - 1;
        assertThat(written.length).isGreaterThanOrEqualTo(end);
        assertThat(Arrays.mismatch(written, 0, end, expected, 0, end))
            .as("first differing byte (fresh %s, capacity %d, written %d bytes)", fresh, capacity, written.length)
            .isEqualTo(-1);
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    });
  }

  @Test
  void theVolumeDigestTakesEachFilesCrc32cAndCrc32InTurnWhereverItsPiecesFall() throws Exception {
    Path file = tmp.resolve("digest.bin");
    byte[][] files = {new byte[700], new byte[5000], new byte[1], new byte[9000]};
    java.util.Random r = new java.util.Random(7);
    for (byte[] f : files) {
      r.nextBytes(f);
    }
    java.security.MessageDigest volume = java.security.MessageDigest.getInstance("SHA-256");
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      DataOutput out = new DataOutput(ch, true, 2048, volume);
      long pos = 0;
      for (byte[] f : files) {
        for (int from = 0; from < f.length; from += 2048) {
          int n = Math.min(2048, f.length - from);
          int padded = (n + 511) / 512 * 512;
          out.reserve(pos, padded).put(f, from, n);
          out.commit(n, padded, from + n == f.length);
          pos += padded;
        }
      }
      out.finish();
    }
    java.security.MessageDigest expected = java.security.MessageDigest.getInstance("SHA-256");
    for (byte[] f : files) {
      java.util.zip.CRC32C c = new java.util.zip.CRC32C();
      c.update(f);
      java.util.zip.CRC32 d = new java.util.zip.CRC32();
      d.update(f);
      expected.update(java.nio.ByteBuffer.allocate(8).putInt((int) c.getValue()).putInt((int) d.getValue()).array());
    }
    assertThat(volume.digest()).isEqualTo(expected.digest());
    byte[] written = Files.readAllBytes(file);
    assertThat(Arrays.copyOfRange(written, 512 * 2, 512 * 2 + 5000)).isEqualTo(files[1]);
  }

  @Test
  void aWriteThatFailsOnTheWriterThreadFailsTheCaller() throws Exception {
    Path file = tmp.resolve("readonly.bin");
    Files.write(file, new byte[0]);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      DataOutput out = new DataOutput(ch, false, 4096, null);
      out.reserve(0, 512).put(new byte[512]);
      out.commit(512, 512, true);
      org.assertj.core.api.Assertions.assertThatThrownBy(out::finish)
          .isInstanceOf(java.nio.channels.NonWritableChannelException.class);
      out.close();
    }
  }

  @Test
  void closingBeforeFinishDropsWhatIsPendingAndStopsTheThread() throws Exception {
    Path file = tmp.resolve("abandoned.bin");
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      DataOutput out = new DataOutput(ch, false, 4096, null);
      out.reserve(0, 512).put(new byte[512]);
      out.commit(512, 512, true);
      assertThat(dataThreads()).isNotEmpty();
      out.close();
      assertThat(ch.isOpen()).isTrue();
      assertThat(dataThreads()).isEmpty();
    }
    assertThat(Files.size(file)).isZero();
  }

  /** The writer and flusher threads of this class still alive (every other test finishes its own). */
  private static java.util.List<String> dataThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
        .filter(n -> n.startsWith("tfs-data-")).toList();
  }
}
