package dev.nanokit.tfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanokit.manifest.StringValue;
import dev.nanokit.manifest.Tuple;
import dev.nanokit.manifest.VectorValue;
import dev.nanokit.testing.manifest.ByteArrayChannel;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One open volume read by many threads at once gives every thread the right bytes; its values are read-only. */
class TfsVolumeConcurrencyTest {
  private static final int FILES = 2000;
  private static final int THREADS = 16;

  @TempDir Path tmp;
  Path image;
  List<byte[]> contents = new ArrayList<>();

  @BeforeEach
  void volume() throws Exception {
    Random r = new Random(2000);
    TfsWriter w = TfsWriter.create();
    for (int i = 0; i < FILES; i++) {
      // Sizes across block boundaries, so that reads of different files interleave inside extents.
      byte[] b = new byte[r.nextInt(3 * 512 + 7)];
      r.nextBytes(b);
      contents.add(b);
      w.addFile("/d" + (i % 20) + "/f" + i, b);
    }
    w.setRootKey("arguments", VectorValue.ofStrings(List.of("a", "b")));
    image = tmp.resolve("v.img");
    w.writeTo(image);
  }

  private int readAll(TfsVolume v, int thread) throws Exception {
    int wrong = 0;
    for (int k = 0; k < FILES; k++) {
      int i = (k * 7 + thread * 131) % FILES; // every thread its own order
      try (InputStream in = v.lookup(ImagePath.of("/d" + (i % 20) + "/f" + i)).orElseThrow().newInputStream()) {
        if (!java.util.Arrays.equals(in.readAllBytes(), contents.get(i))) {
          wrong++;
        }
      }
    }
    return wrong;
  }

  private void sixteenReaders(TfsVolume v) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        results.add(pool.submit(() -> readAll(v, thread)));
      }
      AtomicInteger wrong = new AtomicInteger();
      for (Future<Integer> f : results) {
        wrong.addAndGet(f.get());
      }
      assertThat(wrong.get()).as("wrong reads out of " + THREADS * FILES).isZero();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void sixteenThreadsReadEveryFileOfAFileBackedVolume() throws Exception {
    try (TfsVolume v = TfsVolume.open(image)) {
      sixteenReaders(v);
    }
  }

  @Test
  void sixteenThreadsReadEveryFileThroughACallersChannel() throws Exception {
    try (ByteArrayChannel ch = new ByteArrayChannel(Files.readAllBytes(image));
        TfsVolume v = TfsVolume.open(ch, TfsReadOptions.defaults())) {
      sixteenReaders(v);
    }
  }

  @Test
  void tuplesHandedOutAreReadOnlyAndChangeNothing() throws Exception {
    try (TfsVolume v = TfsVolume.open(image)) {
      Tuple root = v.rootTuple();
      assertThatThrownBy(() -> root.remove("children")).isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> root.put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> root.getTuple("children").remove("d0")).isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> root.entries().clear()).isInstanceOf(UnsupportedOperationException.class);
      VectorValue args = (VectorValue) root.get("arguments");
      assertThatThrownBy(() -> args.add(StringValue.of("c"))).isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> args.elements().clear()).isInstanceOf(UnsupportedOperationException.class);
      TfsNode d0 = v.lookup(ImagePath.of("/d0")).orElseThrow();
      assertThatThrownBy(() -> d0.tuple().getTuple("children").remove("f0"))
          .isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> d0.childNames().clear()).isInstanceOf(UnsupportedOperationException.class);
      // A copy is the caller's to change; the volume stays as it was.
      Tuple copy = root.deepCopy();
      copy.remove("children");
      assertThat(v.lookup(ImagePath.of("/d0/f0"))).isPresent();
      assertThat(v.rootTuple().names()).contains("children", "arguments");
      // The same view every time, so callers can tell shared tuples apart by identity.
      assertThat(d0.tuple()).isSameAs(v.lookup(ImagePath.of("/d0")).orElseThrow().tuple());
    }
  }
}
