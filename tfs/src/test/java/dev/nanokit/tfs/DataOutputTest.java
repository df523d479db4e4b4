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
          DataOutput out = new DataOutput(ch, fresh, capacity);
          long pos = r.nextInt(2000);
          while (true) {
            int length = 1 + r.nextInt(capacity);
            if (pos + length > expected.length) {
              break;
            }
            int at = out.reserve(pos, length);
            byte[] piece = new byte[length];
            if (r.nextInt(3) > 0) { // else all zeros
              r.nextBytes(piece);
              if (r.nextBoolean()) {
                Arrays.fill(piece, 0, length / 2, (byte) 0);
              }
            }
            System.arraycopy(piece, 0, out.array(), at, length);
            out.commit(length);
            System.arraycopy(piece, 0, expected, (int) pos, length);
            pos += length + (r.nextInt(3) == 0 ? r.nextInt(5000) : 0); // sometimes a gap
          }
          out.flush();
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
}
