package dev.nanokit.tfs;

import dev.nanokit.manifest.IntegerValue;
import dev.nanokit.manifest.StringValue;
import dev.nanokit.manifest.Tuple;
import dev.nanokit.manifest.Value;
import dev.nanokit.manifest.codec.TupleEncoding;
import dev.nanokit.tfs.log.TfsFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Places file data and builds the root tuple for the ops layout (docs/formats/tfs.md, "7.2 Layouts produced by the two writers", "9.1 Writer (recommended, ops-compatible layout)" steps 2–3): data
 * from block {@value #FIRST_DATA_BLOCK} on, each non-empty file contiguous and rounded up to whole
 * blocks, files in depth-first {@link TfsReproducibility#NAME_ORDER} order (the order their tuples
 * are encoded in), extents of at most {@value TfsFormat#MAX_EXTENT_BLOCKS} blocks keyed {@code 0},
 * {@code 65536}, … as the kernel and mkfs write them (docs/formats/tfs.md, "6.3 Regular files").
 *
 * <p>Attribute order inside the tuples (meaningless to readers, fixed here for reproducibility):
 * root {@code children} then the root keys in name order; directory {@code children}; file
 * {@code filelength}, {@code extents} and extent {@code offset}, {@code length}, {@code allocated} in
 * v5 (as docs/formats/tfs.md, "11.1 One directory, one small file (fresh log, ops layout, v5)"); file {@code extents}, {@code filelength} and extent {@code length},
 * {@code offset}, {@code allocated} in v4 (as the ops v4 example, docs/formats/tfs.md, "11.3 Version 4 encoding of a similar tree (as written by ops with `TFSv4`)"); then {@code mtime}
 * when timestamps are on; then the entry's extra attributes in insertion order. Numbers are integers
 * (v5; mkfs style), which the v4 encoder writes as decimal text.
 */
final class DataLayout {
  static final long FIRST_DATA_BLOCK = TfsFormat.INITIAL_EXTENSION_BLOCKS + TfsFormat.EXTENSION_BLOCKS;

  /** One non-empty file's data: {@code blocks} blocks from {@code firstBlock}. */
  record Placement(String path, TfsWriterTree.File file, long firstBlock, long blocks) {}

  /** The root tuple until {@link #takeRoot} hands it over (to be encoded, then dropped). */
  private Tuple root;
  final List<Placement> placements = new ArrayList<>();
  /** First block after the data. */
  long nextBlock = FIRST_DATA_BLOCK;
  long directories;
  long files;
  long symlinks;
  long dataBytes;

  private final TupleEncoding encoding;
  private final TfsTimestamps timestamps;

  private DataLayout(TfsWriterTree tree, TupleEncoding encoding, TfsTimestamps timestamps) {
    this.encoding = encoding;
    this.timestamps = timestamps;
    this.root = new Tuple();
    directories++;
    root.put("children", children(tree.root, ""));
    mtime(root, tree.root);
    for (Map.Entry<String, Value> e : tree.rootKeys.entrySet()) {
      root.put(e.getKey(), TfsWriterTree.copy(e.getValue()));
    }
    extra(root, tree.root);
  }

  /**
   * The root tuple, which this layout then forgets: the encoded bytes are all a write needs, and the
   * tuples of a large tree are most of its memory.
   */
  Tuple takeRoot() {
    Tuple r = root;
    root = null;
    return r;
  }

  static DataLayout of(TfsWriterTree tree, TupleEncoding encoding, TfsTimestamps timestamps) {
    return new DataLayout(tree, encoding, timestamps);
  }

  private Tuple children(TfsWriterTree.Dir dir, String path) {
    Tuple children = new Tuple();
    for (Map.Entry<String, TfsWriterTree.Node> e : dir.children.entrySet()) {
      children.put(e.getKey(), node(e.getValue(), path + "/" + e.getKey()));
    }
    return children;
  }

  private Tuple node(TfsWriterTree.Node node, String path) {
    Tuple t = new Tuple();
    if (node instanceof TfsWriterTree.Dir d) {
      directories++;
      t.put("children", children(d, path));
    } else if (node instanceof TfsWriterTree.File f) {
      files++;
      file(t, f, path);
    } else if (node instanceof TfsWriterTree.Symlink s) {
      symlinks++;
      t.put("linktarget", StringValue.of(s.target));
    }
    mtime(t, node);
    extra(t, node);
    return t;
  }

  private void file(Tuple t, TfsWriterTree.File f, String path) {
    Tuple extents = new Tuple();
    long blocks = (f.length + TfsFormat.BLOCK_SIZE - 1) / TfsFormat.BLOCK_SIZE;
    if (blocks > 0) {
      placements.add(new Placement(path, f, nextBlock, blocks));
      for (long key = 0; key < blocks; key += TfsFormat.MAX_EXTENT_BLOCKS) {
        long n = Math.min(TfsFormat.MAX_EXTENT_BLOCKS, blocks - key);
        Tuple extent = new Tuple();
        IntegerValue offset = IntegerValue.of(nextBlock + key);
        IntegerValue length = IntegerValue.of(n);
        if (encoding == TupleEncoding.V5) {
          extent.put("offset", offset).put("length", length);
        } else {
          extent.put("length", length).put("offset", offset);
        }
        extent.put("allocated", IntegerValue.of(n));
        extents.put(Long.toString(key), extent);
      }
      nextBlock += blocks;
      dataBytes += f.length;
    }
    if (encoding == TupleEncoding.V5) {
      t.put("filelength", IntegerValue.of(f.length)).put("extents", extents);
    } else {
      t.put("extents", extents).put("filelength", IntegerValue.of(f.length));
    }
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
