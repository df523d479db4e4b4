package dev.nanokit.tfs;

import dev.nanokit.manifest.Tuple;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.IdentityHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes a tree of a {@link TfsVolume} as a POSIX tar archive (ustar headers, pax extended headers
 * for names or link targets over 100 bytes, non-ASCII names and sizes beyond the octal fields). The
 * tuple tree (docs/formats/tfs.md, "6 Filesystem semantics of the tuple tree") is all there is to export: directories ({@code children}), regular files
 * ({@code filelength} bytes read over their extents, "6.3 Regular files") and symlinks ({@code linktarget}, stored
 * verbatim, never followed).
 *
 * <p>The archive is a function of the tree only: entries come depth-first, parents before children,
 * siblings in {@link TfsNode#NAME_ORDER} (the order {@link TfsWriter} lays a volume out in); owner
 * 0:0 with no user or group names; mode 0755 for directories, 0644 for files, 0777 for symlinks
 * (TFS has no permissions); mtime the entry's TFS {@code mtime} in whole seconds ("6.5 Timestamps"), else 0.
 * File contents are streamed, never held whole in memory; a file under several names (a hard link)
 * is archived once and its other names are tar hard links to the first.
 *
 * <p>Stateless: safe for use by any number of threads, each with its own output stream.
 */
public final class TfsTarExporter {
  static final int DIRECTORY_MODE = 0755;
  static final int FILE_MODE = 0644;
  static final int SYMLINK_MODE = 0777;

  private TfsTarExporter() {}

  /**
   * Writes {@code start} and everything below it to {@code out} as a complete tar archive (end
   * records and padding to a 10240-byte record included), then flushes {@code out}; it stays open.
   * Names are relative to {@code start}, without a leading {@code /}; directories end in {@code /}.
   * A directory {@code start} has no entry of its own; a file or symlink {@code start} is the one
   * entry, under its own name.
   *
   * @throws TfsFormatException if the tree is malformed, or holds a name a tar extractor could be
   *     steered by ({@code ""}, {@code .}, {@code ..}, or containing {@code /} or NUL)
   */
  public static void write(TfsVolume volume, TfsNode start, OutputStream out) throws IOException {
    // 10240-byte records, as tar(1) writes them. Only close() writes the last, padded record; the
    // shield keeps the caller's stream open.
    TarArchiveOutputStream tar = new TarArchiveOutputStream(new CloseShield(out), TarConstants.DEFAULT_BLKSIZE,
        StandardCharsets.UTF_8.name());
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    tar.setAddPaxHeadersForNonAsciiNames(true);
    boolean startIsDirectory = start.type() == TfsNodeType.DIRECTORY;
    int prefix = start.path().equals("/") ? 1 : start.path().length() + 1;
    byte[] buffer = new byte[1 << 16];
    // A file tuple under several names is a hard link: its bytes go into the archive once, so the
    // archive stays bounded by the image however many names the log gives one file.
    IdentityHashMap<Tuple, String> archivedFiles = new IdentityHashMap<>();
    volume.walk(start, node -> {
      if (node.type() == TfsNodeType.DIRECTORY) {
        checkNames(node); // before the walk descends: a name holding '/' would make its path() ambiguous
      }
      if (node == start && startIsDirectory) {
        return;
      }
      String name = startIsDirectory ? node.path().substring(prefix) : start.name();
      if (node.type() != TfsNodeType.FILE) {
        tar.putArchiveEntry(entry(node, name));
      } else {
        String first = archivedFiles.putIfAbsent(node.tuple(), name);
        if (first != null) {
          tar.putArchiveEntry(hardLink(node, name, first));
        } else {
          // Opened before the header, so a file the reader refuses (too long, bad extents) leaves
          // no half-written entry behind.
          try (SeekableByteChannel content = node.openChannel()) {
            tar.putArchiveEntry(entry(node, name));
            copy(node, content, tar, buffer);
          }
        }
      }
      tar.closeArchiveEntry();
    });
    tar.close();
  }

  private static final class CloseShield extends FilterOutputStream {
    CloseShield(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }

  private static TarArchiveEntry entry(TfsNode node, String name) throws IOException {
    TarArchiveEntry e;
    switch (node.type()) {
      case DIRECTORY -> {
        e = new TarArchiveEntry(name + "/", TarConstants.LF_DIR, true);
        e.setMode(DIRECTORY_MODE);
      }
      case SYMLINK -> {
        String target = node.linkTarget();
        if (target.isEmpty() || target.indexOf('\0') >= 0) {
          throw new TfsFormatException(node.path() + ": symlink target is empty or contains NUL", -1);
        }
        e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
        e.setLinkName(target);
        e.setMode(SYMLINK_MODE);
      }
      default -> {
        e = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
        e.setSize(node.size());
        e.setMode(FILE_MODE);
      }
    }
    e.setIds(0, 0);
    e.setUserName("");
    e.setGroupName("");
    // Whole seconds: a fraction would add a pax mtime record, and TFS readers show seconds anyway.
    long seconds = node.mtime().map(Instant::getEpochSecond).orElse(0L);
    e.setLastModifiedTime(FileTime.from(seconds, TimeUnit.SECONDS));
    return e;
  }

  private static TarArchiveEntry hardLink(TfsNode node, String name, String target) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
    e.setLinkName(target);
    e.setMode(FILE_MODE);
    e.setIds(0, 0);
    e.setUserName("");
    e.setGroupName("");
    long seconds = node.mtime().map(Instant::getEpochSecond).orElse(0L);
    e.setLastModifiedTime(FileTime.from(seconds, TimeUnit.SECONDS));
    return e;
  }

  private static void copy(TfsNode node, SeekableByteChannel content, OutputStream tar, byte[] buffer)
      throws IOException {
    long size = node.size();
    long copied = 0;
    InputStream in = Channels.newInputStream(content);
    for (int n; (n = in.read(buffer)) > 0; ) {
      tar.write(buffer, 0, n);
      copied += n;
    }
    if (copied != size) {
      throw new TfsFormatException(node.path() + ": read " + copied + " of its " + size + " bytes", -1);
    }
  }

  /** The names {@code tfs cp} refuses too: each would make a tar extractor write somewhere else. */
  private static void checkNames(TfsNode dir) throws TfsFormatException {
    for (String name : dir.childNames()) {
      if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
        throw new TfsFormatException(dir.path() + ": refusing unsafe entry name \"" + name.replace("\0", "\\0") + "\"", -1);
      }
    }
  }
}
