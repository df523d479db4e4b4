package dev.nanokit.core.plan;

import com.google.common.collect.ImmutableSortedMap;
import dev.nanokit.core.ImageEntry;
import dev.nanokit.core.ImagePlan;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;

/**
 * The planner's entries as a tree: a node per image path, reached from its directory by name, each
 * keeping who put it there (for notes and error messages). A walk of a host directory adds every entry
 * to the directory node it is walking, so a tree of many files is planned without looking up or
 * comparing whole paths per entry; {@link #entries} sorts the paths once, at the end.
 *
 * <p>Rules about what may replace what are the planner's; this class only stores. Not thread-safe.
 */
final class PlannedTree {
  /** An entry, who put it there, and, for a directory, its children by name in the order they came. */
  static final class Node {
    private final ImageEntry entry;
    private final String source;
    private final Map<String, Node> children;

    private Node(ImageEntry entry, String source) {
      this.entry = entry;
      this.source = source;
      this.children = entry.kind() == ImageEntry.Kind.DIRECTORY ? new LinkedHashMap<>() : null;
    }

    ImageEntry entry() {
      return entry;
    }

    String source() {
      return source;
    }

    boolean isDirectory() {
      return children != null;
    }

    /** The child called {@code name}; null if there is none (or this is no directory). */
    Node child(String name) {
      return children == null ? null : children.get(name);
    }
  }

  private final Node root = new Node(ImageEntry.directory("/"), "the image");

  /** The root directory {@code /} (never listed by {@link #entries}). */
  Node root() {
    return root;
  }

  /** The entry's node at {@code path}, a clean absolute image path; null if there is none or it is {@code /}. */
  Node get(String path) {
    if (path.equals("/")) {
      return null;
    }
    Node n = root;
    int start = 1;
    while (n != null && start < path.length()) {
      int slash = path.indexOf('/', start);
      int end = slash < 0 ? path.length() : slash;
      n = n.child(path.substring(start, end));
      start = end + 1;
    }
    return n;
  }

  /**
   * Puts {@code entry} as the child {@code name} of the directory {@code dir}, replacing what is
   * there, if anything (a replaced directory loses its children: the planner never does that).
   */
  Node put(Node dir, String name, ImageEntry entry, String source) {
    Node n = new Node(entry, source);
    dir.children.put(name, n);
    return n;
  }

  /** Every entry but the root, by path, sorted by {@link ImagePlan#PATH_ORDER}; immutable. */
  SortedMap<String, ImageEntry> entries() {
    // Depth-first in name order is path order except where a name holds a byte below '/' ("a-b"
    // sorts before "a/b"): nearly sorted input, which the builder's merge sort takes in few passes.
    ImmutableSortedMap.Builder<String, ImageEntry> sorted = ImmutableSortedMap.orderedBy(ImagePlan.PATH_ORDER);
    Deque<Iterator<Node>> pending = new ArrayDeque<>();
    pending.push(root.children.values().iterator());
    while (!pending.isEmpty()) {
      Iterator<Node> siblings = pending.peek();
      if (!siblings.hasNext()) {
        pending.pop();
        continue;
      }
      Node n = siblings.next();
      sorted.put(n.entry.imagePath(), n.entry);
      if (n.isDirectory()) {
        pending.push(n.children.values().iterator());
      }
    }
    return sorted.buildOrThrow();
  }
}
