package dev.nanokit.paths;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The one resolver of paths confined to a root: follows an absolute image path the way the Nanos
 * kernel (and the dynamic loader inside it) resolves it, over any tree that knows its entries — a
 * target root or package sysroot on the host standing for the image's {@code /}, the planned content
 * of an image: component by component, an absolute symlink target restarting at the root, {@code ..}
 * stopping at it, at most {@value #MAX_SYMLINK_HOPS} symlinks (the kernel's limit). Nothing outside
 * the tree is ever asked about. Stateless.
 */
public final class SymlinkWalk {
  public static final int MAX_SYMLINK_HOPS = dev.nanokit.paths.SymlinkLimit.MAX_HOPS;

  /** What a path names. */
  public enum Kind { DIRECTORY, FILE, SYMLINK }

  /** The tree walked: what is at an absolute path ({@code "/a/b"}), null when nothing is. */
  public interface Tree {
    Kind kind(String path) throws IOException;

    String linkTarget(String path) throws IOException;
  }

  /** Why a path does not resolve; the message names the path as far as it resolved. */
  public static final class Unresolved extends Exception {
    private static final long serialVersionUID = 1L;

    /** What stopped the walk. */
    public enum Reason { MISSING, NOT_A_DIRECTORY, TOO_MANY_LINKS }

    private final Reason reason;
    private final String path;

    public Unresolved(Reason reason, String path, String message) {
      super(message, null, false, false);
      this.reason = reason;
      this.path = path;
    }

    public Reason reason() {
      return reason;
    }

    /** The path, as far as it resolved, where the walk stopped. */
    public String path() {
      return path;
    }
  }

  private SymlinkWalk() {}

  /** The path, without symlinks, of what {@code path} names; it exists and is not a symlink. */
  public static String resolve(String path, Tree tree) throws IOException, Unresolved {
    return resolve(path, tree, true);
  }

  /**
   * The path, without symlinks on the way, of what {@code path} names; the last component is followed
   * only if {@code followLast} (else it may be a symlink). It exists.
   */
  public static String resolve(String path, Tree tree, boolean followLast) throws IOException, Unresolved {
    return resolve(path, tree, followLast, MAX_SYMLINK_HOPS);
  }

  /** As {@link #resolve(String, Tree, boolean)}, following at most {@code maxHops} symlinks. */
  public static String resolve(String path, Tree tree, boolean followLast, int maxHops) throws IOException, Unresolved {
    Deque<String> todo = new ArrayDeque<>();
    pushFront(todo, path);
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
      String current = join(at);
      Kind kind = tree.kind(current);
      if (kind == null) {
        throw new Unresolved(Unresolved.Reason.MISSING, current, current + " does not exist in the image");
      }
      if (kind == Kind.SYMLINK && (followLast || !todo.isEmpty())) {
        if (++hops > maxHops) {
          throw new Unresolved(Unresolved.Reason.TOO_MANY_LINKS, current, "more than " + maxHops + " symlinks (a loop?)");
        }
        String target = tree.linkTarget(current);
        at.remove(at.size() - 1);
        if (target.startsWith("/")) {
          at.clear();
        }
        pushFront(todo, target);
      } else if (kind != Kind.DIRECTORY && !todo.isEmpty()) {
        throw new Unresolved(Unresolved.Reason.NOT_A_DIRECTORY, current, current + " is not a directory");
      }
    }
    return join(at);
  }

  private static void pushFront(Deque<String> todo, String path) {
    String[] parts = path.split("/");
    for (int i = parts.length - 1; i >= 0; i--) {
      if (!parts[i].isEmpty()) {
        todo.addFirst(parts[i]);
      }
    }
  }

  private static String join(List<String> parts) {
    return "/" + String.join("/", parts);
  }
}
