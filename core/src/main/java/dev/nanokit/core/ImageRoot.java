package dev.nanokit.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A host directory seen as an image's {@code /} (a container's unpacked root, a package's
 * {@code sysroot}): image paths are resolved as the image would see them, never through the host's
 * own {@code /}. An absolute symlink target restarts at this root, {@code ..} stops at it, and at most
 * {@value #MAX_SYMLINK_HOPS} symlinks are followed (the kernel's limit), so what a hostile tree's links
 * say can never make a build read a host file outside the root.
 */
final class ImageRoot {
  static final int MAX_SYMLINK_HOPS = 40;

  private final Path root;
  private final String source;

  /** {@code source} (the archive or package) starts error messages. */
  ImageRoot(Path root, String source) {
    this.root = root;
    this.source = source;
  }

  /** The host path of the regular file the absolute {@code imagePath} names; no symlink in it. */
  Path resolve(String imagePath) throws IOException {
    String where = source + ": " + OciLayerApplier.printable(imagePath) + ": ";
    if (!imagePath.startsWith("/") || imagePath.indexOf('\0') >= 0) {
      throw new ImageFormatException(where + "not an absolute path in the image");
    }
    Deque<String> todo = new ArrayDeque<>();
    pushFront(todo, imagePath);
    List<String> at = new ArrayList<>();
    int hops = 0;
    while (!todo.isEmpty()) {
      String c = todo.pollFirst();
      if (c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        if (!at.isEmpty()) {
          at.remove(at.size() - 1);
        }
        continue;
      }
      at.add(c);
      Path host = host(at);
      BasicFileAttributes a = OciLayerApplier.lstat(host);
      if (a == null) {
        throw new ImageFormatException(where + imagePath(at) + " does not exist in the image");
      }
      if (a.isSymbolicLink()) {
        if (++hops > MAX_SYMLINK_HOPS) {
          throw new ImageFormatException(where + "more than " + MAX_SYMLINK_HOPS + " symlinks (a loop?)");
        }
        String target = Files.readSymbolicLink(host).toString();
        at.remove(at.size() - 1);
        if (target.startsWith("/")) {
          at.clear();
        }
        pushFront(todo, target);
      } else if (!a.isDirectory() && !todo.isEmpty()) {
        throw new ImageFormatException(where + imagePath(at) + " is not a directory");
      }
    }
    Path host = host(at);
    BasicFileAttributes a = OciLayerApplier.lstat(host);
    if (a == null || !a.isRegularFile()) {
      throw new ImageFormatException(where + "resolves to " + imagePath(at) + ", which is not a regular file");
    }
    return host;
  }

  private static void pushFront(Deque<String> todo, String path) {
    String[] parts = path.split("/");
    for (int i = parts.length - 1; i >= 0; i--) {
      if (!parts[i].isEmpty()) {
        todo.addFirst(parts[i]);
      }
    }
  }

  private Path host(List<String> parts) {
    Path p = root;
    for (String part : parts) {
      p = p.resolve(part);
    }
    return p;
  }

  private static String imagePath(List<String> parts) {
    return OciLayerApplier.printable("/" + String.join("/", parts));
  }
}
