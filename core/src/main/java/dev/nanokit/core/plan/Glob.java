package dev.nanokit.core.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * Go {@code filepath.Match} patterns on one name: {@code *} any run, {@code ?} one character,
 * {@code [...]} / {@code [^...]} classes with {@code a-z} ranges, {@code \} escapes. A {@code ]}
 * or {@code -} that starts a range must be escaped, as in Go.
 */
public final class Glob {
  private static final int STAR = -1;
  private static final int ANY = -2;
  private static final int CLASS = -3;

  /** Token kinds (STAR, ANY, CLASS) or a literal code point. */
  private final int[] tokens;
  /** For CLASS tokens: {negate, lo1, hi1, lo2, hi2, ...}. */
  private final int[][] classes;

  private Glob(int[] tokens, int[][] classes) {
    this.tokens = tokens;
    this.classes = classes;
  }

  public static Glob compile(String pattern) {
    List<Integer> tokens = new ArrayList<>();
    List<int[]> classes = new ArrayList<>();
    int[] cps = pattern.codePoints().toArray();
    int i = 0;
    while (i < cps.length) {
      int c = cps[i++];
      if (c == '*') {
        tokens.add(STAR);
        classes.add(null);
      } else if (c == '?') {
        tokens.add(ANY);
        classes.add(null);
      } else if (c == '\\') {
        if (i >= cps.length) {
          throw new IllegalArgumentException("trailing \\");
        }
        tokens.add(cps[i++]);
        classes.add(null);
      } else if (c == '[') {
        List<Integer> cls = new ArrayList<>();
        boolean negate = i < cps.length && cps[i] == '^';
        if (negate) {
          i++;
        }
        cls.add(negate ? 1 : 0);
        int ranges = 0;
        while (true) {
          if (i < cps.length && cps[i] == ']' && ranges > 0) {
            i++;
            break;
          }
          int[] lo = escaped(cps, i);
          i = lo[1];
          int hi = lo[0];
          if (i < cps.length && cps[i] == '-') {
            int[] h = escaped(cps, i + 1);
            hi = h[0];
            i = h[1];
          }
          cls.add(lo[0]);
          cls.add(hi);
          ranges++;
        }
        tokens.add(CLASS);
        classes.add(cls.stream().mapToInt(Integer::intValue).toArray());
      } else {
        tokens.add(c);
        classes.add(null);
      }
    }
    return new Glob(tokens.stream().mapToInt(Integer::intValue).toArray(), classes.toArray(new int[0][]));
  }

  /** One class character at {@code i}: {value, next index}. */
  private static int[] escaped(int[] cps, int i) {
    if (i >= cps.length) {
      throw new IllegalArgumentException("unclosed [");
    }
    int c = cps[i];
    if (c == '-' || c == ']') {
      throw new IllegalArgumentException("'" + (char) c + "' must be escaped inside [ ]");
    }
    if (c == '\\') {
      if (i + 1 >= cps.length) {
        throw new IllegalArgumentException("unclosed [");
      }
      return new int[] {cps[i + 1], i + 2};
    }
    return new int[] {c, i + 1};
  }

  public boolean matches(String name) {
    int[] s = name.codePoints().toArray();
    int ti = 0;
    int si = 0;
    int starT = -1;
    int starS = -1;
    while (si < s.length) {
      if (ti < tokens.length && tokens[ti] == STAR) {
        starT = ti++;
        starS = si;
      } else if (ti < tokens.length && one(ti, s[si])) {
        ti++;
        si++;
      } else if (starT >= 0) {
        ti = starT + 1;
        si = ++starS;
      } else {
        return false;
      }
    }
    while (ti < tokens.length && tokens[ti] == STAR) {
      ti++;
    }
    return ti == tokens.length;
  }

  private boolean one(int ti, int c) {
    int t = tokens[ti];
    if (t == ANY) {
      return c != '/';
    }
    if (t == CLASS) {
      int[] cls = classes[ti];
      boolean in = false;
      for (int k = 1; k < cls.length; k += 2) {
        if (cls[k] <= c && c <= cls[k + 1]) {
          in = true;
          break;
        }
      }
      return c != '/' && in != (cls[0] == 1);
    }
    return t == c;
  }
}
