package dev.nanokit.tfs;

import dev.nanokit.manifest.IntegerValue;
import dev.nanokit.manifest.StringValue;
import dev.nanokit.manifest.Tuple;
import dev.nanokit.manifest.Value;
import dev.nanokit.manifest.codec.TupleEncoder;
import dev.nanokit.manifest.codec.TupleEncoding;
import dev.nanokit.tfs.log.LogAppender;
import dev.nanokit.tfs.log.LogReader;
import dev.nanokit.tfs.log.SpaceMap;
import dev.nanokit.tfs.log.TfsFormat;
import dev.nanokit.tfs.log.VolumeChannel;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Changes a TFS volume (or the root or boot filesystem of a Nanos disk) in place by appending to its
 * log, as the running kernel does (docs/formats/tfs.md, "5.5 Update semantics (replay)", "7.3 What the running kernel appends (read-write mount)"): each change is one update record — a
 * reference to the directory's {@code children} tuple with one entry naming the new tuple, or the
 * {@code 80} deletion — numbered against the log's own dictionary.
 *
 * <p>Changes are staged by the operations and written by {@link #commit()} in the order that keeps
 * the volume readable at every instant: file data into free blocks, forced; then the new records
 * after the old END_OF_LOG (and any new extension), forced; then the single byte that turns the old
 * END_OF_LOG into END_OF_SEGMENT, forced. Until that byte changes every reader sees the old state.
 * Blocks freed by this batch are not reused before it commits, so the old state stays intact.
 *
 * <p>Not thread-safe: one editor is used by one thread at a time, and owns the image file until it is closed.
 */
public final class TfsEditor implements Closeable {
  private final FileChannel channel;
  private final Sink sink;
  private final TfsVolume volume;
  private final SpaceMap space;
  private final TupleEncoder encoder;
  private final List<byte[]> records = new ArrayList<>();
  private final List<DataWrite> data = new ArrayList<>();
  private boolean committed;

  /** A file's contents staged for blocks already allocated to it. */
  private record DataWrite(Path source, String imagePath, long size, List<long[]> runs) {}

  /** Where committed bytes go: the image file, or in tests a channel that fails part way. */
  interface Sink {
    void write(long offset, ByteBuffer bytes) throws IOException;

    void force() throws IOException;
  }

  private TfsEditor(FileChannel channel, Sink sink, TfsVolume volume) throws IOException {
    this.channel = channel;
    this.sink = sink;
    this.volume = volume;
    this.space = SpaceMap.of(volume.filesystemSize() / TfsFormat.BLOCK_SIZE, volume.usedRanges());
    this.encoder = TupleEncoder.continuing(volume.log().dictionary(), TupleEncoding.V5);
  }

  public static TfsEditor open(Path image) throws IOException {
    return open(image, TfsReadOptions.defaults());
  }

  public static TfsEditor open(Path image, TfsReadOptions options) throws IOException {
    return open(image, options, null);
  }

  static TfsEditor open(Path image, TfsReadOptions options, java.util.function.Function<FileChannel, Sink> sinks)
      throws IOException {
    FileChannel ch;
    try {
      ch = FileChannel.open(image, StandardOpenOption.READ, StandardOpenOption.WRITE);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(image.toString(), null, "no such file");
    }
    try {
      Sink sink = sinks != null ? sinks.apply(ch) : new Sink() {
        @Override
        public void write(long offset, ByteBuffer bytes) throws IOException {
          while (bytes.hasRemaining()) {
            offset += ch.write(bytes, offset);
          }
        }

        @Override
        public void force() throws IOException {
          ch.force(false);
        }
      };
      return new TfsEditor(ch, sink, TfsVolume.open(ch, options));
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /**
   * The volume as edited so far: staged names, directories and links are there, but a staged file's
   * bytes can only be read after {@link #commit()} (its blocks are allocated, not yet written). It
   * changes with every edit, so it is for the editing thread only.
   */
  public TfsVolume volume() {
    return volume;
  }

  /** Free bytes left for data after what is staged. */
  public long freeBytes() {
    return space.freeBlocks() * TfsFormat.BLOCK_SIZE;
  }

  /** Creates directory {@code path}; with {@code parents}, missing parents too and no error if it exists. */
  public void mkdir(ImagePath path, boolean parents) throws IOException {
    mkdir(path.toString(), parents);
  }

  /** Creates symlink {@code path} pointing at {@code target}, stored verbatim. */
  public void symlink(String target, ImagePath path) throws IOException {
    symlink(target, path.toString());
  }

  /** Removes a file or symlink, or with {@code recursive} a directory tree. */
  public void remove(ImagePath path, boolean recursive) throws IOException {
    remove(path.toString(), recursive);
  }

  /** Copies a host file, symlink or directory tree to {@code path}, replacing a file or symlink there. */
  public void put(Path host, ImagePath path) throws IOException {
    put(host, path.toString());
  }

  /** Creates directory {@code path}; with {@code parents}, missing parents too and no error if it exists. */
  public void mkdir(String path, boolean parents) throws IOException {
    List<String> parts = split(path);
    if (parts.isEmpty()) {
      if (parents) {
        return;
      }
      throw new TfsEditException(TfsEditException.Condition.ALREADY_EXISTS, "/: already exists");
    }
    TfsNode dir = volume.root();
    for (int i = 0; i < parts.size(); i++) {
      String name = checkName(parts.get(i), path);
      boolean last = i == parts.size() - 1;
      var existing = dir.child(name);
      if (existing.isPresent()) {
        TfsNode node = resolveDirectory(existing.get());
        if (last && !parents) {
          throw new TfsEditException(TfsEditException.Condition.ALREADY_EXISTS, existing.get().path() + ": already exists");
        }
        if (node == null) {
          throw new TfsEditException(TfsEditException.Condition.NOT_A_DIRECTORY, existing.get().path() + ": not a directory");
        }
        dir = node;
        continue;
      }
      if (!last && !parents) {
        throw new TfsEditException(TfsEditException.Condition.NOT_FOUND, childPath(dir, name) + ": no such directory");
      }
      Tuple created = new Tuple().put("children", new Tuple());
      link(dir, name, created);
      dir = dir.child(name).orElseThrow();
    }
  }

  /** Creates symlink {@code path} pointing at {@code target} (stored verbatim, docs/formats/tfs.md, "6.4 Symbolic links"). */
  public void symlink(String target, String path) throws IOException {
    if (target.isEmpty() || target.length() > 4095 || target.indexOf('\0') >= 0) {
      throw new TfsEditException(TfsEditException.Condition.INVALID, path + ": invalid symlink target");
    }
    Parent p = parentOf(path);
    if (p.dir.child(p.name).isPresent()) {
      throw new TfsEditException(TfsEditException.Condition.ALREADY_EXISTS, childPath(p.dir, p.name) + ": already exists");
    }
    link(p.dir, p.name, new Tuple().put("linktarget", StringValue.of(target)));
  }

  /** Removes a file or symlink, or with {@code recursive} a directory tree. */
  public void remove(String path, boolean recursive) throws IOException {
    Parent p = parentOf(path);
    TfsNode node = p.dir.child(p.name)
        .orElseThrow(() -> new TfsEditException(TfsEditException.Condition.NOT_FOUND, childPath(p.dir, p.name) + ": no such file or directory"));
    if (node.type() == TfsNodeType.DIRECTORY && !recursive && !node.childNames().isEmpty()) {
      throw new TfsEditException(TfsEditException.Condition.DIRECTORY_NOT_EMPTY, node.path() + ": directory not empty");
    }
    Tuple children = p.dir.mutableTuple().getTuple("children");
    records.add(encoder.encodeRemoval(children, p.name));
    children.remove(p.name);
  }

  /**
   * Copies a host file, symlink or directory tree to {@code path} in the image, replacing a file or
   * symlink there. Host symlinks are stored as symlinks with their literal target.
   */
  public void put(Path host, String path) throws IOException {
    put(host, path, false);
  }

  /**
   * As {@link #put(Path, String)}; with {@code followSymlinks}, a host symlink is replaced by what it
   * points to (a file's bytes, a directory's tree), as {@code cp -L} does. A directory reached again
   * through a link inside itself is refused, not copied forever.
   */
  public void put(Path host, String path, boolean followSymlinks) throws IOException {
    put(host, path, followSymlinks, new java.util.HashSet<>());
  }

  private void put(Path host, String path, boolean follow, java.util.Set<Path> ancestors) throws IOException {
    Parent p = parentOf(path);
    var existing = p.dir.child(p.name);
    LinkOption[] how = follow ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
    if (Files.isDirectory(host, how)) {
      Path real = host.toRealPath();
      if (!ancestors.add(real)) {
        throw new TfsEditException(TfsEditException.Condition.INVALID, host + ": a symlink loop back to " + real);
      }
      if (existing.isEmpty()) {
        mkdir(childPath(p.dir, p.name), false);
      } else if (resolveDirectory(existing.get()) == null) {
        throw new TfsEditException(TfsEditException.Condition.NOT_A_DIRECTORY, existing.get().path() + ": not a directory");
      }
      List<Path> entries;
      try (Stream<Path> s = Files.list(host)) {
        entries = new ArrayList<>(s.toList());
      }
      entries.sort((a, b) -> TfsNode.NAME_ORDER.compare(a.getFileName().toString(), b.getFileName().toString()));
      for (Path e : entries) {
        put(e, childPath(p.dir, p.name) + "/" + e.getFileName(), follow, ancestors);
      }
      ancestors.remove(real);
      return;
    }
    if (existing.isPresent() && existing.get().type() == TfsNodeType.DIRECTORY) {
      throw new TfsEditException(TfsEditException.Condition.IS_A_DIRECTORY, existing.get().path() + ": is a directory");
    }
    Tuple node;
    if (!follow && Files.isSymbolicLink(host)) {
      node = new Tuple().put("linktarget", StringValue.of(Files.readSymbolicLink(host).toString()));
    } else if (Files.isRegularFile(host)) {
      node = fileTuple(host, childPath(p.dir, p.name));
    } else if (!Files.exists(host, LinkOption.NOFOLLOW_LINKS)) {
      throw new NoSuchFileException(host.toString(), null, "no such file or directory");
    } else if (follow && !Files.exists(host)) {
      throw new NoSuchFileException(host.toString(), null, "a symlink to nothing (" + Files.readSymbolicLink(host) + ")");
    } else {
      throw new TfsEditException(TfsEditException.Condition.INVALID, host + ": not a regular file, directory or symlink");
    }
    link(p.dir, p.name, node);
  }

  /** Sets a key of the root tuple (boot configuration, docs/formats/manifest.md, "4 Root-tuple keys read by the kernel"). */
  public void setRootKey(String key, Value value) throws IOException {
    if (key.equals("children")) {
      throw new TfsEditException(TfsEditException.Condition.INVALID, "the root key 'children' is the directory tree and cannot be set");
    }
    Tuple root = volume.mutableRoot();
    records.add(encoder.encodeUpdate(root, key, value));
    root.put(key, value);
  }

  private Tuple fileTuple(Path host, String imagePath) throws IOException {
    long size = Files.size(host);
    long blocks = (size + TfsFormat.BLOCK_SIZE - 1) / TfsFormat.BLOCK_SIZE;
    Tuple extents = new Tuple();
    if (blocks > 0) {
      List<long[]> runs = space.allocate(blocks, TfsFormat.MAX_EXTENT_BLOCKS);
      if (runs == null) {
        long missing = (blocks - space.freeBlocks()) * TfsFormat.BLOCK_SIZE;
        throw new TfsNoSpaceException(imagePath + ": needs " + blocks * TfsFormat.BLOCK_SIZE
            + " bytes of free space, " + missing + " more than the volume has", missing);
      }
      long fileBlock = 0;
      for (long[] run : runs) {
        extents.put(Long.toString(fileBlock), new Tuple()
            .put("offset", IntegerValue.of(run[0]))
            .put("length", IntegerValue.of(run[1]))
            .put("allocated", IntegerValue.of(run[1])));
        fileBlock += run[1];
      }
      data.add(new DataWrite(host, imagePath, size, runs));
    }
    return new Tuple().put("filelength", IntegerValue.of(size)).put("extents", extents);
  }

  /** Records {@code dir/name = node} and applies it to the in-memory tree. */
  private void link(TfsNode dir, String name, Tuple node) {
    Tuple children = dir.mutableTuple().getTuple("children");
    records.add(encoder.encodeUpdate(children, name, node));
    children.put(name, node);
  }

  private record Parent(TfsNode dir, String name) {}

  private Parent parentOf(String path) throws IOException {
    List<String> parts = split(path);
    if (parts.isEmpty()) {
      throw new TfsEditException(TfsEditException.Condition.INVALID, "/: the root directory cannot be replaced or removed");
    }
    String name = checkName(parts.get(parts.size() - 1), path);
    String parentPath = "/" + String.join("/", parts.subList(0, parts.size() - 1));
    TfsNode parent = volume.lookup(parentPath, true)
        .orElseThrow(() -> new TfsEditException(TfsEditException.Condition.NOT_FOUND, parentPath + ": no such directory"));
    if (parent.type() != TfsNodeType.DIRECTORY) {
      throw new TfsEditException(TfsEditException.Condition.NOT_A_DIRECTORY, parentPath + ": not a directory");
    }
    return new Parent(parent, name);
  }

  private TfsNode resolveDirectory(TfsNode node) throws IOException {
    TfsNode target = node.type() == TfsNodeType.SYMLINK ? volume.lookup(node.path(), true).orElse(null) : node;
    return target != null && target.type() == TfsNodeType.DIRECTORY ? target : null;
  }

  private static String childPath(TfsNode dir, String name) {
    return dir.path().equals("/") ? "/" + name : dir.path() + "/" + name;
  }

  private static List<String> split(String path) {
    List<String> parts = new ArrayList<>();
    for (String p : path.split("/")) {
      if (!p.isEmpty()) {
        parts.add(p);
      }
    }
    return parts;
  }

  private static String checkName(String name, String path) throws TfsEditException {
    if (name.equals(".") || name.equals("..") || name.indexOf('\0') >= 0) {
      throw new TfsEditException(TfsEditException.Condition.INVALID, path + ": '" + name + "' cannot be a file name");
    }
    return name;
  }

  /** Writes the staged changes; see the class comment for the order. Does nothing if none are staged. */
  public void commit() throws IOException {
    if (committed) {
      throw new IllegalStateException("already committed");
    }
    if (records.isEmpty()) {
      committed = true;
      return;
    }
    LogReader.Log log = volume.log();
    LogExtension last = log.extensions().get(log.end().extensionIndex());
    LogAppender appender = LogAppender.continuing(last, log.end().position(), space);
    for (byte[] r : records) {
      appender.append(r);
    }
    List<LogAppender.Write> logWrites = appender.finish();

    VolumeChannel v = volume.channel();
    for (DataWrite d : data) {
      writeData(v, d);
    }
    sink.force();
    for (LogAppender.Write w : logWrites) {
      // A new extension is written whole, so stale data never sits behind its END_OF_LOG.
      byte[] bytes = w.newExtension() ? java.util.Arrays.copyOf(w.bytes(), TfsFormat.EXTENSION_BYTES) : w.bytes();
      sink.write(v.absolute(w.volumeOffset()), ByteBuffer.wrap(bytes));
    }
    sink.force();
    sink.write(v.absolute(appender.commitOffset()), ByteBuffer.wrap(new byte[] {TfsFormat.END_OF_SEGMENT}));
    sink.force();
    committed = true;
  }

  private void writeData(VolumeChannel v, DataWrite d) throws IOException {
    try (InputStream in = Files.newInputStream(d.source())) {
      long remaining = d.size();
      byte[] buf = new byte[1 << 20];
      for (long[] run : d.runs()) {
        long at = v.absolute(run[0] * TfsFormat.BLOCK_SIZE);
        long runBytes = run[1] * TfsFormat.BLOCK_SIZE;
        long done = 0;
        while (done < runBytes) {
          int want = (int) Math.min(buf.length, runBytes - done);
          int n = in.readNBytes(buf, 0, (int) Math.min(want, Math.max(0, remaining)));
          if (n < want) {
            if (remaining - n > 0) {
              throw new IOException(d.source() + ": changed while being copied (shorter than " + d.size() + " bytes)");
            }
            java.util.Arrays.fill(buf, n, want, (byte) 0); // zero the tail of the last block
          }
          sink.write(at + done, ByteBuffer.wrap(buf, 0, want));
          remaining -= n;
          done += want;
        }
      }
    }
  }

  /** Closes the image; staged changes that were not committed are dropped. */
  @Override
  public void close() throws IOException {
    channel.close();
  }
}
