package dev.nanokit.tfs;

import dev.nanokit.manifest.Tuple;
import dev.nanokit.manifest.Value;
import dev.nanokit.manifest.VectorValue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The tree a {@link TfsWriter} is asked to write, before any block is laid out: directories with
 * their entries in {@link TfsReproducibility#NAME_ORDER}, files with where their bytes come from,
 * symlinks, and the verbatim extra attributes of each.
 */
final class TfsWriterTree {
  /** Attributes whose meaning the writer owns; callers cannot set them as extra attributes. */
  static final Set<String> RESERVED = Set.of("children", "extents", "filelength", "linktarget", "contents");
  /** Attributes that never appear on disk (docs/formats/tfs.md, "6.6 Attributes that never appear on disk"). */
  static final Set<String> NEVER_STORED = Set.of("..", ".", "no_encode", "special", "special_alloc_size", "socket",
      "handle", "mount", "exec", "readonly", "watches");

  static final int MAX_LINK_TARGET = 4095;

  /** Where a file's bytes come from; opened once, while the volume is written. */
  interface Content {
    ReadableByteChannel open() throws IOException;

    /** For messages: the host path or a description. */
    String origin();

    /** Whether this is a host file, which any thread may open ({@link HostFileOpener}); not a caller's stream. */
    default boolean isHostFile() {
      return false;
    }
  }

  static Content hostFile(Path path) {
    return new Content() {
      @Override
      public ReadableByteChannel open() throws IOException {
        // Opened through a copy: a channel keeps its path's text for messages, and a Path caches the text it
        // makes, which would stay with this one (often the caller's) for the whole write.
        Path parent = path.getParent();
        return FileChannel.open(parent == null ? path : parent.resolve(path.getFileName()));
      }

      @Override
      public boolean isHostFile() {
        return true;
      }

      @Override
      public String origin() {
        return path.toString();
      }
    };
  }

  /**
   * The host file {@code name} in the directory {@code dir}: for a walked tree, where a {@link Path}
   * kept per file would be a good part of the tree's memory, the name is the entry's own key.
   */
  static Content hostFile(Path dir, String name) {
    return new Content() {
      @Override
      public ReadableByteChannel open() throws IOException {
        return FileChannel.open(dir.resolve(name));
      }

      @Override
      public boolean isHostFile() {
        return true;
      }

      @Override
      public String origin() {
        return dir.resolve(name).toString();
      }
    };
  }

  /** Bytes in memory: the remaining bytes of {@code contents}, read through a duplicate each time it is opened. */
  static Content buffer(ByteBuffer contents, String imagePath) {
    return new Content() {
      @Override
      public ReadableByteChannel open() {
        ByteBuffer source = contents.duplicate();
        return new ReadableByteChannel() {
          private boolean open = true;

          @Override
          public int read(ByteBuffer dst) throws IOException {
            if (!open) {
              throw new ClosedChannelException();
            }
            if (!source.hasRemaining()) {
              return -1;
            }
            int n = Math.min(dst.remaining(), source.remaining());
            dst.put(dst.position(), source, source.position(), n);
            dst.position(dst.position() + n);
            source.position(source.position() + n);
            return n;
          }

          @Override
          public boolean isOpen() {
            return open;
          }

          @Override
          public void close() {
            open = false;
          }
        };
      }

      @Override
      public String origin() {
        return "content of " + imagePath;
      }
    };
  }

  static Content stream(TfsWriter.ContentSource source, String imagePath) {
    return new Content() {
      @Override
      public ReadableByteChannel open() throws IOException {
        InputStream in = source.open();
        if (in == null) {
          throw new IOException(imagePath + ": content source returned no stream");
        }
        return Channels.newChannel(in);
      }

      @Override
      public String origin() {
        return "content of " + imagePath;
      }
    };
  }

  abstract static class Node {
    private static final Tuple NONE = new Tuple().readOnlyView();

    /** Extra attributes; null until the first (most nodes have none: a tree of 200,000 files). */
    private Tuple attributes;

    /** Extra attributes, written verbatim after the ones the writer owns, in insertion order. */
    Tuple attributes() {
      return attributes != null ? attributes : NONE;
    }

    /** Sets an extra attribute. */
    void putAttribute(String name, Value value) {
      if (attributes == null) {
        attributes = new Tuple();
      }
      attributes.put(name, value);
    }
    /** The host modification time, for {@link TfsTimestamps#fromFiles()}; null if not from the host. */
    FileTime hostTime;
  }

  static final class Dir extends Node {
    final TreeMap<String, Node> children = new TreeMap<>(TfsReproducibility.NAME_ORDER);
  }

  static final class File extends Node {
    final long length;
    final Content content;
    /** Where {@link DataLayout} put the data; -1 for an empty file or before layout. */
    long firstBlock = -1;

    File(long length, Content content) {
      if (length < 0) {
        throw new IllegalArgumentException("negative file length " + length);
      }
      this.length = length;
      this.content = content;
    }
  }

  static final class Symlink extends Node {
    final String target;

    Symlink(String target) {
      this.target = checkLinkTarget(target);
    }
  }

  /** A manifest tuple with none of children/contents/linktarget, copied verbatim (docs/formats/tfs.md, "6.2 Directories" "other"). */
  static final class Opaque extends Node {}

  final Dir root = new Dir();
  /** Root-tuple keys besides {@code children}, written in {@link TfsReproducibility#NAME_ORDER}. */
  final TreeMap<String, Value> rootKeys = new TreeMap<>(TfsReproducibility.NAME_ORDER);
  /** The {@link #put(String, Node)} cache: the last parent directory's path as given, and the directory. */
  private String lastParentPath;
  private Dir lastParent;

  /** Path components of an absolute or relative image path; {@code /} and {@code ""} are the root. */
  static List<String> split(String imagePath) {
    List<String> parts = new ArrayList<>();
    for (int start = 0; start < imagePath.length(); ) {
      int end = imagePath.indexOf('/', start);
      end = end < 0 ? imagePath.length() : end;
      if (end > start) {
        String p = imagePath.substring(start, end);
        checkName(p, imagePath);
        parts.add(p);
      }
      start = end + 1;
    }
    return parts;
  }

  static void checkName(String name, String context) {
    if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(context + ": invalid entry name '" + name + "'");
    }
    checkUtf8(name, context);
  }

  static void checkUtf8(String s, String context) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException(context + ": '" + s + "' is not valid Unicode (lone surrogate)");
      }
    }
  }

  static String checkLinkTarget(String target) {
    if (target == null || target.isEmpty()) {
      throw new IllegalArgumentException("a symlink target must not be empty");
    }
    checkUtf8(target, "symlink target");
    if (target.getBytes(StandardCharsets.UTF_8).length > MAX_LINK_TARGET) {
      throw new IllegalArgumentException("symlink target longer than " + MAX_LINK_TARGET + " bytes: " + target);
    }
    return target;
  }

  static void checkAttributeName(String name, String context) {
    if (RESERVED.contains(name)) {
      throw new IllegalArgumentException(context + ": attribute '" + name + "' is written by the writer itself");
    }
    if (NEVER_STORED.contains(name)) {
      throw new IllegalArgumentException(context + ": attribute '" + name + "' never appears on disk (docs/formats/tfs.md, \"6.6 Attributes that never appear on disk\")");
    }
    checkUtf8(name, context);
  }

  static String join(List<String> parts, int n) {
    if (n == 0) {
      return "/";
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append('/').append(parts.get(i));
    }
    return sb.toString();
  }

  /** The directory at {@code parts}, created with its parents as needed (like {@code mkdir -p}). */
  Dir mkdirs(List<String> parts) {
    Dir d = root;
    for (int i = 0; i < parts.size(); i++) {
      Node n = d.children.get(parts.get(i));
      if (n == null) {
        Dir created = new Dir();
        d.children.put(parts.get(i), created);
        d = created;
      } else if (n instanceof Dir sub) {
        d = sub;
      } else {
        throw new IllegalArgumentException(join(parts, i + 1) + " exists and is not a directory");
      }
    }
    return d;
  }

  /**
   * Puts {@code node} at {@code parts} (parents created). A file, symlink or opaque node replaces
   * one of those; a directory merges into an existing directory. Replacing a directory by a
   * non-directory, or the reverse, is an error.
   */
  void put(List<String> parts, Node node) {
    putInParent(parts, node);
  }

  /**
   * Puts {@code node} at the non-root {@code imagePath}, as {@code put(split(imagePath), node)} does. Entries
   * mostly come in path order, a directory's one after another, so the directory found for the previous
   * path is kept, by the text of the path before its last {@code /}, and used again without splitting
   * and walking the path; any other case takes the full way.
   */
  void put(String imagePath, Node node) {
    int slash = imagePath.lastIndexOf('/');
    if (lastParent != null && slash == lastParentPath.length() && slash < imagePath.length() - 1
        && imagePath.startsWith(lastParentPath)) {
      String name = imagePath.substring(slash + 1);
      checkName(name, imagePath);
      Node old = lastParent.children.get(name);
      if (!(old instanceof Dir) && !(node instanceof Dir && old != null)) {
        lastParent.children.put(name, node);
        return;
      }
    }
    List<String> parts = split(imagePath);
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("'" + imagePath + "' is the root directory");
    }
    Dir parent = putInParent(parts, node);
    if (slash >= 0 && slash < imagePath.length() - 1) {
      lastParentPath = imagePath.substring(0, slash);
      lastParent = parent;
    }
  }

  /** {@link #put(List, Node)}; returns the directory {@code node} went into (null for the root). */
  private Dir putInParent(List<String> parts, Node node) {
    if (parts.isEmpty()) {
      if (!(node instanceof Dir d)) {
        throw new IllegalArgumentException("/ can only be a directory");
      }
      merge(root, d, "/");
      return null;
    }
    Dir parent = mkdirs(parts.subList(0, parts.size() - 1));
    String name = parts.get(parts.size() - 1);
    Node old = parent.children.get(name);
    if (old instanceof Dir oldDir) {
      if (!(node instanceof Dir d)) {
        throw new IllegalArgumentException(join(parts, parts.size()) + " is a directory");
      }
      merge(oldDir, d, join(parts, parts.size()));
    } else if (old != null && node instanceof Dir) {
      throw new IllegalArgumentException(join(parts, parts.size()) + " exists and is not a directory");
    } else {
      parent.children.put(name, node);
    }
    return parent;
  }

  private static void merge(Dir into, Dir from, String path) {
    for (Map.Entry<String, Value> e : from.attributes().entries().entrySet()) {
      into.putAttribute(e.getKey(), e.getValue());
    }
    if (from.hostTime != null) {
      into.hostTime = from.hostTime;
    }
    for (Map.Entry<String, Node> e : from.children.entrySet()) {
      Node old = into.children.get(e.getKey());
      String childPath = path.equals("/") ? "/" + e.getKey() : path + "/" + e.getKey();
      if (old instanceof Dir oldDir && e.getValue() instanceof Dir d) {
        merge(oldDir, d, childPath);
      } else if (old instanceof Dir) {
        throw new IllegalArgumentException(childPath + " is a directory");
      } else if (old != null && e.getValue() instanceof Dir) {
        throw new IllegalArgumentException(childPath + " exists and is not a directory");
      } else {
        into.children.put(e.getKey(), e.getValue());
      }
    }
  }

  /** The node at {@code parts}, or null. */
  Node get(List<String> parts) {
    Node n = root;
    for (String p : parts) {
      if (!(n instanceof Dir d)) {
        return null;
      }
      n = d.children.get(p);
      if (n == null) {
        return null;
      }
    }
    return n;
  }

  /**
   * A copy of a caller's value that shares nothing with it (so later changes by the caller do not
   * leak in, and no object is emitted twice by identity), keeping sharing and cycles inside it.
   */
  static Value copy(Value v) {
    return copy(v, new IdentityHashMap<>());
  }

  private static Value copy(Value v, IdentityHashMap<Value, Value> done) {
    Value prior = done.get(v);
    if (prior != null) {
      return prior;
    }
    if (v instanceof Tuple t) {
      Tuple c = new Tuple();
      done.put(v, c);
      for (Map.Entry<String, Value> e : t.entries().entrySet()) {
        c.put(e.getKey(), copy(e.getValue(), done));
      }
      return c;
    }
    if (v instanceof VectorValue vec) {
      VectorValue c = new VectorValue();
      done.put(v, c);
      for (Value element : vec.elements()) {
        c.add(copy(element, done));
      }
      return c;
    }
    return v; // strings, integers and buffers are immutable
  }
}
