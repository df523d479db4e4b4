package dev.nanokit.core.plan;

import com.google.common.collect.ImmutableSortedMap;
import dev.nanokit.core.ImageEntry;
import dev.nanokit.core.ImagePlan;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.SortedMap;

/**
 * The planner's entries as a tree: a node per image path, reached from its directory by name, each
 * keeping who put it there (for notes and error messages). A walk of a host directory adds every entry
 * to the directory node it is walking, so a tree of many files is planned without looking up or
 * comparing whole paths per entry; {@link #entries} lists them in path order, sorting names only.
 *
 * <p>Rules about what may replace what are the planner's; this class only stores. Not thread-safe.
 */
final class PlannedTree {
  /** An entry, who put it there, and, for a directory, its children by name in the order they came. */
  static final class Node {
    private final ImageEntry entry;
    private final String source;
    private final Map<String, Node> children;
    /**
     * A directory's {@link #items}, kept until a child is put: the plan is listed twice (for the library
     * closure, then for the result), and the second time only directories that changed are sorted again.
     */
    private List<Item> sortedItems;

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
    dir.sortedItems = null;
    return n;
  }

  /** Every entry but the root, by path, sorted by {@link ImagePlan#PATH_ORDER}; immutable. */
  SortedMap<String, ImageEntry> entries() {
    // Already in order: the copy neither sorts nor compares.
    return ImmutableSortedMap.copyOfSorted(new InOrder(inPathOrder()));
  }

  /** Every entry but the root, in {@link ImagePlan#PATH_ORDER} of their paths; a new list. */
  List<ImageEntry> inPathOrder() {
    List<ImageEntry> sorted = new ArrayList<>();
    Deque<Iterator<Item>> pending = new ArrayDeque<>();
    pending.push(items(root));
    while (!pending.isEmpty()) {
      Iterator<Item> items = pending.peek();
      if (!items.hasNext()) {
        pending.pop();
      } else {
        Item item = items.next();
        if (item.below) {
          pending.push(items(item.node));
        } else {
          sorted.add(item.node.entry);
        }
      }
    }
    return sorted;
  }

  /**
   * What a directory contributes to the path order, sorted: each child at its name, and everything below a
   * child directory at its name followed by {@code /} — all paths below {@code d/} share that prefix, so
   * they sort together there. That is where depth-first order is not path order: {@code a-b} sorts between
   * {@code a} and {@code a/z}.
   */
  private static Iterator<Item> items(Node dir) {
    List<Item> items = dir.sortedItems;
    if (items == null) {
      items = new ArrayList<>(dir.children.size() * 2);
      for (Map.Entry<String, Node> c : dir.children.entrySet()) {
        items.add(new Item(c.getKey(), c.getValue(), false));
        if (c.getValue().isDirectory()) {
          items.add(new Item(c.getKey() + "/", c.getValue(), true));
        }
      }
      items.sort((x, y) -> ImagePlan.PATH_ORDER.compare(x.key, y.key));
      dir.sortedItems = items;
    }
    return items.iterator();
  }

  /** A child (its own entry) or, with {@code below}, everything under it. */
  private record Item(String key, Node node, boolean below) {}

  /**
   * Entries already in path order, handed to {@link ImmutableSortedMap#copyOfSorted}, which reads only
   * the comparator and the entries and keeps their order; not a general-purpose map (no sub-maps).
   */
  private static final class InOrder extends AbstractMap<String, ImageEntry> implements SortedMap<String, ImageEntry> {
    private final List<ImageEntry> entries;

    InOrder(List<ImageEntry> entries) {
      this.entries = entries;
    }

    @Override
    public Comparator<? super String> comparator() {
      return ImagePlan.PATH_ORDER;
    }

    @Override
    public Set<Map.Entry<String, ImageEntry>> entrySet() {
      return new AbstractSet<>() {
        @Override
        public Iterator<Map.Entry<String, ImageEntry>> iterator() {
          Iterator<ImageEntry> each = entries.iterator();
          return new Iterator<>() {
            @Override
            public boolean hasNext() {
              return each.hasNext();
            }

            @Override
            public Map.Entry<String, ImageEntry> next() {
              ImageEntry e = each.next();
              return Map.entry(e.imagePath(), e);
            }
          };
        }

        @Override
        public int size() {
          return entries.size();
        }
      };
    }

    @Override
    public String firstKey() {
      if (entries.isEmpty()) {
        throw new NoSuchElementException();
      }
      return entries.get(0).imagePath();
    }

    @Override
    public String lastKey() {
      if (entries.isEmpty()) {
        throw new NoSuchElementException();
      }
      return entries.get(entries.size() - 1).imagePath();
    }

    @Override
    public SortedMap<String, ImageEntry> subMap(String fromKey, String toKey) {
      throw new UnsupportedOperationException("subMap");
    }

    @Override
    public SortedMap<String, ImageEntry> headMap(String toKey) {
      throw new UnsupportedOperationException("headMap");
    }

    @Override
    public SortedMap<String, ImageEntry> tailMap(String fromKey) {
      throw new UnsupportedOperationException("tailMap");
    }
  }
}
