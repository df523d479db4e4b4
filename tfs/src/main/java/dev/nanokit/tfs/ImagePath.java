package dev.nanokit.tfs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * An absolute path inside an image: a list of names, never a host path. {@link #of} takes the
 * canonical form only ({@code /}, or {@code /a/b}: no empty, {@code .} or {@code ..} segments, no
 * NUL); {@link #clean} is lenient the way ops is ({@code path.Join("/", p)}) for paths written by
 * users in configuration files. Two paths are equal when their segments are.
 *
 * <p>Immutable and safe for use by any number of threads.
 */
public final class ImagePath implements Comparable<ImagePath> {
  /** The image's root directory. */
  public static final ImagePath ROOT = new ImagePath(List.of());

  private final List<String> segments;

  private ImagePath(List<String> segments) {
    this.segments = segments;
  }

  /**
   * The path {@code path}, which must be absolute and canonical.
   *
   * @throws IllegalArgumentException naming the bad value when it is relative, has an empty,
   *     {@code .} or {@code ..} segment, or contains NUL
   */
  public static ImagePath of(String path) {
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("image path must be absolute: \"" + printable(path) + "\"");
    }
    if (path.equals("/")) {
      return ROOT;
    }
    List<String> segments = new ArrayList<>();
    for (String s : path.substring(1).split("/", -1)) {
      checkName(s, path);
      segments.add(s);
    }
    return new ImagePath(List.copyOf(segments));
  }

  /**
   * Go's {@code path.Join("/", path)}, which ops applies to every image path it is given: relative
   * paths become absolute, empty and {@code .} segments vanish, {@code ..} removes the segment before it
   * and stops at the root.
   *
   * @throws IllegalArgumentException naming the bad value when it contains NUL
   */
  public static ImagePath clean(String path) {
    if (path.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("image path contains a NUL character: \"" + printable(path) + "\"");
    }
    List<String> segments = new ArrayList<>();
    for (String s : path.split("/")) {
      if (s.isEmpty() || s.equals(".")) {
        continue;
      }
      if (s.equals("..")) {
        if (!segments.isEmpty()) {
          segments.remove(segments.size() - 1);
        }
        continue;
      }
      segments.add(s);
    }
    return segments.isEmpty() ? ROOT : new ImagePath(List.copyOf(segments));
  }

  /** This path with {@code name} appended; {@code name} is one segment. */
  public ImagePath resolve(String name) {
    checkName(name, name);
    List<String> s = new ArrayList<>(segments);
    s.add(name);
    return new ImagePath(List.copyOf(s));
  }

  /** The parent directory; null for the root (as {@link java.nio.file.Path#getParent()}). */
  public ImagePath parent() {
    return segments.isEmpty() ? null : new ImagePath(List.copyOf(segments.subList(0, segments.size() - 1)));
  }

  /** The last segment; null for the root (as {@link java.nio.file.Path#getFileName()}). */
  public String fileName() {
    return segments.isEmpty() ? null : segments.get(segments.size() - 1);
  }

  /** The names from the root down; unmodifiable. */
  public List<String> segments() {
    return Collections.unmodifiableList(segments);
  }

  public boolean isRoot() {
    return segments.isEmpty();
  }

  /** Whether {@code other} is this path or lies below it. */
  public boolean startsWith(ImagePath other) {
    return other.segments.size() <= segments.size() && segments.subList(0, other.segments.size()).equals(other.segments);
  }

  private static void checkName(String name, String whole) {
    if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("image path has a bad segment \"" + printable(name) + "\": \""
          + printable(whole) + "\" (segments are non-empty names, not . or .., without NUL)");
    }
  }

  private static String printable(String s) {
    return s.replace("\0", "\\0");
  }

  /** Segment by segment, each compared by its UTF-8 bytes (the order TFS writers sort names in). */
  @Override
  public int compareTo(ImagePath o) {
    int n = Math.min(segments.size(), o.segments.size());
    for (int i = 0; i < n; i++) {
      int c = Arrays.compareUnsigned(segments.get(i).getBytes(StandardCharsets.UTF_8),
          o.segments.get(i).getBytes(StandardCharsets.UTF_8));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(segments.size(), o.segments.size());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImagePath p && segments.equals(p.segments);
  }

  @Override
  public int hashCode() {
    return segments.hashCode();
  }

  /** {@code /} or {@code /a/b}. */
  @Override
  public String toString() {
    return "/" + String.join("/", segments);
  }
}
