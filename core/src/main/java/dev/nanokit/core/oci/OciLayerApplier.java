package dev.nanokit.core.oci;

import dev.nanokit.core.ImageFormatException;
import dev.nanokit.core.host.MessageText;
import dev.nanokit.core.host.NoFollow;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Applies one container image layer (an uncompressed tar stream, OCI image spec {@code layer.md}
 * "Applying Changesets") on top of the layers already applied to a root directory on the host.
 *
 * <p>Change types: an entry adds or replaces the path (a directory over a directory merges; any other
 * pair replaces the lower path and everything under it, as overlayfs shows it); {@code dir/.wh.name}
 * removes {@code dir/name} of lower layers, recursively; {@code dir/.wh..wh..opq} hides all lower-layer
 * content of {@code dir}. Whiteouts apply only to lower layers ({@code layer.md}: "files that are
 * present in the same layer as a whiteout file can only be hidden by whiteout files in subsequent
 * layers"), so the entries this layer has written are remembered and kept, whatever the order of the
 * markers in the tar. Other {@code .wh..wh.} names are aufs bookkeeping and are ignored.
 *
 * <p>Safety: names are relative to the root (a leading {@code /} is stripped, as Docker does);
 * {@code ..} components and NUL characters are refused. Symlinks are created with their target
 * verbatim (an absolute target means a path inside the image) and are never followed on the host: an
 * entry, whiteout or hard-link source whose parent path in the root is a symlink is refused. Hard
 * links name a path already in the root (this or an earlier layer) and become host hard links (a copy
 * where that fails); a later layer replaces a path by unlinking it first, so the other name keeps its
 * content. Devices and FIFOs are skipped (Nanos has none); file modes, owners and times are not
 * restored (TFS stores none of them).
 *
 * <p>Every refusal is one {@link ImageFormatException} line: {@code <context>: entry "<name>": why}.
 * The layer is streamed entry by entry; memory grows with the number of entries, not their size.
 */
public final class OciLayerApplier {
  /** Devices and FIFOs met in the layers applied so far (not unpacked: Nanos has none). */
  private int skippedSpecialFiles;

  public int skippedSpecialFiles() {
    return skippedSpecialFiles;
  }

  public static final String WHITEOUT_PREFIX = ".wh.";
  public static final String OPAQUE_MARKER = ".wh..wh..opq";

  private final Path root;

  /** {@code root}: an existing directory that receives the layers, in order. */
  public OciLayerApplier(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /**
   * Applies the uncompressed layer tar read from {@code tar} (not closed; read up to the end-of-archive
   * marker). {@code context} starts every error line (e.g. {@code "image.tar: layer sha256:…"}).
   */
  public void apply(InputStream tar, String context) throws IOException {
    new Pass(context).run(tar);
  }

  /** The state of one layer: which paths it has written, which directories it has made opaque. */
  private final class Pass {
    private final String context;
    /** Paths (relative, "/"-separated, "" = root) this layer has written or implied as parents. */
    private final Set<String> written = new HashSet<>();
    /** Directories whose lower-layer content this layer has already removed. */
    private final Set<String> opaque = new HashSet<>();
    private String entryName;

    public Pass(String context) {
      this.context = context;
      written.add("");
    }

    public void run(InputStream in) throws IOException {
      // Lenient: Docker layers carry odd uid/mtime fields we do not use anyway.
      TarArchiveInputStream tar = new TarArchiveInputStream(in, 10240, 512, "UTF-8", true);
      String previous = null;
      while (true) {
        TarArchiveEntry e;
        entryName = null;
        try {
          e = tar.getNextEntry();
        } catch (IOException x) {
          String where = previous == null ? "at the first entry" : "after entry \"" + MessageText.printable(previous) + "\"";
          throw new ImageFormatException(context + ": " + where + ": " + MessageText.oneLine(x));
        }
        if (e == null) {
          return;
        }
        entryName = e.getName();
        previous = entryName;
        try {
          entry(e, tar);
        } catch (ImageFormatException x) {
          throw x;
        } catch (IOException x) {
          throw new IOException(prefix() + MessageText.oneLine(x), x);
        }
      }
    }

    private void entry(TarArchiveEntry e, TarArchiveInputStream tar) throws IOException {
      String rel = relative(e.getName(), "name");
      if (rel.isEmpty()) {
        if (!e.isDirectory()) {
          throw refused("names the root but is not a directory");
        }
        return;
      }
      String base = rel.substring(rel.lastIndexOf('/') + 1);
      if (base.startsWith(WHITEOUT_PREFIX)) {
        String dir = parentOf(rel);
        ensureParents(rel);
        if (base.equals(OPAQUE_MARKER)) {
          makeOpaque(dir);
        } else if (!base.startsWith(WHITEOUT_PREFIX + WHITEOUT_PREFIX)) {
          String hidden = base.substring(WHITEOUT_PREFIX.length());
          if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) {
            throw refused("whiteout of \"" + MessageText.printable(hidden) + "\"");
          }
          whiteout(dir.isEmpty() ? hidden : dir + "/" + hidden);
        }
        return;
      }
      if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
        skippedSpecialFiles++;
        return;
      }
      ensureParents(rel);
      Path host = host(rel);
      if (e.isDirectory()) {
        BasicFileAttributes a = NoFollow.lstat(host);
        if (a == null || !a.isDirectory()) {
          NoFollow.remove(host, a);
          Files.createDirectory(host);
        }
      } else if (e.isSymbolicLink()) {
        String target = e.getLinkName();
        if (target.isEmpty() || target.indexOf('\0') >= 0) {
          throw refused("symlink with target \"" + MessageText.printable(target) + "\"");
        }
        NoFollow.remove(host, NoFollow.lstat(host));
        Files.createSymbolicLink(host, Path.of(target));
      } else if (e.isLink()) {
        hardLink(rel, host, e.getLinkName());
      } else if (isRegular(e)) {
        NoFollow.remove(host, NoFollow.lstat(host));
        // Files.copy creates with CREATE_NEW: it never writes through a symlink.
        Files.copy(tar, host);
      } else {
        throw refused("unsupported entry type '" + MessageText.printable(String.valueOf((char) e.getLinkFlag())) + "'");
      }
      written.add(rel);
    }

    private boolean isRegular(TarArchiveEntry e) {
      byte f = e.getLinkFlag();
      return f == 0 || f == TarArchiveEntry.LF_NORMAL || f == TarArchiveEntry.LF_CONTIG || e.isSparse();
    }

    private void hardLink(String rel, Path host, String linkName) throws IOException {
      String source = relative(linkName, "hard link target");
      if (source.isEmpty() || source.equals(rel) || source.startsWith(rel + "/")) {
        throw refused("hard link to \"" + MessageText.printable(linkName) + "\" (the root, itself or a name inside it)");
      }
      String missing = "hard link to \"" + MessageText.printable(linkName) + "\" which is not in the image";
      String parent = parentOf(source);
      Path p = root;
      String acc = "";
      for (String part : parent.isEmpty() ? new String[0] : parent.split("/")) {
        p = p.resolve(part);
        acc = acc.isEmpty() ? part : acc + "/" + part;
        BasicFileAttributes a = NoFollow.lstat(p);
        if (a == null || !a.isDirectory()) {
          throw refused(a != null && a.isSymbolicLink()
              ? "hard link to \"" + MessageText.printable(linkName) + "\" through the symlink " + MessageText.printable(acc)
              : missing);
        }
      }
      Path sourceHost = host(source);
      BasicFileAttributes s = NoFollow.lstat(sourceHost);
      if (s == null) {
        throw refused(missing);
      }
      if (s.isDirectory()) {
        throw refused("hard link to the directory \"" + MessageText.printable(linkName) + "\"");
      }
      NoFollow.remove(host, NoFollow.lstat(host));
      if (s.isSymbolicLink()) {
        Files.createSymbolicLink(host, Files.readSymbolicLink(sourceHost));
      } else if (s.isRegularFile()) {
        try {
          Files.createLink(host, sourceHost);
        } catch (UnsupportedOperationException | FileSystemException notHere) {
          Files.copy(sourceHost, host, LinkOption.NOFOLLOW_LINKS);
        }
      } else {
        throw refused("hard link to \"" + MessageText.printable(linkName) + "\" which is not a file or symlink");
      }
    }

    /** Creates missing parents of {@code rel} as directories; refuses a parent that is a symlink or file. */
    private void ensureParents(String rel) throws IOException {
      String parent = parentOf(rel);
      if (parent.isEmpty()) {
        return;
      }
      Path p = root;
      String acc = "";
      for (String part : parent.split("/")) {
        p = p.resolve(part);
        acc = acc.isEmpty() ? part : acc + "/" + part;
        BasicFileAttributes a = NoFollow.lstat(p);
        if (a == null) {
          Files.createDirectory(p);
        } else if (a.isSymbolicLink()) {
          throw refused("would be written through the symlink " + MessageText.printable(acc) + " -> "
              + MessageText.printable(Files.readSymbolicLink(p).toString()));
        } else if (!a.isDirectory()) {
          throw refused("its parent " + MessageText.printable(acc) + " is not a directory");
        }
        written.add(acc);
      }
    }

    private void whiteout(String rel) throws IOException {
      if (underOpaque(rel)) {
        return; // every lower-layer path there is gone already
      }
      Path host = host(rel);
      BasicFileAttributes a = NoFollow.lstat(host);
      if (a == null) {
        return;
      }
      if (!written.contains(rel)) {
        NoFollow.remove(host, a);
      } else if (a.isDirectory()) {
        hideLower(rel, host);
      }
    }

    private void makeOpaque(String dir) throws IOException {
      if (underOpaque(dir)) {
        return;
      }
      hideLower(dir, host(dir));
      opaque.add(dir);
    }

    private boolean underOpaque(String rel) {
      for (String p = rel; ; p = parentOf(p)) {
        if (opaque.contains(p)) {
          return true;
        }
        if (p.isEmpty()) {
          return false;
        }
      }
    }

    /** Removes everything under {@code dir} that this layer has not written. */
    private void hideLower(String dir, Path host) throws IOException {
      List<Path> children = new ArrayList<>();
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(host)) {
        ds.forEach(children::add);
      }
      for (Path child : children) {
        String rel = (dir.isEmpty() ? "" : dir + "/") + child.getFileName();
        BasicFileAttributes a = NoFollow.lstat(child);
        if (!written.contains(rel)) {
          NoFollow.remove(child, a);
        } else if (a != null && a.isDirectory()) {
          hideLower(rel, child);
        }
      }
    }

    private String relative(String name, String what) throws ImageFormatException {
      if (name.indexOf('\0') >= 0) {
        throw refused(what + " contains a NUL character");
      }
      StringBuilder b = new StringBuilder();
      for (String part : name.split("/")) {
        if (part.isEmpty() || part.equals(".")) {
          continue;
        }
        if (part.equals("..")) {
          throw refused(what + (what.equals("name") ? "" : " \"" + MessageText.printable(name) + "\"") + " contains ..");
        }
        if (b.length() > 0) {
          b.append('/');
        }
        b.append(part);
      }
      return b.toString();
    }

    private Path host(String rel) {
      return rel.isEmpty() ? root : root.resolve(rel);
    }

    private String prefix() {
      return context + ": entry \"" + MessageText.printable(entryName) + "\": ";
    }

    private ImageFormatException refused(String why) {
      return new ImageFormatException(prefix() + why);
    }
  }

  private static String parentOf(String rel) {
    int slash = rel.lastIndexOf('/');
    return slash < 0 ? "" : rel.substring(0, slash);
  }
}
