package dev.nanokit.tfs;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Reads a tar archive (ustar, pax or GNU; plain or gzip-compressed, told apart by the gzip magic
 * bytes {@code 1f 8b}) into the tree a {@link TfsWriter} writes, as extracting it into an empty
 * directory would build it: names lose a leading {@code ./} or {@code /}; parents a name implies
 * are created; a later entry for a path replaces the earlier one (a directory entry over a
 * directory only sets its time); a hard link gets the content of the regular file at its target
 * name; a symlink keeps its literal target — an image path, never looked at on the host. Entry
 * mtimes become the nodes' host times, which only a {@link TfsTimestamps#fromFiles()} policy uses.
 *
 * <p>The archive is read once, front to back. Regular-file contents are appended to a spool file
 * and become {@link FileSlice}s of it, so neither a file nor the archive is ever held in memory and
 * the writer can read them later in its own layout order.
 *
 * <p>Refused, with one line naming the archive and the entry: names holding NUL, a {@code ..},
 * {@code .} or empty component; devices and FIFOs (TFS stores neither, docs/formats/tfs.md, "6.2 Directories"); sparse and
 * other entry types; hard links to a name no earlier entry gave a regular file; an entry under a
 * file or symlink, or a non-directory over a directory; data that ends before its declared size.
 */
final class TarTreeReader {
  private static final int BUFFER = 1 << 16;

  private final Path tar;
  private final Path spool;
  private final TfsWriterTree.Dir root = new TfsWriterTree.Dir();
  private long spooled;

  TarTreeReader(Path tar, Path spool) {
    this.tar = tar;
    this.spool = spool;
  }

  /** Reads the whole archive, appending file contents to the spool; the spool must outlive the writer's write. */
  TfsWriterTree.Dir read() throws IOException {
    spooled = Files.size(spool);
    byte[] buffer = new byte[BUFFER];
    try (BufferedInputStream file = new BufferedInputStream(Files.newInputStream(tar), BUFFER);
        EndCheckingTarInputStream entries = new EndCheckingTarInputStream(decompressed(file));
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(spool, StandardOpenOption.APPEND), BUFFER)) {
      String previous = null;
      while (true) {
        TarArchiveEntry e;
        long headerAt = (entries.getBytesRead() + 511) / 512 * 512; // where the previous entry's data ends
        try {
          e = entries.getNextEntry();
        } catch (IOException | RuntimeException ex) {
          throw new IOException(tar + ": unreadable tar header at byte " + headerAt
              + (previous == null ? "" : " (after entry \"" + printable(previous) + "\")") + ": " + message(ex), ex);
        }
        if (e == null) {
          if (entries.endedEarly) {
            throw new IOException(tar + ": truncated: the archive ends at byte " + entries.getBytesRead()
                + " without its end-of-archive record" + (previous == null ? "" : " (after entry \""
                + printable(previous) + "\")"));
          }
          break;
        }
        if (!e.isCheckSumOK()) {
          throw new IOException(tar + ": the header of entry \"" + printable(e.getName()) + "\" at byte " + headerAt
              + " has a wrong checksum (corrupt archive)");
        }
        add(e, entries, out, buffer);
        previous = e.getName();
      }
      out.flush();
    }
    return root;
  }

  /**
   * Tells an archive that ends where a header should be (cut short, possibly mid-header) from one
   * that ends with the all-zero end-of-archive record: commons-compress reports both as the end.
   */
  private static final class EndCheckingTarInputStream extends TarArchiveInputStream {
    private boolean endSeen;
    boolean endedEarly;

    EndCheckingTarInputStream(InputStream in) {
      super(in, StandardCharsets.UTF_8.name());
    }

    @Override
    protected boolean isEOFRecord(byte[] record) {
      boolean end = super.isEOFRecord(record);
      if (end && !endSeen) {
        // A null record is a short read: no zero record came before the data ran out.
        endedEarly = record == null;
        endSeen = true;
      }
      return end;
    }
  }

  private InputStream decompressed(BufferedInputStream in) throws IOException {
    in.mark(2);
    int b0 = in.read();
    int b1 = in.read();
    in.reset();
    if (b0 != 0x1f || b1 != 0x8b) {
      return in;
    }
    try {
      return new GzipCompressorInputStream(in, true);
    } catch (IOException | RuntimeException ex) {
      throw new IOException(tar + ": unreadable gzip header: " + message(ex), ex);
    }
  }

  private void add(TarArchiveEntry e, InputStream data, OutputStream out, byte[] buffer) throws IOException {
    String name = e.getName();
    List<String> parts = path(name, name, "name");
    TfsWriterTree.Node node;
    if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
      String kind = e.isFIFO() ? "a FIFO" : e.isCharacterDevice() ? "a character device" : "a block device";
      throw refused(name, kind + " (TFS stores only directories, regular files and symlinks)");
    } else if (e.isSparse()) {
      throw refused(name, "a sparse file (not supported)");
    } else if (e.isSymbolicLink()) {
      String target = e.getLinkName();
      if (target.isEmpty() || target.indexOf('\0') >= 0) {
        throw refused(name, "symlink target \"" + printable(target) + "\" is empty or contains NUL");
      }
      try {
        node = new TfsWriterTree.Symlink(target);
      } catch (IllegalArgumentException ex) {
        throw refused(name, ex.getMessage());
      }
    } else if (e.isLink()) {
      node = hardLink(name, e.getLinkName());
    } else if (e.isDirectory()) {
      node = new TfsWriterTree.Dir();
    } else if (isRegular(e.getLinkFlag())) {
      node = spoolFile(name, e.getSize(), data, out, buffer);
    } else {
      throw refused(name, "unsupported entry type '" + printable(String.valueOf((char) e.getLinkFlag())) + "'");
    }
    if (!e.isLink()) { // a hard link has its target's time, as it shares its inode
      node.hostTime = e.getLastModifiedTime();
    }
    put(parts, node, name);
  }

  private static boolean isRegular(byte flag) {
    return flag == TarConstants.LF_NORMAL || flag == TarConstants.LF_OLDNORM || flag == TarConstants.LF_CONTIG;
  }

  private TfsWriterTree.File spoolFile(String name, long declared, InputStream data, OutputStream out, byte[] buffer)
      throws IOException {
    long start = spooled;
    long n = 0;
    while (true) {
      int r;
      try {
        r = data.read(buffer);
      } catch (IOException | RuntimeException ex) {
        throw refused(name, "data ends or breaks after " + n + " of its " + declared + " bytes: " + message(ex));
      }
      if (r < 0) {
        break;
      }
      try {
        out.write(buffer, 0, r);
      } catch (IOException ex) {
        throw new IOException(spool + ": cannot spool entry \"" + printable(name) + "\" of " + tar + ": "
            + message(ex), ex);
      }
      n += r;
    }
    if (n != declared) {
      throw refused(name, "data ends after " + n + " of its " + declared + " bytes");
    }
    spooled += n;
    return new TfsWriterTree.File(n, new FileSlice(spool, start, n, tar + ": entry \"" + printable(name) + "\""));
  }

  /** Extraction makes a hard link share the inode: in TFS, a copy of the file's content and time. */
  private TfsWriterTree.File hardLink(String name, String target) throws IOException {
    TfsWriterTree.Node n = root;
    for (String p : path(target, name, "hard link target")) {
      n = n instanceof TfsWriterTree.Dir d ? d.children.get(p) : null;
      if (n == null) {
        break;
      }
    }
    if (n == null) {
      throw refused(name, "hard link to \"" + printable(target) + "\", which no earlier entry names");
    }
    if (!(n instanceof TfsWriterTree.File f)) {
      throw refused(name, "hard link to \"" + printable(target) + "\", which is not a regular file");
    }
    TfsWriterTree.File copy = new TfsWriterTree.File(f.length, f.content);
    copy.hostTime = f.hostTime;
    return copy;
  }

  private void put(List<String> parts, TfsWriterTree.Node node, String name) throws IOException {
    if (parts.isEmpty()) {
      if (!(node instanceof TfsWriterTree.Dir)) {
        throw refused(name, "names the top of the tree but is not a directory");
      }
      root.hostTime = node.hostTime;
      return;
    }
    TfsWriterTree.Dir dir = root;
    for (int i = 0; i < parts.size() - 1; i++) {
      TfsWriterTree.Node child = dir.children.get(parts.get(i));
      if (child == null) {
        TfsWriterTree.Dir created = new TfsWriterTree.Dir();
        dir.children.put(parts.get(i), created);
        dir = created;
      } else if (child instanceof TfsWriterTree.Dir sub) {
        dir = sub;
      } else {
        throw refused(name, "its parent \"" + printable(String.join("/", parts.subList(0, i + 1)))
            + "\" is not a directory");
      }
    }
    String leaf = parts.get(parts.size() - 1);
    TfsWriterTree.Node old = dir.children.get(leaf);
    if (old instanceof TfsWriterTree.Dir oldDir) {
      if (!(node instanceof TfsWriterTree.Dir)) {
        throw refused(name, "an earlier entry made it a directory");
      }
      oldDir.hostTime = node.hostTime; // extracting a directory again keeps what is in it
      return;
    }
    dir.children.put(leaf, node);
  }

  /**
   * The path components of an entry name or hard link target: leading {@code /} and {@code ./}
   * stripped, one trailing {@code /} allowed; empty for the top of the tree ({@code ./}).
   */
  private List<String> path(String raw, String entry, String what) throws IOException {
    if (raw.indexOf('\0') >= 0) {
      throw refused(entry, what + " contains NUL");
    }
    String s = raw;
    while (s.startsWith("/") || s.startsWith("./")) {
      s = s.substring(s.startsWith("/") ? 1 : 2);
    }
    if (s.equals(".")) {
      s = "";
    }
    if (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    List<String> parts = new ArrayList<>();
    if (s.isEmpty()) {
      return parts;
    }
    for (String p : s.split("/", -1)) {
      if (p.isEmpty() || p.equals(".") || p.equals("..")) {
        throw refused(entry, (raw.equals(entry) ? what : what + " \"" + printable(raw) + "\"") + " has a"
            + (p.isEmpty() ? "n empty" : " '" + p + "'") + " component");
      }
      try {
        TfsWriterTree.checkUtf8(p, what);
      } catch (IllegalArgumentException ex) {
        throw refused(entry, ex.getMessage());
      }
      parts.add(p);
    }
    return parts;
  }

  private IOException refused(String entry, String why) {
    return new IOException(tar + ": refused entry \"" + printable(entry) + "\": " + why);
  }

  private static String message(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.replace('\n', ' ');
  }

  /** Control characters as {@code \xNN}, so a hostile name cannot break the one-line message. */
  static String printable(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        b.append(String.format("\\x%02x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
