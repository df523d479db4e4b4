package dev.nanokit.testing.tfs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Hand-built tar archives for tests, entry by entry, including entries no tree on disk gives
 * (devices, links to nowhere, duplicate names, names with NUL or {@code ..}).
 */
public final class TarFixture {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final TarArchiveOutputStream tar;
  private long mtime;

  public TarFixture() {
    tar = new TarArchiveOutputStream(bytes, StandardCharsets.UTF_8.name());
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    tar.setAddPaxHeadersForNonAsciiNames(true);
  }

  /** The mtime (seconds) of the entries added from now on; 0 at first. */
  public TarFixture mtime(long seconds) {
    this.mtime = seconds;
    return this;
  }

  public TarFixture dir(String name) {
    return add(new TarArchiveEntry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR, true), null);
  }

  public TarFixture file(String name, String content) {
    return file(name, content.getBytes(StandardCharsets.UTF_8));
  }

  public TarFixture file(String name, byte[] content) {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
    e.setSize(content.length);
    return add(e, content);
  }

  public TarFixture symlink(String name, String target) {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
    e.setLinkName(target);
    return add(e, null);
  }

  public TarFixture hardLink(String name, String target) {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
    e.setLinkName(target);
    return add(e, null);
  }

  /** An entry of type {@code flag} with no data, e.g. {@link TarConstants#LF_CHR}. */
  public TarFixture special(String name, byte flag) {
    return add(new TarArchiveEntry(name, flag, true), null);
  }

  private TarFixture add(TarArchiveEntry e, byte[] content) {
    e.setLastModifiedTime(FileTime.fromMillis(mtime * 1000));
    try {
      tar.putArchiveEntry(e);
      if (content != null) {
        tar.write(content);
      }
      tar.closeArchiveEntry();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return this;
  }

  /** The finished archive. */
  public byte[] bytes() {
    try {
      tar.finish();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return bytes.toByteArray();
  }

  public static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return out.toByteArray();
  }
}
