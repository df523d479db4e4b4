package dev.nanokit.tfs;

import dev.nanokit.tfs.log.TfsFormat;
import java.util.Map;

/**
 * Places file data for the ops layout (docs/formats/tfs.md, "7.2 Layouts produced by the two
 * writers", "9.1 Writer (recommended, ops-compatible layout)" step 2): data from block
 * {@value #FIRST_DATA_BLOCK} on, each non-empty file contiguous and rounded up to whole blocks, files
 * in depth-first {@link TfsReproducibility#NAME_ORDER} order — the order {@link #forEachFile} visits
 * them in and {@link WriterTreeEncoder} encodes their tuples in.
 *
 * <p>Each file's first block is kept in its node ({@link TfsWriterTree.File#firstBlock}) rather than
 * in a list beside the tree: a tree of 200,000 files is written without a second structure of that
 * size.
 */
final class DataLayout {
  static final long FIRST_DATA_BLOCK = TfsFormat.INITIAL_EXTENSION_BLOCKS + TfsFormat.EXTENSION_BLOCKS;

  /**
   * What {@link #forEachFile} calls, in layout order, for each non-empty file: the file's image path is
   * {@code directory + "/" + name} ({@code directory} is empty for the root), made only by a visitor
   * that needs it (a tree of 200,000 files would otherwise make as many strings per visit).
   */
  @FunctionalInterface
  interface FileVisitor<X extends Exception> {
    void visit(String directory, String name, TfsWriterTree.File file) throws X;
  }

  /** First block after the data. */
  long nextBlock = FIRST_DATA_BLOCK;
  long directories;
  long files;
  long symlinks;
  long dataBytes;

  private DataLayout() {}

  /** Places every file of {@code tree}, setting each one's {@link TfsWriterTree.File#firstBlock}. */
  static DataLayout of(TfsWriterTree tree) {
    DataLayout layout = new DataLayout();
    layout.place(tree.root);
    return layout;
  }

  private void place(TfsWriterTree.Node node) {
    if (node instanceof TfsWriterTree.Dir d) {
      directories++;
      for (TfsWriterTree.Node child : d.children.values()) {
        place(child);
      }
    } else if (node instanceof TfsWriterTree.File f) {
      files++;
      long blocks = blocks(f);
      f.firstBlock = blocks > 0 ? nextBlock : -1;
      nextBlock += blocks;
      dataBytes += f.length;
    } else if (node instanceof TfsWriterTree.Symlink) {
      symlinks++;
    }
  }

  /** Blocks a file's data takes: its length rounded up to whole blocks. */
  static long blocks(TfsWriterTree.File f) {
    return (f.length + TfsFormat.BLOCK_SIZE - 1) / TfsFormat.BLOCK_SIZE;
  }

  /** Calls {@code visitor} for every non-empty file of {@code tree}, in layout order. */
  static <X extends Exception> void forEachFile(TfsWriterTree tree, FileVisitor<X> visitor) throws X {
    visit(tree.root, "", visitor);
  }

  private static <X extends Exception> void visit(TfsWriterTree.Dir dir, String path, FileVisitor<X> visitor) throws X {
    for (Map.Entry<String, TfsWriterTree.Node> e : dir.children.entrySet()) {
      if (e.getValue() instanceof TfsWriterTree.Dir d) {
        visit(d, path + "/" + e.getKey(), visitor);
      } else if (e.getValue() instanceof TfsWriterTree.File f && f.length > 0) {
        visitor.visit(path, e.getKey(), f);
      }
    }
  }
}
