package dev.nanokit.manifest;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Generates random tuple trees for property tests. */
public final class RandomValues {
  private static final String NAME_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789._-é ";

  private RandomValues() {}

  /** A random tree of every v5 value kind. */
  public static Tuple v5Tree(Random r) {
    return tuple(r, 0, true);
  }

  /**
   * A random tree that v4 can represent so that it decodes back equal: tuples and non-empty
   * strings only (v4 has no integer or vector type, and an empty buffer is a deletion).
   */
  public static Tuple v4Tree(Random r) {
    return tuple(r, 0, false);
  }

  public static String name(Random r) {
    int len = r.nextInt(4) == 0 ? r.nextInt(40) : 1 + r.nextInt(10);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < len; i++) {
      sb.append(NAME_CHARS.charAt(r.nextInt(NAME_CHARS.length())));
    }
    return sb.toString();
  }

  private static Tuple tuple(Random r, int depth, boolean v5) {
    Tuple t = new Tuple();
    int n = depth > 5 ? r.nextInt(2) : r.nextInt(6);
    for (int i = 0; i < n; i++) {
      t.put(name(r), value(r, depth + 1, v5));
    }
    return t;
  }

  private static Value value(Random r, int depth, boolean v5) {
    int kind = r.nextInt(v5 ? 6 : 2);
    switch (kind) {
      case 0:
        return tuple(r, depth, v5);
      case 1: {
        String s = name(r);
        return StringValue.of(!v5 && (s.isEmpty() || s.equals("\0")) ? "x" : s);
      }
      case 2: {
        VectorValue v = new VectorValue();
        int n = depth > 5 ? 0 : r.nextInt(5);
        for (int i = 0; i < n; i++) {
          v.add(value(r, depth + 1, true));
        }
        return v;
      }
      case 3:
        return IntegerValue.of(r.nextInt(3) == 0 ? r.nextLong() : r.nextInt(5000) - 100);
      case 4:
        return r.nextBoolean() ? BufferValue.NULL_FLAG : BufferValue.of(name(r).concat("!").getBytes(StandardCharsets.UTF_8));
      default:
        return StringValue.of(r.nextInt(10) == 0 ? "" : "x".repeat(r.nextInt(300)));
    }
  }
}
