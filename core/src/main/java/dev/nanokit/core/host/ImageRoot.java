package dev.nanokit.core.host;

import dev.nanokit.core.ImageFormatException;
import dev.nanokit.paths.SymlinkWalk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A host directory seen as an image's {@code /} (a container's unpacked root, a package's
 * {@code sysroot}): image paths are resolved as the image would see them, never through the host's
 * own {@code /}. An absolute symlink target restarts at this root, {@code ..} stops at it, and at most
 * {@value #MAX_SYMLINK_HOPS} symlinks are followed (the kernel's limit), so what a hostile tree's links
 * say can never make a build read a host file outside the root.
 */
public final class ImageRoot {
  public static final int MAX_SYMLINK_HOPS = SymlinkWalk.MAX_SYMLINK_HOPS;

  private final Path root;
  private final String source;
  private final SymlinkWalk.Tree tree;

  /** {@code source} (the archive or package) starts error messages. */
  public ImageRoot(Path root, String source) {
    this.root = root;
    this.source = source;
    this.tree = new SymlinkWalk.Tree() {
      @Override
      public SymlinkWalk.Kind kind(String path) throws IOException {
        BasicFileAttributes a = NoFollow.lstat(host(path));
        return a == null ? null : a.isSymbolicLink() ? SymlinkWalk.Kind.SYMLINK
            : a.isDirectory() ? SymlinkWalk.Kind.DIRECTORY : SymlinkWalk.Kind.FILE;
      }

      @Override
      public String linkTarget(String path) throws IOException {
        return Files.readSymbolicLink(host(path)).toString();
      }
    };
  }

  /** The host path of the regular file the absolute {@code imagePath} names; no symlink in it. */
  public Path resolve(String imagePath) throws IOException {
    String where = source + ": " + MessageText.printable(imagePath) + ": ";
    if (!imagePath.startsWith("/") || imagePath.indexOf('\0') >= 0) {
      throw new ImageFormatException(where + "not an absolute path in the image");
    }
    String resolved;
    try {
      resolved = SymlinkWalk.resolve(imagePath, tree);
    } catch (SymlinkWalk.Unresolved e) {
      throw new ImageFormatException(where + MessageText.printable(e.getMessage()));
    }
    Path host = host(resolved);
    BasicFileAttributes a = NoFollow.lstat(host);
    if (a == null || !a.isRegularFile()) {
      throw new ImageFormatException(where + "resolves to " + MessageText.printable(resolved)
          + ", which is not a regular file");
    }
    return host;
  }

  /** As {@link #resolve}, or null when {@code imagePath} does not name a regular file in the image. */
  public Path resolveIfPresent(String imagePath) throws IOException {
    try {
      return resolve(imagePath);
    } catch (ImageFormatException absent) {
      return null;
    }
  }

  /**
   * {@code imagePath} with every symlink in it followed inside the root, or null when it does not
   * resolve (missing, a loop, a file where a directory should be).
   */
  public String realPathIfPresent(String imagePath) throws IOException {
    if (!imagePath.startsWith("/") || imagePath.indexOf('\0') >= 0) {
      return null;
    }
    try {
      return SymlinkWalk.resolve(imagePath, tree);
    } catch (SymlinkWalk.Unresolved e) {
      return null;
    }
  }

  /** The host path of the directory {@code imagePath} names in the image, or null when it names none. */
  public Path resolveDirectoryIfPresent(String imagePath) throws IOException {
    String resolved = realPathIfPresent(imagePath);
    if (resolved == null) {
      return null;
    }
    Path host = host(resolved);
    BasicFileAttributes a = NoFollow.lstat(host);
    return a != null && a.isDirectory() ? host : null;
  }

  /** The host path of an absolute image path with no symlinks to follow. */
  private Path host(String imagePath) {
    Path p = root;
    for (String part : imagePath.split("/")) {
      if (!part.isEmpty()) {
        p = p.resolve(part);
      }
    }
    return p;
  }
}
