package dev.nanokit.testing.tfs;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.GZIPInputStream;

/**
 * The golden volumes of the project's shared test data ({@code testdata/tfs} under the {@code nanokit.shared} directory). Missing data skips the test with its path,
 * except under CI, where it must be there.
 */
public final class GoldenVolumes {
  private GoldenVolumes() {}

  public static Path dir() {
    // The build sets nanokit.shared (pom.xml); a test run outside it has no shared data to find.
    String shared = System.getProperty("nanokit.shared");
    if (shared == null && "true".equals(System.getenv("CI"))) {
      throw new IllegalStateException("golden volumes missing under CI: the nanokit.shared property is not set");
    }
    assumeTrue(shared != null, "golden volumes not found: the nanokit.shared property is not set");
    Path dir = Path.of(shared, "testdata", "tfs").normalize();
    boolean present = Files.isDirectory(dir);
    if (!present && "true".equals(System.getenv("CI"))) {
      throw new IllegalStateException("golden volumes missing under CI: " + dir.toAbsolutePath());
    }
    assumeTrue(present, "golden volumes not found at " + dir.toAbsolutePath());
    return dir;
  }

  /** Unpacks {@code name}.img.gz into {@code tmp}, leaving all-zero blocks as holes. */
  public static Path unpack(String name, Path tmp) throws IOException {
    Path out = tmp.resolve(name + ".img");
    byte[] block = new byte[64 * 1024];
    try (InputStream in = new GZIPInputStream(Files.newInputStream(dir().resolve(name + ".img.gz")), 1 << 16);
        var ch = Files.newByteChannel(out, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      long pos = 0;
      while (true) {
        int n = in.readNBytes(block, 0, block.length);
        if (n <= 0) {
          break;
        }
        if (!allZero(block, n)) {
          ch.position(pos);
          ch.write(java.nio.ByteBuffer.wrap(block, 0, n));
        }
        pos += n;
      }
      if (ch.size() < pos) {
        ch.position(pos - 1);
        ch.write(java.nio.ByteBuffer.wrap(new byte[1]));
      }
    }
    return out;
  }

  public static String expected(String name) throws IOException {
    return Files.readString(dir().resolve(name + ".expected"));
  }

  private static boolean allZero(byte[] b, int n) {
    for (int i = 0; i < n; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  @SuppressWarnings("unused")
  private static void copy(InputStream in, OutputStream out) throws IOException {
    in.transferTo(out);
  }
}
