package dev.nanokit.tfs;

import dev.nanokit.manifest.IntegerValue;
import dev.nanokit.manifest.StringValue;
import dev.nanokit.manifest.Tuple;
import dev.nanokit.manifest.Value;
import dev.nanokit.manifest.codec.TupleEncoder;
import dev.nanokit.manifest.codec.TupleEncoding;
import dev.nanokit.tfs.log.TfsFormat;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Encodes a {@link TfsWriterTree}, laid out by {@link DataLayout}, as the root tuple record of a fresh
 * log, straight from the tree: no {@link Tuple} of the whole volume is built, which for a large tree
 * would cost several times the tree itself.
 *
 * <p>Attribute order inside the tuples (meaningless to readers, fixed here for reproducibility):
 * root {@code children}, then {@code mtime} when timestamps are on, the root keys in name order and
 * the root's extra attributes; directory {@code children}; file {@code filelength}, {@code extents}
 * and extent {@code offset}, {@code length}, {@code allocated} in v5 (as docs/formats/tfs.md, "11.1
 * One directory, one small file (fresh log, ops layout, v5)"); file {@code extents},
 * {@code filelength} and extent {@code length}, {@code offset}, {@code allocated} in v4 (as the ops v4
 * example, docs/formats/tfs.md, "11.3 Version 4 encoding of a similar tree (as written by ops with
 * `TFSv4`)"); symlink {@code linktarget}; then {@code mtime} when timestamps are on; then the entry's
 * extra attributes in insertion order. Extents cover at most {@value TfsFormat#MAX_EXTENT_BLOCKS}
 * blocks each and are keyed {@code 0}, {@code 65536}, … as the kernel and mkfs write them
 * (docs/formats/tfs.md, "6.3 Regular files"). Numbers are integers (v5; mkfs style), which the v4
 * encoder writes as decimal text.
 */
final class WriterTreeEncoder {
  private final TupleEncoder encoder;
  private final TupleEncoding encoding;
  private final TfsTimestamps timestamps;
  private final ByteArrayOutputStream out;

  private WriterTreeEncoder(TupleEncoding encoding, TfsTimestamps timestamps, int sizeHint) {
    this.encoder = new TupleEncoder(encoding);
    this.encoding = encoding;
    this.timestamps = timestamps;
    this.out = new ByteArrayOutputStream(sizeHint);
  }

  /** The encoded root tuple (one TUPLE_AVAILABLE record's body) of {@code tree}, laid out already. */
  static byte[] encode(TfsWriterTree tree, DataLayout layout, TupleEncoding encoding, TfsTimestamps timestamps) {
    // About 48 bytes per entry for a tree of short names: one allocation, not a dozen doublings.
    long entries = layout.directories + layout.files + layout.symlinks;
    int hint = (int) Math.min(Integer.MAX_VALUE - 16, Math.max(256, entries * 48));
    WriterTreeEncoder e = new WriterTreeEncoder(encoding, timestamps, hint);
    e.root(tree);
    return e.out.toByteArray();
  }

  private void root(TfsWriterTree tree) {
    // The root's own keys can name the same attribute twice (a root key and an extra attribute of
    // "/"): a Tuple of them keeps the last value at the first position, as one put after another does.
    Tuple rest = new Tuple();
    if (!tree.root.attributes().contains("mtime")) {
      mtime(tree.root).ifPresent(m -> rest.put("mtime", IntegerValue.of(m)));
    }
    for (Map.Entry<String, Value> e : tree.rootKeys.entrySet()) {
      rest.put(e.getKey(), e.getValue());
    }
    for (Map.Entry<String, Value> e : tree.root.attributes().entries().entrySet()) {
      rest.put(e.getKey(), e.getValue());
    }
    encoder.writeTupleHeader(out, 1 + rest.size());
    encoder.writeEntryName(out, "children");
    children(tree.root);
    for (Map.Entry<String, Value> e : rest.entries().entrySet()) {
      encoder.writeEntryName(out, e.getKey());
      encoder.writeEntryValue(out, TfsWriterTree.copy(e.getValue()));
    }
  }

  private void children(TfsWriterTree.Dir dir) {
    encoder.writeTupleHeader(out, dir.children.size());
    for (Map.Entry<String, TfsWriterTree.Node> e : dir.children.entrySet()) {
      encoder.writeEntryName(out, e.getKey());
      node(e.getValue());
    }
  }

  private void node(TfsWriterTree.Node node) {
    OptionalLong mtime = node.attributes().contains("mtime") ? OptionalLong.empty() : mtime(node);
    int own = node instanceof TfsWriterTree.File ? 2 : node instanceof TfsWriterTree.Opaque ? 0 : 1;
    encoder.writeTupleHeader(out, own + (mtime.isPresent() ? 1 : 0) + node.attributes().size());
    if (node instanceof TfsWriterTree.Dir d) {
      encoder.writeEntryName(out, "children");
      children(d);
    } else if (node instanceof TfsWriterTree.File f) {
      file(f);
    } else if (node instanceof TfsWriterTree.Symlink s) {
      encoder.writeEntryName(out, "linktarget");
      encoder.writeEntryValue(out, StringValue.of(s.target));
    }
    if (mtime.isPresent()) {
      encoder.writeEntryName(out, "mtime");
      encoder.writeInteger(out, mtime.getAsLong());
    }
    for (Map.Entry<String, Value> e : node.attributes().entries().entrySet()) {
      encoder.writeEntryName(out, e.getKey());
      encoder.writeEntryValue(out, TfsWriterTree.copy(e.getValue()));
    }
  }

  private void file(TfsWriterTree.File f) {
    if (encoding == TupleEncoding.V5) {
      encoder.writeEntryName(out, "filelength");
      encoder.writeInteger(out, f.length);
      encoder.writeEntryName(out, "extents");
      extents(f);
    } else {
      encoder.writeEntryName(out, "extents");
      extents(f);
      encoder.writeEntryName(out, "filelength");
      encoder.writeInteger(out, f.length);
    }
  }

  private void extents(TfsWriterTree.File f) {
    long blocks = DataLayout.blocks(f);
    long count = (blocks + TfsFormat.MAX_EXTENT_BLOCKS - 1) / TfsFormat.MAX_EXTENT_BLOCKS;
    encoder.writeTupleHeader(out, Math.toIntExact(count));
    for (long key = 0; key < blocks; key += TfsFormat.MAX_EXTENT_BLOCKS) {
      long n = Math.min(TfsFormat.MAX_EXTENT_BLOCKS, blocks - key);
      encoder.writeEntryName(out, Long.toString(key));
      encoder.writeTupleHeader(out, 3);
      if (encoding == TupleEncoding.V5) {
        encoder.writeEntryName(out, "offset");
        encoder.writeInteger(out, f.firstBlock + key);
        encoder.writeEntryName(out, "length");
        encoder.writeInteger(out, n);
      } else {
        encoder.writeEntryName(out, "length");
        encoder.writeInteger(out, n);
        encoder.writeEntryName(out, "offset");
        encoder.writeInteger(out, f.firstBlock + key);
      }
      encoder.writeEntryName(out, "allocated");
      encoder.writeInteger(out, n);
    }
  }

  private OptionalLong mtime(TfsWriterTree.Node node) {
    return timestamps.mtimeFor(node.hostTime);
  }
}
