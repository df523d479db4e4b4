package dev.nanokit.tfs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanokit.manifest.IntegerValue;
import dev.nanokit.manifest.StringValue;
import dev.nanokit.manifest.Tuple;
import dev.nanokit.manifest.Value;
import dev.nanokit.manifest.VectorValue;
import dev.nanokit.manifest.codec.TupleDecoder;
import dev.nanokit.manifest.codec.TupleEncoder;
import dev.nanokit.manifest.codec.TupleEncoding;
import dev.nanokit.testing.manifest.RandomCases;
import dev.nanokit.tfs.log.TfsFormat;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The root tuple encoded straight from the writer's tree is byte for byte the record a {@link Tuple}
 * of the same tree encodes to — the Tuple built here as docs/formats/tfs.md lays a fresh volume out
 * (attribute order, extents of at most 65536 blocks, mtime, extra attributes, root keys).
 */
class WriterTreeEncoderTest {
  @Test
  void encodesExactlyWhatATupleOfTheSameTreeEncodesTo() {
    RandomCases.run("writer tree encoding", 60, (r, i) -> {
      TfsWriterTree tree = new TfsWriterTree();
      fill(tree.root, r, 0);
      if (r.nextBoolean()) {
        tree.rootKeys.put("program", StringValue.of("/bin/app"));
        tree.rootKeys.put("arguments", vector("a", "b"));
      }
      if (r.nextInt(4) == 0) {
        tree.root.putAttribute("program", StringValue.of("/other")); // same name as a root key: last value, first place
        tree.root.putAttribute("user.root", StringValue.of("x"));
      }
      tree.root.hostTime = FileTime.from(Instant.ofEpochSecond(1_600_000_000L + r.nextInt(1000)));
      TupleEncoding encoding = r.nextBoolean() ? TupleEncoding.V5 : TupleEncoding.V4;
      TfsTimestamps timestamps = switch (r.nextInt(3)) {
        case 0 -> TfsTimestamps.none();
        case 1 -> TfsTimestamps.fixed(Instant.ofEpochSecond(1_000_000_000L));
        default -> TfsTimestamps.fromFiles();
      };
      DataLayout layout = DataLayout.of(tree);
      byte[] streamed = WriterTreeEncoder.encode(tree, layout, encoding, timestamps);
      Tuple expected = new ExpectedTuple(encoding, timestamps).root(tree);
      assertThat(streamed).isEqualTo(new TupleEncoder(encoding).encodeRecord(expected));
      assertThat(decode(streamed, encoding)).isNotNull();
    });
  }

  @Test
  void aFileLongerThanOneExtentGetsOneExtentPer65536Blocks() {
    TfsWriterTree tree = new TfsWriterTree();
    long length = (2L * TfsFormat.MAX_EXTENT_BLOCKS + 3) * TfsFormat.BLOCK_SIZE - 7;
    tree.root.children.put("big", new TfsWriterTree.File(length, null));
    DataLayout layout = DataLayout.of(tree);
    Tuple root = decode(WriterTreeEncoder.encode(tree, layout, TupleEncoding.V5, TfsTimestamps.none()), TupleEncoding.V5);
    Tuple extents = (Tuple) ((Tuple) ((Tuple) root.get("children")).get("big")).get("extents");
    assertThat(extents.entries().keySet()).containsExactly("0", "65536", "131072");
    assertThat(((Tuple) extents.get("131072")).get("length")).isEqualTo(IntegerValue.of(3));
    assertThat(((Tuple) extents.get("65536")).get("offset"))
        .isEqualTo(IntegerValue.of(DataLayout.FIRST_DATA_BLOCK + TfsFormat.MAX_EXTENT_BLOCKS));
  }

  private static Tuple decode(byte[] record, TupleEncoding encoding) {
    try {
      return new TupleDecoder(new dev.nanokit.manifest.codec.TupleDictionary()).decodeRecord(record, 0, record.length, encoding);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static void fill(TfsWriterTree.Dir dir, Random r, int depth) {
    int n = r.nextInt(depth == 0 ? 8 : 5);
    for (int k = 0; k < n; k++) {
      String name = "n" + r.nextInt(50) + (r.nextInt(6) == 0 ? "\u00e9\ud83d\ude00" : "");
      TfsWriterTree.Node node;
      switch (r.nextInt(depth < 3 ? 5 : 4)) {
        case 0, 1 -> node = new TfsWriterTree.File(r.nextInt(4) == 0 ? 0 : r.nextInt(300_000), null);
        case 2 -> node = new TfsWriterTree.Symlink("../t" + r.nextInt(9));
        case 3 -> node = new TfsWriterTree.Opaque();
        default -> {
          TfsWriterTree.Dir d = new TfsWriterTree.Dir();
          fill(d, r, depth + 1);
          node = d;
        }
      }
      if (r.nextInt(3) == 0) {
        node.hostTime = FileTime.from(Instant.ofEpochSecond(r.nextInt(2_000_000_000)));
      }
      if (r.nextInt(5) == 0) {
        node.putAttribute("user.tag", StringValue.of("v" + r.nextInt(3)));
      }
      if (r.nextInt(9) == 0) {
        node.putAttribute("mtime", IntegerValue.of(5L << 32)); // an explicit mtime wins
      }
      if (r.nextInt(9) == 0) {
        Tuple shared = new Tuple().put("k", StringValue.of("v"));
        node.putAttribute("pair", new VectorValue().add(shared).add(shared)); // sharing inside one value
      }
      dir.children.put(name, node);
    }
  }

  private static VectorValue vector(String... items) {
    VectorValue v = new VectorValue();
    for (String s : items) {
      v.add(StringValue.of(s));
    }
    return v;
  }

  /** The root tuple of a fresh volume, built entry by entry as a Tuple. */
  private static final class ExpectedTuple {
    private final TupleEncoding encoding;
    private final TfsTimestamps timestamps;

    ExpectedTuple(TupleEncoding encoding, TfsTimestamps timestamps) {
      this.encoding = encoding;
      this.timestamps = timestamps;
    }

    Tuple root(TfsWriterTree tree) {
      Tuple root = new Tuple();
      root.put("children", children(tree.root));
      mtime(root, tree.root);
      tree.rootKeys.forEach((k, v) -> root.put(k, TfsWriterTree.copy(v)));
      extra(root, tree.root);
      return root;
    }

    private Tuple children(TfsWriterTree.Dir dir) {
      Tuple children = new Tuple();
      dir.children.forEach((name, node) -> children.put(name, node(node)));
      return children;
    }

    private Tuple node(TfsWriterTree.Node node) {
      Tuple t = new Tuple();
      if (node instanceof TfsWriterTree.Dir d) {
        t.put("children", children(d));
      } else if (node instanceof TfsWriterTree.File f) {
        Tuple extents = new Tuple();
        long blocks = (f.length + 511) / 512;
        for (long key = 0; key < blocks; key += TfsFormat.MAX_EXTENT_BLOCKS) {
          long n = Math.min(TfsFormat.MAX_EXTENT_BLOCKS, blocks - key);
          Tuple extent = new Tuple();
          if (encoding == TupleEncoding.V5) {
            extent.put("offset", IntegerValue.of(f.firstBlock + key)).put("length", IntegerValue.of(n));
          } else {
            extent.put("length", IntegerValue.of(n)).put("offset", IntegerValue.of(f.firstBlock + key));
          }
          extent.put("allocated", IntegerValue.of(n));
          extents.put(Long.toString(key), extent);
        }
        if (encoding == TupleEncoding.V5) {
          t.put("filelength", IntegerValue.of(f.length)).put("extents", extents);
        } else {
          t.put("extents", extents).put("filelength", IntegerValue.of(f.length));
        }
      } else if (node instanceof TfsWriterTree.Symlink s) {
        t.put("linktarget", StringValue.of(s.target));
      }
      mtime(t, node);
      extra(t, node);
      return t;
    }

    private void mtime(Tuple t, TfsWriterTree.Node node) {
      OptionalLong m = timestamps.mtimeFor(node.hostTime);
      if (m.isPresent() && !node.attributes().contains("mtime")) {
        t.put("mtime", IntegerValue.of(m.getAsLong()));
      }
    }

    private static void extra(Tuple t, TfsWriterTree.Node node) {
      for (Map.Entry<String, Value> e : node.attributes().entries().entrySet()) {
        t.put(e.getKey(), TfsWriterTree.copy(e.getValue()));
      }
    }
  }
}
