package dev.nanokit.core.ops;

import dev.nanokit.core.host.MessageText;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Extracts a gzip-compressed tar archive (Commons Compress) into a directory, refusing anything that
 * could write or point outside it. Both archive kinds ops unpacks with its {@code ExtractPackage}
 * (ops {@code lepton/package.go}) come through here: ops packages ({@link OpsPackage}) and Nanos
 * release tarballs ({@link NanosReleaseFetcher}); ops itself joins each entry name to the destination
 * unchecked.
 *
 * <p>An entry is refused, with a one-line {@link IOException} naming the archive and the entry, if its
 * name is absolute, contains a {@code ..} component or a NUL character, would be written through a
 * symlink extracted earlier, or is a symlink whose target leads out of the directory (checked on the
 * name when the entry is read, and again once everything is extracted by following each link the way
 * the OS would, so a chain of individually harmless links cannot escape either), or a hard link to a
 * name outside it or not yet extracted. Only directories, regular files, symlinks and hard links
 * (extracted as copies) are accepted; devices, FIFOs and the like are refused. File modes and times
 * are not restored (neither TFS nor the release cache needs them).
 *
 * <p>Absolute symlink targets are refused unless {@code allowAbsoluteSymlinks}: packages made by
 * {@code ops pkg from-docker} hold them in {@code sysroot/}, where they are paths in the image. They
 * are kept verbatim and never followed here; a link that resolves through one stops being checked at
 * that point, since from there on it is an image path too.
 */
public final class SafeTarExtractor {
  private static final int MAX_LINK_HOPS = dev.nanokit.paths.SymlinkLimit.MAX_HOPS;

  /**
   * Bytes an archive of known size may expand to, per byte of archive: gzip reaches about 1000 to 1
   * on zeros, so more is a decompression bomb (a 2 MB package expanding to 2.36 GB), not a package.
   */
  public static final long EXPANSION_RATIO = 1000;
  /** Room for small archives: a 10 KB package may still hold a 64 MiB sparse-looking file of zeros. */
  public static final long MIN_EXPANSION_BYTES = 64L << 20;
  /** The most any archive may expand to unless the caller says otherwise: 16 GiB. */
  public static final long MAX_EXPANSION_BYTES = 16L << 30;

  private final boolean allowAbsoluteSymlinks;
  /** Tar bytes the gzip stream may produce; 0: {@link #defaultExpansionLimit} for a file, else the maximum. */
  private final long maxExpandedBytes;

  public SafeTarExtractor(boolean allowAbsoluteSymlinks) {
    this(allowAbsoluteSymlinks, 0);
  }

  /** {@code maxExpandedBytes}: the tar bytes the archive may expand to; 0 for the default. */
  public SafeTarExtractor(boolean allowAbsoluteSymlinks, long maxExpandedBytes) {
    if (maxExpandedBytes < 0) {
      throw new IllegalArgumentException("maxExpandedBytes must not be negative: " + maxExpandedBytes);
    }
    this.allowAbsoluteSymlinks = allowAbsoluteSymlinks;
    this.maxExpandedBytes = maxExpandedBytes;
  }

  /** {@value #EXPANSION_RATIO} times the archive, at least 64 MiB, at most 16 GiB. */
  public static long defaultExpansionLimit(long archiveBytes) {
    long ratio = archiveBytes > MAX_EXPANSION_BYTES / EXPANSION_RATIO ? MAX_EXPANSION_BYTES : archiveBytes * EXPANSION_RATIO;
    return Math.min(MAX_EXPANSION_BYTES, Math.max(MIN_EXPANSION_BYTES, ratio));
  }

  /** Extracts the {@code .tar.gz} file {@code archive} into {@code root} (created if needed). */
  public void extract(Path archive, Path root) throws IOException {
    long limit = maxExpandedBytes > 0 ? maxExpandedBytes : defaultExpansionLimit(Files.size(archive));
    try (InputStream in = Files.newInputStream(archive)) {
      extract(in, archive.toString(), root, limit);
    }
  }

  /**
   * Extracts a gzip-compressed tar read from {@code gzippedTar} into {@code root} (created if needed;
   * should be empty). {@code source} names the archive in error messages. On failure whatever was
   * extracted so far stays in {@code root}: the caller owns that directory and deletes it.
   */
  public void extract(InputStream gzippedTar, String source, Path root) throws IOException {
    extract(gzippedTar, source, root, maxExpandedBytes > 0 ? maxExpandedBytes : MAX_EXPANSION_BYTES);
  }

  private void extract(InputStream gzippedTar, String source, Path root, long limit) throws IOException {
    Files.createDirectories(root);
    Path top = root.toAbsolutePath().normalize();
    GzipCompressorInputStream gz;
    try {
      gz = new GzipCompressorInputStream(new BufferedInputStream(gzippedTar));
    } catch (IOException e) {
      throw unreadable(source, e);
    }
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new ExpansionLimit(gz, source, limit))) {
      while (true) {
        TarArchiveEntry e;
        try {
          e = tar.getNextEntry();
        } catch (ArchiveExpansionException ex) {
          throw ex;
        } catch (IOException | IllegalArgumentException ex) {
          throw unreadable(source, ex);
        }
        if (e == null) {
          break;
        }
        extractEntry(source, top, tar, e);
      }
    }
    checkSymlinksStayInside(source, top);
  }

  private void extractEntry(String source, Path root, TarArchiveInputStream tar, TarArchiveEntry e)
      throws IOException {
    String name = e.getName();
    Path dest = destination(source, root, name);
    if (dest.equals(root)) {
      if (!e.isDirectory()) {
        throw refused(source, name, "not a directory but names the archive root");
      }
      return;
    }
    checkParents(source, root, dest, name, "would be written");
    boolean isDirectory = Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS);
    if (e.isDirectory()) {
      if (Files.isSymbolicLink(dest)) {
        throw refused(source, name, "a directory over a symlink");
      }
      if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS) && !isDirectory) {
        throw refused(source, name, "a directory over a file");
      }
      Files.createDirectories(dest);
      return;
    }
    if (isDirectory) {
      throw refused(source, name, "replaces the directory extracted before it");
    }
    if (e.isSymbolicLink()) {
      String target = e.getLinkName();
      if (target.isEmpty() || target.indexOf('\0') >= 0) {
        throw refused(source, name, "symlink to \"" + MessageText.printable(target) + "\" is not a path");
      }
      boolean absolute = target.startsWith("/");
      if (absolute ? !allowAbsoluteSymlinks : !dest.getParent().resolve(target).normalize().startsWith(root)) {
        throw refused(source, name, "symlink to " + MessageText.printable(target) + " points outside the package");
      }
      Files.createDirectories(dest.getParent());
      Files.deleteIfExists(dest);
      Files.createSymbolicLink(dest, Path.of(target));
    } else if (e.isLink()) {
      Path src;
      try {
        src = destination(source, root, e.getLinkName());
      } catch (IOException outside) {
        throw refused(source, name, "hard link to " + MessageText.printable(e.getLinkName()) + " points outside the package");
      }
      checkParents(source, root, src, name, "hard link to " + MessageText.printable(e.getLinkName()) + " would be read");
      if (!Files.isRegularFile(src, LinkOption.NOFOLLOW_LINKS)) {
        throw refused(source, name, "hard link to " + MessageText.printable(e.getLinkName())
            + " which is not a regular file extracted before it");
      }
      if (src.equals(dest)) {
        throw refused(source, name, "hard link to itself");
      }
      Files.createDirectories(dest.getParent());
      Files.deleteIfExists(dest);
      try {
        // A link, not a copy: an archive of one big file and many links to it stays small on disk.
        Files.createLink(dest, src);
      } catch (UnsupportedOperationException | java.nio.file.FileSystemException noLinks) {
        Files.copy(src, dest);
      }
    } else if (isRegularFile(e)) {
      Files.createDirectories(dest.getParent());
      Files.deleteIfExists(dest);
      Files.copy(tar, dest);
    } else {
      throw refused(source, name, "unsupported entry type (only directories, files and symlinks)");
    }
  }

  /**
   * Commons Compress calls any unknown type a file ({@link TarArchiveEntry#isFile} is true for devices
   * and FIFOs), so regular files are recognised by their type flag.
   */
  private static boolean isRegularFile(TarArchiveEntry e) {
    byte flag = e.getLinkFlag();
    return flag == TarArchiveEntry.LF_NORMAL || flag == TarArchiveEntry.LF_OLDNORM
        || flag == TarArchiveEntry.LF_CONTIG || e.isSparse();
  }

  /** Where {@code name} goes under {@code root}; refuses absolute, {@code ..} and NUL names. */
  private static Path destination(String source, Path root, String name) throws IOException {
    if (name.indexOf('\0') >= 0) {
      throw refused(source, name, "name contains a NUL character");
    }
    if (name.startsWith("/") || name.matches("^[A-Za-z]:.*") || name.startsWith("\\")) {
      throw refused(source, name, "absolute name");
    }
    for (String part : name.split("[/\\\\]")) {
      if (part.equals("..")) {
        throw refused(source, name, "name contains ..");
      }
    }
    Path dest = root.resolve(name).normalize();
    if (!dest.startsWith(root)) {
      throw refused(source, name, "escapes the extraction directory");
    }
    return dest;
  }

  /** Refuses going through an extracted symlink: every existing ancestor must be a real directory. */
  private static void checkParents(String source, Path root, Path dest, String name, String what)
      throws IOException {
    Path p = root;
    for (Path part : root.relativize(dest.getParent() == null ? root : dest.getParent())) {
      if (part.toString().isEmpty()) {
        continue;
      }
      p = p.resolve(part);
      if (Files.isSymbolicLink(p)) {
        throw refused(source, name, what + " through the symlink " + root.relativize(p));
      }
      if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        throw refused(source, name, "its parent " + root.relativize(p) + " is not a directory");
      }
    }
  }

  /**
   * Follows every extracted symlink component by component, as path resolution would, and refuses
   * one whose resolution steps above {@code root}: a link that looks inside by its text ({@code
   * a/q/../..}) may still leave when {@code a/q} is itself a link. Sorted, so the same archive always
   * reports the same entry.
   */
  private void checkSymlinksStayInside(String source, Path root) throws IOException {
    TreeMap<String, Path> links = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      s.filter(Files::isSymbolicLink).forEach(p -> links.put(root.relativize(p).toString(), p));
    }
    for (var link : links.entrySet()) {
      String target = Files.readSymbolicLink(link.getValue()).toString();
      if (target.startsWith("/")) {
        continue; // allowed only with allowAbsoluteSymlinks; an image path, never followed here
      }
      List<String> at = new ArrayList<>();
      root.relativize(link.getValue().getParent()).forEach(n -> {
        if (!n.toString().isEmpty()) {
          at.add(n.toString());
        }
      });
      Deque<String> todo = new ArrayDeque<>(List.of(target.split("/")));
      int hops = 0;
      while (!todo.isEmpty()) {
        String c = todo.pollFirst();
        if (c.isEmpty() || c.equals(".")) {
          continue;
        }
        if (c.equals("..")) {
          if (at.isEmpty()) {
            throw refused(source, link.getKey(), "symlink to " + MessageText.printable(target)
                + " resolves outside the package through other symlinks");
          }
          at.remove(at.size() - 1);
          continue;
        }
        Path p = root.resolve(String.join("/", at)).resolve(c);
        if (!Files.isSymbolicLink(p)) {
          at.add(c);
          continue;
        }
        if (++hops > MAX_LINK_HOPS) {
          throw refused(source, link.getKey(), "symlink to " + MessageText.printable(target)
              + " does not resolve within " + MAX_LINK_HOPS + " links");
        }
        String next = Files.readSymbolicLink(p).toString();
        if (next.startsWith("/")) {
          break; // continues in image space (see the class comment)
        }
        List<String> parts = List.of(next.split("/"));
        for (int i = parts.size() - 1; i >= 0; i--) {
          todo.addFirst(parts.get(i));
        }
      }
    }
  }

  /** Counts what a decompressing stream produces and fails, naming the archive, once it passes the limit. */
  public static final class ExpansionLimit extends java.io.FilterInputStream {
    private final String source;
    private final long limit;
    private long count;

    public ExpansionLimit(InputStream in, String source, long limit) {
      super(in);
      this.source = source;
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        counted(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        counted(n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      counted(skipped);
      return skipped;
    }

    private void counted(long n) throws IOException {
      count += n;
      if (count > limit) {
        throw new ArchiveExpansionException(source + ": expands to more than " + limit
            + " bytes, the limit for this archive (a decompression bomb?)");
      }
    }
  }

  /** The archive expanded past its limit; not a read error, so never reported as "not a readable .tar.gz". */
  public static final class ArchiveExpansionException extends IOException {
    private static final long serialVersionUID = 1L;

    public ArchiveExpansionException(String message) {
      super(message);
    }
  }

  private static IOException unreadable(String source, Exception e) {
    String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().replace('\n', ' ');
    return new IOException(source + ": not a readable .tar.gz: " + why, e);
  }

  public static IOException refused(String source, String name, String why) {
    return new IOException(source + ": refused entry \"" + MessageText.printable(name) + "\": " + why);
  }
}
