package dev.nanokit.tfs;

import dev.nanokit.manifest.BufferValue;
import dev.nanokit.manifest.IntegerValue;
import dev.nanokit.manifest.StringValue;
import dev.nanokit.manifest.Tuple;
import dev.nanokit.manifest.Value;
import dev.nanokit.tfs.log.FileContentChannel;
import dev.nanokit.tfs.log.TfsFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A directory, regular file or symlink of a {@link TfsVolume}, as the tuple tree describes it
 * (docs/formats/tfs.md, "6 Filesystem semantics of the tuple tree"). Attributes are interpreted on demand, so listing a large tree never parses extents
 * it does not need; a malformed attribute fails with a {@link TfsFormatException} naming the path.
 *
 * <p>Immutable and safe for use by any number of threads, as is a volume opened with
 * {@link TfsVolume#open} (not an editor's, which changes as edits are staged); each stream or channel it opens is for one thread, and any number may be open at once.
 */
public final class TfsNode {
  /** Byte order of the UTF-8 names, the order every listing uses (docs/cli). */
  public static final Comparator<String> NAME_ORDER = TfsReproducibility.NAME_ORDER;

  private final TfsVolume volume;
  private final String path;
  private final Tuple tuple;

  TfsNode(TfsVolume volume, String path, Tuple tuple) {
    this.volume = volume;
    this.path = path;
    this.tuple = tuple;
  }

  /** Where this node's tuple was written: the byte offset of the log record that created it. */
  private long at() {
    return volume.offsetOf(tuple);
  }

  /** Absolute path inside the image, {@code /} for the root. */
  public String path() {
    return path;
  }

  /** The last path element; empty for the root. */
  public String name() {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /**
   * The node's tuple as a read-only view (the same view object for the same tuple, so it can tell
   * shared tuples apart by identity); the volume cannot be changed through it.
   */
  public Tuple tuple() {
    return tuple.readOnlyView();
  }

  /** The live tuple, for the editor. */
  Tuple mutableTuple() {
    return tuple;
  }

  public TfsNodeType type() {
    if (tuple.contains("children")) {
      return TfsNodeType.DIRECTORY;
    }
    if (tuple.contains("linktarget")) {
      return TfsNodeType.SYMLINK;
    }
    return TfsNodeType.FILE;
  }

  public boolean isDirectory() {
    return type() == TfsNodeType.DIRECTORY;
  }

  /** File length in bytes; 0 for directories and symlinks. */
  public long size() throws TfsFormatException {
    if (type() != TfsNodeType.FILE) {
      return 0;
    }
    Value v = tuple.get("filelength");
    return v == null ? 0 : number(v, "filelength");
  }

  /** The symlink target, verbatim; null if this is not a symlink. */
  public String linkTarget() throws TfsFormatException {
    if (type() != TfsNodeType.SYMLINK) {
      return null;
    }
    return text(tuple.get("linktarget"), "linktarget");
  }

  public Optional<Instant> mtime() throws TfsFormatException {
    return timestamp("mtime");
  }

  public Optional<Instant> atime() throws TfsFormatException {
    return timestamp("atime");
  }

  /** The file's extents sorted by file block; empty for other node kinds and empty files. */
  public List<TfsExtent> extents() throws TfsFormatException {
    if (type() != TfsNodeType.FILE || !(tuple.get("extents") instanceof Tuple extents)) {
      if (type() == TfsNodeType.FILE && tuple.contains("extents")) {
        throw new TfsFormatException(path + ": extents is not a tuple", at());
      }
      return List.of();
    }
    List<TfsExtent> out = new ArrayList<>(extents.size());
    long volumeBlocks = volume.filesystemSize() / TfsFormat.BLOCK_SIZE;
    for (Map.Entry<String, Value> e : extents.entries().entrySet()) {
      long fileBlock = decimal(e.getKey(), "extent key");
      if (!(e.getValue() instanceof Tuple x)) {
        throw new TfsFormatException(path + ": extent " + e.getKey() + " is not a tuple", at());
      }
      long offset = required(x, "offset", e.getKey());
      long length = required(x, "length", e.getKey());
      long allocated = x.contains("allocated") ? number(x.get("allocated"), "allocated") : length;
      if (allocated < length) {
        throw new TfsFormatException(path + ": extent " + e.getKey() + " allocates " + allocated
            + " blocks for " + length + " blocks of data", at());
      }
      if (offset > volumeBlocks || allocated > volumeBlocks - offset) {
        throw new TfsFormatException(path + ": extent " + e.getKey() + " (blocks " + offset + "+" + allocated
            + ") lies outside the filesystem of " + volumeBlocks + " blocks", at());
      }
      // Readers turn file blocks into byte positions; an end past Long.MAX_VALUE bytes would wrap
      // and make a reader go backwards (or nowhere) forever.
      if (fileBlock > Long.MAX_VALUE / TfsFormat.BLOCK_SIZE - length) {
        throw new TfsFormatException(path + ": extent " + e.getKey() + " (file blocks " + fileBlock + "+" + length
            + ") ends beyond the largest byte position a file can have", at());
      }
      out.add(new TfsExtent(fileBlock, offset, length, allocated, x.contains("uninited")));
    }
    out.sort(Comparator.comparingLong(TfsExtent::fileBlock));
    for (int i = 1; i < out.size(); i++) {
      TfsExtent prev = out.get(i - 1);
      if (prev.fileBlock() + prev.length() > out.get(i).fileBlock()) {
        throw new TfsFormatException(path + ": extents " + prev.fileBlock() + " and " + out.get(i).fileBlock()
            + " overlap in the file", at());
      }
    }
    // Two extents of one file on the same volume blocks would make a write to one change the other.
    List<TfsExtent> byOffset = new ArrayList<>(out);
    byOffset.sort(Comparator.comparingLong(TfsExtent::offset));
    for (int i = 1; i < byOffset.size(); i++) {
      TfsExtent prev = byOffset.get(i - 1);
      if (prev.offset() + prev.allocated() > byOffset.get(i).offset()) {
        throw new TfsFormatException(path + ": extents " + prev.fileBlock() + " and " + byOffset.get(i).fileBlock()
            + " share volume blocks (" + prev.offset() + "+" + prev.allocated() + " and " + byOffset.get(i).offset()
            + "+" + byOffset.get(i).allocated() + ")", at());
      }
    }
    return List.copyOf(out);
  }

  /** Entry names of a directory in UTF-8 byte order, without {@code .} and {@code ..}; empty otherwise. */
  public List<String> childNames() throws TfsFormatException {
    Tuple children = childTuple();
    if (children == null) {
      return List.of();
    }
    if (children.size() > volume.options().maxDirectoryEntries()) {
      throw new TfsFormatException(path + ": directory has " + children.size()
          + " entries, more than the limit of " + volume.options().maxDirectoryEntries() + " (maxDirectoryEntries)", at());
    }
    List<String> names = new ArrayList<>(children.size());
    for (Map.Entry<String, Value> e : children.entries().entrySet()) {
      String name = e.getKey();
      if (name.equals(".") || name.equals("..")) {
        continue;
      }
      // A name is one path component: "" or a '/' would make two entries print as one path, or a
      // path that leads somewhere else when copied out.
      if (name.isEmpty() || name.indexOf('/') >= 0) {
        throw new TfsFormatException(path + ": entry name \"" + abbreviate(name) + "\" is empty or contains '/'", at());
      }
      if (name.length() > volume.options().maxNameLength()) {
        throw new TfsFormatException(path + ": a name of " + name.length()
            + " characters exceeds the limit of " + volume.options().maxNameLength() + " (maxNameLength)", at());
      }
      if (!(e.getValue() instanceof Tuple)) {
        throw new TfsFormatException(path + ": entry " + name + " is not a tuple", at());
      }
      names.add(name);
    }
    names.sort(NAME_ORDER);
    return List.copyOf(names);
  }

  /** The directory's entries in UTF-8 byte order of their names. */
  public List<TfsNode> children() throws TfsFormatException {
    List<String> names = childNames();
    List<TfsNode> out = new ArrayList<>(names.size());
    Tuple children = childTuple();
    for (String name : names) {
      out.add(new TfsNode(volume, childPath(name), (Tuple) children.get(name)));
    }
    return List.copyOf(out);
  }

  /** The entry {@code name} of this directory, if present. */
  public Optional<TfsNode> child(String name) throws TfsFormatException {
    Tuple children = childTuple();
    if (children == null || name.equals(".") || name.equals("..")) {
      return Optional.empty();
    }
    Value v = children.get(name);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof Tuple t)) {
      throw new TfsFormatException(path + ": entry " + name + " is not a tuple", at());
    }
    return Optional.of(new TfsNode(volume, childPath(name), t));
  }

  /** Reads the file's bytes lazily; holes and uninited extents read as zeros. */
  public SeekableByteChannel openChannel() throws IOException {
    return contentChannel();
  }

  /**
   * Writes the whole file to {@code target} and returns its length; holes and uninited extents
   * write zeros. The same bytes as {@link #openChannel()} reads, with fewer copies: from a volume
   * opened on a file, into a {@link java.nio.channels.FileChannel} (a file, or a process's standard
   * output), the kernel moves them without their passing through the JVM. A failure of
   * {@code target} (a reader that has gone) is its own {@link IOException}, thrown as it is.
   */
  public long transferTo(WritableByteChannel target) throws IOException {
    try (FileContentChannel in = contentChannel()) {
      return in.transferTo(target);
    }
  }

  private FileContentChannel contentChannel() throws IOException {
    if (type() != TfsNodeType.FILE) {
      throw new TfsFormatException(path + " is not a regular file", at());
    }
    long size = size();
    if (size > volume.options().maxFileBytes()) {
      throw new TfsFormatException(path + ": file of " + size + " bytes exceeds the limit of "
          + volume.options().maxFileBytes() + " bytes (maxFileBytes)", at());
    }
    return new FileContentChannel(volume.channel(), path, size, extents());
  }

  public InputStream newInputStream() throws IOException {
    return Channels.newInputStream(openChannel());
  }

  private String childPath(String name) {
    if (path.equals("/")) {
      return "/".concat(name);
    }
    // Sized at once: one of these per node of a walk.
    return new StringBuilder(path.length() + 1 + name.length()).append(path).append('/').append(name).toString();
  }

  private Tuple childTuple() throws TfsFormatException {
    if (type() != TfsNodeType.DIRECTORY) {
      return null;
    }
    if (!(tuple.get("children") instanceof Tuple children)) {
      throw new TfsFormatException(path + ": children is not a tuple", at());
    }
    return children;
  }

  private Optional<Instant> timestamp(String name) throws TfsFormatException {
    Value v = tuple.get(name);
    if (v == null) {
      return Optional.empty();
    }
    long fixed = number(v, name);
    // 32.32 fixed-point seconds since the epoch (docs/formats/tfs.md, "6.5 Timestamps").
    long seconds = fixed >>> 32;
    long nanos = ((fixed & 0xffffffffL) * 1_000_000_000L) >>> 32;
    return Optional.of(Instant.ofEpochSecond(seconds, nanos));
  }

  private long required(Tuple extent, String name, String key) throws TfsFormatException {
    Value v = extent.get(name);
    if (v == null) {
      throw new TfsFormatException(path + ": extent " + key + " has no " + name, at());
    }
    return number(v, name);
  }

  /** Integers, or decimal text as ops writes it (docs/formats/tfs.md, "4.4 Which type to use for what (v5)"). */
  private long number(Value v, String what) throws TfsFormatException {
    if (v instanceof IntegerValue i) {
      if (i.value() < 0) {
        throw new TfsFormatException(path + ": " + what + " is negative (" + i.value() + ")", at());
      }
      return i.value();
    }
    return decimal(text(v, what), what);
  }

  private long decimal(String s, String what) throws TfsFormatException {
    if (s.isEmpty()) {
      throw new TfsFormatException(path + ": " + what + " is not a number: \"" + abbreviate(s) + "\"", at());
    }
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        throw new TfsFormatException(path + ": " + what + " is not a number: \"" + abbreviate(s) + "\"", at());
      }
      try {
        n = Math.addExact(Math.multiplyExact(n, 10), c - '0');
      } catch (ArithmeticException e) {
        throw new TfsFormatException(path + ": " + what + " \"" + abbreviate(s) + "\" does not fit in 64 signed bits", at());
      }
    }
    return n;
  }

  private String text(Value v, String what) throws TfsFormatException {
    if (v instanceof StringValue s) {
      return s.text();
    }
    if (v instanceof BufferValue b) {
      return new String(b.bytes(), StandardCharsets.UTF_8);
    }
    throw new TfsFormatException(path + ": " + what + " is not text", at());
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }

  @Override
  public String toString() {
    return type().letter() + " " + path;
  }
}
