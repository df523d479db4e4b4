package dev.nanokit.tfs;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The SHA-256 of each file's bytes for the derived UUID ({@link TfsReproducibility}), computed on a
 * second thread for contents that can be read twice, while the writer copies them: hashing costs
 * about as much as copying, and the two then overlap instead of adding up. Contents that can be read
 * only once ({@code null} here) are digested by the writer inline. The result is the same either way
 * as long as the inputs do not change during the build (a change of length is detected and fails the
 * build; a same-length rewrite between the copy and the digest would give a UUID derived from the
 * other bytes, as with any tool reading files that are being written).
 */
final class ContentDigests implements AutoCloseable {
  private static final int CHUNK = 1 << 20;

  private final ExecutorService executor;
  private final List<Future<byte[]>> digests = new ArrayList<>();

  private ContentDigests(List<DataLayout.Placement> placements) {
    executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "nanokit-tfs-digest");
      t.setDaemon(true);
      return t;
    });
    for (DataLayout.Placement p : placements) {
      TfsWriterTree.File f = p.file();
      digests.add(f.content.rereadable() ? executor.submit(() -> digest(f)) : null);
    }
  }

  /** Starts digesting the rereadable contents of {@code placements}, in layout order. */
  static ContentDigests start(List<DataLayout.Placement> placements) {
    return new ContentDigests(placements);
  }

  /** Whether placement {@code i} is digested here (else the writer digests it inline). */
  boolean digestsInBackground(int i) {
    return digests.get(i) != null;
  }

  /** The digest of placement {@code i}, waiting for it. */
  byte[] get(int i) throws IOException {
    try {
      return digests.get(i).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while digesting file contents");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      throw new IOException(cause);
    }
  }

  private static byte[] digest(TfsWriterTree.File f) throws IOException {
    MessageDigest md = TfsReproducibility.sha256();
    ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(1, f.length)));
    long remaining = f.length;
    try (ReadableByteChannel in = f.content.open()) {
      while (remaining > 0) {
        buf.clear().limit((int) Math.min(buf.capacity(), remaining));
        int n = in.read(buf);
        if (n < 0) {
          throw new IOException(f.content.origin() + ": ended after " + (f.length - remaining) + " of " + f.length
              + " bytes (changed since it was added?)");
        }
        md.update(buf.array(), 0, n);
        remaining -= n;
      }
    }
    return md.digest();
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
