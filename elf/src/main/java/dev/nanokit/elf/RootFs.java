package dev.nanokit.elf;

import dev.nanokit.paths.SymlinkWalk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Path resolution inside a target root (docs/formats/elf-deps.md, "1.2 macOS hosts (a static resolver — useful reference)", "5 Multiarch directories (Debian/Ubuntu)"): symlinks are followed on the host but
 * interpreted as if the root were {@code /}, so absolute link targets are re-rooted and {@code ..}
 * stops at the root. Nothing outside the root is ever touched. Resolution is {@link SymlinkWalk}'s,
 * the one confined-root resolver every module uses.
 */
final class RootFs {
  private static final int MAX_LINKS = SymlinkWalk.MAX_SYMLINK_HOPS;

  /** One hop of a path the loader opens: a symlink (linkTarget != null) or the final file. */
  record Hop(String imagePath, String linkTarget, Path hostPath) {}

  private final Path root;
  /** The root as the one confined-root resolver sees it: host entries, never followed on the host. */
  private final SymlinkWalk.Tree tree = new SymlinkWalk.Tree() {
    @Override
    public SymlinkWalk.Kind kind(String path) throws IOException {
      Path p = host(path);
      if (Files.isSymbolicLink(p)) {
        return SymlinkWalk.Kind.SYMLINK;
      }
      if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        return null;
      }
      return Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? SymlinkWalk.Kind.DIRECTORY : SymlinkWalk.Kind.FILE;
    }

    @Override
    public String linkTarget(String path) throws IOException {
      return Files.readSymbolicLink(host(path)).toString();
    }
  };

  RootFs(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  Path root() {
    return root;
  }

  /** Lexical normalisation of an image path; {@code ..} at the root stays at the root. */
  static String normalize(String path) {
    List<String> out = new ArrayList<>();
    for (String c : path.split("/")) {
      if (c.isEmpty() || c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        if (!out.isEmpty()) {
          out.remove(out.size() - 1);
        }
        continue;
      }
      out.add(c);
    }
    return "/" + String.join("/", out);
  }

  static String parent(String imagePath) {
    int i = imagePath.lastIndexOf('/');
    return i <= 0 ? "/" : imagePath.substring(0, i);
  }

  static String join(String dir, String name) {
    return dir.endsWith("/") ? dir + name : dir + "/" + name;
  }

  Path host(String canonicalImagePath) {
    String rel = canonicalImagePath.substring(1);
    return rel.isEmpty() ? root : root.resolve(rel);
  }

  /**
   * Resolves every component of {@code imagePath} (the last only if {@code followLast}) and returns
   * the canonical image path, or null if some component does not exist or links loop.
   */
  String canonical(String imagePath, boolean followLast) {
    try {
      return SymlinkWalk.resolve(imagePath, tree, followLast);
    } catch (SymlinkWalk.Unresolved | IOException | RuntimeException e) {
      return null; // a missing component, a loop, or a name the host file system rejects: absent
    }
  }

  /**
   * The chain the loader follows when it opens {@code imagePath}: symlink hops (recorded verbatim,
   * placed at the lexically resolved image path as the VM sees them) and the final regular file,
   * whose host path follows host semantics. Returns an empty list if there is no regular file.
   */
  List<Hop> open(String imagePath) {
    List<Hop> hops = new ArrayList<>();
    String image = normalize(imagePath);
    String hostCanon = canonical(image, false);
    try {
      for (int i = 0; hostCanon != null && i <= MAX_LINKS; i++) {
        Path h = host(hostCanon);
        if (Files.isSymbolicLink(h)) {
          String text = Files.readSymbolicLink(h).toString();
          hops.add(new Hop(image, text, h));
          boolean abs = text.startsWith("/");
          image = normalize(abs ? text : join(parent(image), text));
          hostCanon = canonical(abs ? text : join(parent(hostCanon), text), false);
          continue;
        }
        if (Files.isRegularFile(h, LinkOption.NOFOLLOW_LINKS)) {
          hops.add(new Hop(image, null, h));
          return hops;
        }
        return List.of();
      }
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
    return List.of();
  }

  boolean isDirectory(String imagePath) {
    String c = canonical(normalize(imagePath), true);
    return c != null && Files.isDirectory(host(c), LinkOption.NOFOLLOW_LINKS);
  }

  /** Names in a directory (resolved inside the root), sorted; empty if not a directory. */
  List<String> list(String imagePath) {
    String c = canonical(normalize(imagePath), true);
    List<String> names = new ArrayList<>();
    if (c == null) {
      return names;
    }
    try (var s = Files.list(host(c))) {
      s.forEach(p -> names.add(p.getFileName().toString()));
    } catch (IOException | RuntimeException e) {
      return new ArrayList<>();
    }
    names.sort(null);
    return names;
  }

  /** Reads a small text file inside the root, or null. */
  String readText(String imagePath) {
    String c = canonical(normalize(imagePath), true);
    if (c == null) {
      return null;
    }
    try {
      Path p = host(c);
      if (!Files.isRegularFile(p) || Files.size(p) > (1 << 20)) {
        return null;
      }
      return Files.readString(p, java.nio.charset.StandardCharsets.ISO_8859_1);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
