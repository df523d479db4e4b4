package dev.nanokit.manifest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes tuple trees as Nanos manifest text following the generator rules of docs/formats/manifest.md, "1.5 Writing manifests safely (generator rules)", so
 * that {@link ManifestParser} (and Nanos {@code mkfs}) read back an equal tree:
 *
 * <ul>
 *   <li>names and strings that are empty or contain anything outside {@code [A-Za-z0-9_.,+=@%-]}
 *       are quoted, with {@code "} and {@code \} escaped by {@code \};
 *   <li>{@code name:(} and {@code name:[} have no space after the colon;
 *   <li>vector elements are separated by exactly one space, with none before {@code ]} ("1.3 Grammar": a
 *       space there would add an empty element).
 * </ul>
 *
 * <p>Manifests can only express tuples, vectors and strings, so other values lose their type:
 * an {@link IntegerValue} prints as its decimal string; {@link BufferValue#NULL_FLAG} prints as
 * {@code t}, the value ops writes for flags ("3 Value types in the root tuple": any present value sets a flag, while an empty
 * string would read as deleted in ops' image reader, "7 Ambiguities and ops/Nanos differences" item 2); any other buffer prints as its
 * bytes read as UTF-8 text (what a v4 string is). Bytes that are not valid UTF-8, in strings or
 * buffers, print as U+FFFD, since manifest text is UTF-8. These are the only lossy cases: a tree of
 * tuples, vectors and valid-UTF-8 strings round-trips exactly.
 *
 * <p>Printing is iterative (a tree decoded from a hostile image can be very deep); a tree that
 * contains a cycle cannot be written as text and is rejected with {@link IllegalArgumentException}.
 *
 * <p>Stateless: safe for use by any number of threads.
 */
public final class ManifestPrinter {
  private static final String INDENT = "    ";
  /** Deeper levels share this indentation, so output stays linear in the size of the tree. */
  private static final int MAX_INDENT_LEVELS = 32;

  private ManifestPrinter() {}

  /**
   * Readable form: one entry per line, nested tuples indented by four spaces, vectors (and the
   * tuples inside them) on one line. Ends with a newline.
   */
  public static String print(Tuple root) {
    return print(root, Long.MAX_VALUE);
  }

  /**
   * {@link #print(Tuple)}, refusing with {@link IllegalArgumentException} once the text would pass
   * {@code maxChars}. A decoded tree may hold one vector or tuple under many names (a log can
   * reference an object any number of times); text has no references, so each use prints in full,
   * and 40 levels of a vector whose elements are the same vector print 2^40 times. Callers printing
   * a tree they did not build pass a bound proportional to the bytes it was read from.
   */
  public static String print(Tuple root, long maxChars) {
    StringBuilder sb = new StringBuilder();
    write(root, sb, true, maxChars);
    return sb.append('\n').toString();
  }

  /** Single-line form, e.g. {@code (a:b c:[x y] d:(e:f))}, for command-line values and logs. */
  public static String printCompact(Value value) {
    StringBuilder sb = new StringBuilder();
    write(value, sb, false, Long.MAX_VALUE);
    return sb.toString();
  }

  /** A name or string value as manifest text: bare when "1.5 Writing manifests safely (generator rules)" allows it, else quoted. */
  static String formatString(String s) {
    if (isBareSafe(s)) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.append('"').toString();
  }

  private static boolean isBareSafe(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || "_.,+=@%-".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static String scalarText(Value v) {
    if (v instanceof StringValue s) {
      return utf8(s.rawBytes());
    }
    if (v instanceof IntegerValue i) {
      return Long.toString(i.value());
    }
    BufferValue b = (BufferValue) v;
    return b.isNullFlag() ? "t" : utf8(b.rawBytes());
  }

  private static String utf8(byte[] bytes) {
    // new String(…, UTF_8) replaces malformed input with U+FFFD, which is what we want here.
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** One open container: its entries or elements still to print. */
  private static final class Frame {
    final Value container;
    final Iterator<?> items;
    final boolean pretty;
    final int depth;
    boolean first = true;

    Frame(Value container, Iterator<?> items, boolean pretty, int depth) {
      this.container = container;
      this.items = items;
      this.pretty = pretty;
      this.depth = depth;
    }
  }

  private static void write(Value root, StringBuilder sb, boolean pretty, long maxChars) {
    IdentityHashMap<Value, Boolean> onPath = new IdentityHashMap<>();
    Deque<Frame> stack = new ArrayDeque<>();
    open(root, sb, pretty, 0, onPath, stack);
    while (!stack.isEmpty()) {
      if (sb.length() > maxChars) {
        throw new IllegalArgumentException("manifest text would exceed " + maxChars
            + " characters; the tree reuses values, and text repeats each use in full");
      }
      Frame f = stack.peek();
      boolean tuple = f.container instanceof Tuple;
      if (!f.items.hasNext()) {
        stack.pop();
        onPath.remove(f.container);
        if (tuple && f.pretty && !f.first) {
          newline(sb, f.depth);
        }
        sb.append(tuple ? ')' : ']');
        continue;
      }
      Object item = f.items.next();
      Value value;
      if (f.pretty) {
        newline(sb, f.depth + 1);
      } else if (!f.first) {
        sb.append(' ');
      }
      f.first = false;
      if (tuple) {
        Map.Entry<?, ?> e = (Map.Entry<?, ?>) item;
        sb.append(formatString((String) e.getKey())).append(':');
        value = (Value) e.getValue();
      } else {
        value = (Value) item;
      }
      // Inside a vector everything stays on one line; a tuple entry may open a pretty tuple.
      open(value, sb, f.pretty && value instanceof Tuple, f.depth + 1, onPath, stack);
    }
  }

  private static void open(Value v, StringBuilder sb, boolean pretty, int depth,
      IdentityHashMap<Value, Boolean> onPath, Deque<Frame> stack) {
    Iterator<?> items;
    if (v instanceof Tuple t) {
      sb.append('(');
      items = t.entries().entrySet().iterator();
    } else if (v instanceof VectorValue vec) {
      sb.append('[');
      items = vec.elements().iterator();
    } else {
      sb.append(formatString(scalarText(v)));
      return;
    }
    if (onPath.put(v, Boolean.TRUE) != null) {
      throw new IllegalArgumentException("value graph contains a cycle; it cannot be written as a manifest");
    }
    stack.push(new Frame(v, items, pretty, depth));
  }

  private static void newline(StringBuilder sb, int depth) {
    sb.append('\n');
    for (int i = Math.min(depth, MAX_INDENT_LEVELS); i > 0; i--) {
      sb.append(INDENT);
    }
  }
}
