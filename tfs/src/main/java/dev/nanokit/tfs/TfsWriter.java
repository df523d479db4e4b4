package dev.nanokit.tfs;

import dev.nanokit.manifest.StringValue;
import dev.nanokit.manifest.Tuple;
import dev.nanokit.manifest.Value;
import dev.nanokit.manifest.codec.TupleEncoding;
import dev.nanokit.tfs.disk.AtomicFile;
import dev.nanokit.tfs.log.LogWriter;
import dev.nanokit.tfs.log.TfsFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

/**
 * Builds a fresh TFS volume (docs/formats/tfs.md) in the ops layout ("7.2 Layouts produced by the two writers", "9.1 Writer (recommended, ops-compatible layout)"): block 0 is the initial
 * extension (header, LINK to block 1, END_OF_LOG); blocks 1–1024 the first log extension, holding
 * one TUPLE_AVAILABLE with the whole root tuple (split into TUPLE_EXTENDED records over further
 * 1024-block extensions placed after the data when it does not fit, by the "3.4 How writers fill extensions (split rule)" rule); file data
 * from block 1025, each file contiguous, in extents of at most 65536 blocks.
 *
 * <p>Fill it with {@link #addTree}, {@link #addManifest}, {@link #addTar}, {@link #addDirectory},
 * {@link #addFile}, {@link #addSymlink}, {@link #setRootKey}, then call {@link #writeTo(Path)}:
 *
 * <pre>{@code
 * TfsWriteResult r = TfsWriter.create()
 *     .setLabel("data")
 *     .addTree("/", Path.of("build/root"))
 *     .setRootKey("program", "/bin/app")
 *     .writeTo(Path.of("data.img"));
 * }</pre>
 *
 * <p>Output is reproducible (see {@link TfsReproducibility}): same input, same bytes. File contents
 * are streamed in 1 MiB chunks, never held whole in memory; the metadata (the encoded tree) is.
 *
 * <p><b>Size.</b> Every log extension lies entirely inside the volume ("9.1 Writer (recommended, ops-compatible layout)" step 6). By default the
 * volume gets free room for the running kernel ("7.4 Free-space requirements"): {@code max(8 MiB, 10 % of the used bytes,
 * minimum free)}, the total rounded up to a whole MiB. A {@linkplain #setSize fixed size} must hold
 * the used blocks plus the {@linkplain #setMinimumFreeBytes minimum free room} (default
 * {@value #DEFAULT_MINIMUM_FREE_BYTES} bytes = 2 × 512 KiB + 512, the least a guest needs to write a
 * file, "7.4 Free-space requirements"); a smaller one fails with {@link TfsNoSpaceException} before anything is written.
 *
 * <p>Instances are not thread-safe. Adding methods check names and host files at once; host files
 * are read only while writing, and one whose size changed since it was added fails the write.
 * Internally a write uses two short-lived threads beside the caller's (one fingerprints and writes the
 * data the caller reads, one forces it to disk as it goes), and {@link #addTree} lists a host tree on
 * two; events are delivered on the caller's thread.
 */
public final class TfsWriter {
  /** Bytes of free room a fixed size must leave by default: two 1024-block runs plus one block (docs/formats/tfs.md, "7.4 Free-space requirements"). */
  public static final long DEFAULT_MINIMUM_FREE_BYTES = 2L * TfsFormat.EXTENSION_BYTES + TfsFormat.BLOCK_SIZE;
  /** The least free room of a default-sized volume. */
  public static final long DEFAULT_FREE_MARGIN_BYTES = 8L << 20;

  private static final int CHUNK = 1 << 20;
  private static final long SIZE_ROUNDING = 1L << 20;

  /** Opens the bytes of a file added with a known length; called once, while writing. */
  @FunctionalInterface
  public interface ContentSource {
    InputStream open() throws IOException;
  }

  private final TfsWriterTree tree = new TfsWriterTree();
  private int version = 5;
  private String label = "";
  private byte[] uuid;
  private long size = -1;
  private long minimumFree = DEFAULT_MINIMUM_FREE_BYTES;
  private TfsTimestamps timestamps = TfsTimestamps.none();
  private final dev.nanokit.events.EventHandlers<TfsWriteEvent> events = new dev.nanokit.events.EventHandlers<>();
  private Function<String, Path> hostPaths = Path::of;

  private TfsWriter() {}

  /** A writer for an empty volume (root directory only), v5, empty label, content-derived UUID. */
  public static TfsWriter create() {
    return new TfsWriter();
  }

  // ---------------------------------------------------------------- settings

  /** 5 (default) or 4, the legacy encoding ops writes with {@code TFSv4} (docs/formats/tfs.md, "4.2 Header, version 4 (legacy, read support)"). */
  public TfsWriter setVersion(int version) {
    if (version != 4 && version != 5) {
      throw new IllegalArgumentException("TFS version must be 4 or 5, got " + version);
    }
    this.version = version;
    return this;
  }

  /** At most 31 bytes of UTF-8, no NUL; empty by default (the root fs of an ops image). */
  public TfsWriter setLabel(String label) {
    Objects.requireNonNull(label, "label");
    TfsWriterTree.checkUtf8(label, "label");
    if (label.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("a label cannot contain NUL");
    }
    int n = label.getBytes(StandardCharsets.UTF_8).length;
    if (n > TfsFormat.LABEL_MAX) {
      throw new IllegalArgumentException("label '" + label + "' is " + n + " bytes of UTF-8; at most "
          + TfsFormat.LABEL_MAX + " fit");
    }
    this.label = label;
    return this;
  }

  /** A fixed 16-byte UUID (on-disk order); null returns to the content-derived one. */
  public TfsWriter setUuid(byte[] uuid) {
    if (uuid != null && uuid.length != TfsFormat.UUID_LENGTH) {
      throw new IllegalArgumentException("a UUID is 16 bytes, got " + uuid.length);
    }
    this.uuid = uuid == null ? null : uuid.clone();
    return this;
  }

  /** A fixed UUID; its text form is what {@code tfs info} and {@code mounts} will show. */
  public TfsWriter setUuid(UUID uuid) {
    if (uuid == null) {
      return setUuid((byte[]) null);
    }
    ByteBuffer b = ByteBuffer.allocate(16);
    b.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
    return setUuid(b.array());
  }

  /** A fixed volume size in bytes (a multiple of 512); a negative value returns to the default size. */
  public TfsWriter setSize(long bytes) {
    if (bytes >= 0 && bytes % TfsFormat.BLOCK_SIZE != 0) {
      throw new IllegalArgumentException("volume size " + bytes + " is not a multiple of 512");
    }
    this.size = bytes < 0 ? -1 : bytes;
    return this;
  }

  /**
   * Free room a volume must keep (default {@value #DEFAULT_MINIMUM_FREE_BYTES}). 0 allows a volume
   * that is exactly full — fine read-only, but a read-write boot cannot even record {@code /proc/self}.
   */
  public TfsWriter setMinimumFreeBytes(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("negative free room " + bytes);
    }
    this.minimumFree = bytes;
    return this;
  }

  /** Which {@code mtime}s to write; {@link TfsTimestamps#none()} by default. */
  public TfsWriter setTimestamps(TfsTimestamps timestamps) {
    this.timestamps = Objects.requireNonNull(timestamps, "timestamps");
    return this;
  }

  /** Calls {@code handler} with every event of type {@code type} while writing; several handlers may be added. */
  public <E extends TfsWriteEvent> TfsWriter addEventHandler(Class<E> type, java.util.function.Consumer<? super E> handler) {
    events.add(type, handler);
    return this;
  }

  /**
   * How a manifest's {@code contents:(host:PATH)} string becomes a host path (default
   * {@link Path#of}, relative to the working directory, like mkfs). Set it to implement mkfs {@code -r}
   * target-root lookup (docs/formats/manifest.md, "2.3 Host path lookup with a target root (`-r`)") or a base directory.
   */
  public TfsWriter setHostPathResolver(Function<String, Path> resolver) {
    this.hostPaths = Objects.requireNonNull(resolver, "resolver");
    return this;
  }

  // ---------------------------------------------------------------- content

  /** A directory, with its parents (like {@code mkdir -p}); an existing directory is kept. */
  public TfsWriter addDirectory(String imagePath) {
    tree.put(TfsWriterTree.split(imagePath), new TfsWriterTree.Dir());
    return this;
  }

  /**
   * A regular file with the contents of {@code host} (symlinks followed), parents created; replaces an
   * existing file or symlink.
   */
  public TfsWriter addFile(String imagePath, Path host) throws IOException {
    nonRoot(imagePath);
    BasicFileAttributes a = Files.readAttributes(host, BasicFileAttributes.class);
    if (!a.isRegularFile()) {
      throw new IOException(host + ": not a regular file");
    }
    TfsWriterTree.File f = new TfsWriterTree.File(a.size(), TfsWriterTree.hostFile(host));
    f.hostTime = a.lastModifiedTime();
    tree.put(imagePath, f);
    return this;
  }

  /**
   * A regular file with the contents of {@code host} (symlinks followed), parents created, whose size the
   * caller has just read: {@code length}, which is not asked of the host again (a tree of thousands of
   * files saves a {@code stat} each). It has no host time ({@link TfsTimestamps#fromFiles()}); a file
   * whose size is no longer {@code length} when it is copied fails the write.
   */
  public TfsWriter addFile(String imagePath, Path host, long length) {
    tree.put(imagePath, new TfsWriterTree.File(length, TfsWriterTree.hostFile(Objects.requireNonNull(host, "host"))));
    return this;
  }

  /** A regular file of exactly {@code length} bytes, read from {@code source} while writing. */
  public TfsWriter addFile(String imagePath, long length, ContentSource source) {
    Objects.requireNonNull(source, "source");
    tree.put(imagePath, new TfsWriterTree.File(length, TfsWriterTree.stream(source, imagePath)));
    return this;
  }

  /** A small regular file with these bytes (copied). */
  public TfsWriter addFile(String imagePath, byte[] contents) {
    return addFile(imagePath, ByteBuffer.wrap(contents.clone()));
  }

  /**
   * A regular file with the remaining bytes of {@code contents}, which are not copied: they are read
   * when the volume is written, so the caller leaves them as they are until then. The buffer's
   * position and limit are not changed.
   */
  public TfsWriter addFile(String imagePath, ByteBuffer contents) {
    ByteBuffer bytes = contents.slice();
    tree.put(imagePath, new TfsWriterTree.File(bytes.remaining(), TfsWriterTree.buffer(bytes, imagePath)));
    return this;
  }

  /** A symbolic link; {@code target} is stored verbatim (absolute or relative, at most 4095 bytes). */
  public TfsWriter addSymlink(String imagePath, String target) {
    tree.put(imagePath, new TfsWriterTree.Symlink(target));
    return this;
  }

  /**
   * The host directory {@code hostDir}, recursively, at {@code imagePath} (merged into what is
   * there): directories, regular files, and symlinks as symlinks with their literal target (not
   * followed, dangling ones kept). The tree is listed now; file bytes are read while writing. Device
   * files, FIFOs and sockets are an error.
   */
  public TfsWriter addTree(String imagePath, Path hostDir) throws IOException {
    List<String> parts = TfsWriterTree.split(imagePath);
    BasicFileAttributes a = Files.readAttributes(hostDir, BasicFileAttributes.class);
    if (!a.isDirectory()) {
      throw new NotDirectoryException(hostDir.toString());
    }
    TfsWriterTree.Dir d = HostTreeWalker.walk(hostDir, a);
    tree.put(parts, d);
    return this;
  }

  /**
   * The tree of the tar archive {@code tar} ({@code .tar}, or gzip-compressed, recognised by its
   * magic bytes) at {@code imagePath}, merged into what is there, as extracting it would build it:
   * directories, regular files, symlinks with their literal target, hard links as copies of the
   * earlier file they name; parents the names imply are created, and a later entry for a path
   * replaces an earlier one. Entry mtimes count as host times ({@link TfsTimestamps#fromFiles()}).
   *
   * <p>The archive is read once, now; regular-file contents are appended to {@code spool}, an
   * existing file the caller owns: the writer reads them from there while writing, so the caller
   * deletes it only after {@link #writeTo} returns (or fails).
   *
   * @throws IOException naming the archive and the entry for a name with NUL or a {@code ..},
   *     {@code .} or empty component, a device or FIFO, a hard link to a name no earlier regular
   *     file has, an entry under a non-directory, or an archive that ends inside an entry
   */
  public TfsWriter addTar(String imagePath, Path tar, Path spool) throws IOException {
    List<String> parts = TfsWriterTree.split(imagePath);
    tree.put(parts, new TarTreeReader(tar, spool).read());
    return this;
  }

  /**
   * A parsed manifest root tuple, with mkfs semantics (docs/formats/manifest.md, "2.2 Special keys"): {@code children} is the tree;
   * a tuple with {@code contents:(host:PATH)} is a regular file with that host file's bytes
   * ({@code contents} itself is not stored; an empty host file gives {@code extents:()} and
   * {@code filelength} 0); a tuple with {@code linktarget} is a symlink; a tuple with {@code children}
   * a directory; every other key is copied verbatim, in the root as configuration. The root keys
   * {@code boot} (the boot filesystem, written separately — pass that tuple to another writer) and
   * {@code imagesize} are left out, as mkfs removes them from the root filesystem. Merged into what is
   * already there; host files are checked now.
   */
  public TfsWriter addManifest(Tuple manifestRoot) throws IOException {
    TfsWriterTree.Dir d = new TfsWriterTree.Dir();
    for (Map.Entry<String, Value> e : manifestRoot.entries().entrySet()) {
      String key = e.getKey();
      switch (key) {
        case "children" -> {
          if (!(e.getValue() instanceof Tuple children)) {
            throw new IllegalArgumentException("manifest: root children is not a tuple");
          }
          manifestChildren(d, children, "");
        }
        case "boot", "imagesize" -> { }
        default -> setRootKey(key, e.getValue());
      }
    }
    tree.put(List.of(), d);
    return this;
  }

  private void manifestChildren(TfsWriterTree.Dir d, Tuple children, String path) throws IOException {
    for (Map.Entry<String, Value> e : children.entries().entrySet()) {
      String childPath = path + "/" + e.getKey();
      TfsWriterTree.checkName(e.getKey(), "manifest: " + (path.isEmpty() ? "/" : path));
      if (!(e.getValue() instanceof Tuple t)) {
        throw new IllegalArgumentException("manifest: " + childPath + " is not a tuple");
      }
      d.children.put(e.getKey(), manifestNode(t, childPath));
    }
  }

  private TfsWriterTree.Node manifestNode(Tuple t, String path) throws IOException {
    Value children = t.get("children");
    Value target = t.get("linktarget");
    Value contents = t.get("contents");
    for (String bad : List.of("extents", "filelength")) {
      if (t.contains(bad)) {
        throw new IllegalArgumentException("manifest: " + path + ": '" + bad + "' is written by the writer; use contents:(host:PATH)");
      }
    }
    if ((children != null ? 1 : 0) + (target != null ? 1 : 0) + (contents != null ? 1 : 0) > 1) {
      throw new IllegalArgumentException("manifest: " + path + ": only one of children, linktarget, contents may be given");
    }
    TfsWriterTree.Node node;
    if (children != null) {
      if (!(children instanceof Tuple c)) {
        throw new IllegalArgumentException("manifest: " + path + ": children is not a tuple");
      }
      TfsWriterTree.Dir d = new TfsWriterTree.Dir();
      manifestChildren(d, c, path);
      node = d;
    } else if (target != null) {
      if (!(target instanceof StringValue s)) {
        throw new IllegalArgumentException("manifest: " + path + ": linktarget is not a string");
      }
      node = new TfsWriterTree.Symlink(s.text());
    } else if (contents != null) {
      if (!(contents instanceof Tuple c) || !(c.get("host") instanceof StringValue host)) {
        throw new IllegalArgumentException("manifest: " + path + ": contents has no host string (contents:(host:PATH))");
      }
      Path p = hostPaths.apply(host.text());
      BasicFileAttributes a;
      try {
        a = Files.readAttributes(p, BasicFileAttributes.class);
      } catch (FileSystemException ex) {
        throw withContext(ex, "manifest: " + path + ": host file " + p);
      }
      if (!a.isRegularFile()) {
        throw new IOException("manifest: " + path + ": host " + p + " is not a regular file");
      }
      TfsWriterTree.File f = new TfsWriterTree.File(a.size(), TfsWriterTree.hostFile(p));
      f.hostTime = a.lastModifiedTime();
      node = f;
    } else {
      node = new TfsWriterTree.Opaque();
    }
    for (Map.Entry<String, Value> e : t.entries().entrySet()) {
      if (!TfsWriterTree.RESERVED.contains(e.getKey())) {
        node.putAttribute(e.getKey(), TfsWriterTree.copy(e.getValue()));
      }
    }
    return node;
  }

  private static IOException withContext(FileSystemException e, String what) {
    IOException r = e instanceof AccessDeniedException ? new AccessDeniedException(what) : new IOException(
        what + ": " + (e.getReason() != null ? e.getReason() : e.getClass().getSimpleName()));
    r.initCause(e);
    return r;
  }

  /** A root-tuple key (configuration such as {@code program}, docs/formats/manifest.md, "4 Root-tuple keys read by the kernel"); any key but {@code children}. */
  public TfsWriter setRootKey(String name, Value value) {
    Objects.requireNonNull(value, "value");
    if (name.equals("children")) {
      throw new IllegalArgumentException("the root's children are the tree: add entries instead");
    }
    TfsWriterTree.checkUtf8(name, "root key");
    tree.rootKeys.put(name, TfsWriterTree.copy(value));
    return this;
  }

  /** A string root key. */
  public TfsWriter setRootKey(String name, String value) {
    return setRootKey(name, StringValue.of(value));
  }

  public TfsWriter removeRootKey(String name) {
    tree.rootKeys.remove(name);
    return this;
  }

  /**
   * An extra attribute of the entry at {@code imagePath} ({@code /} = the root tuple), written after
   * the writer's own: extended attributes ({@code user.x}), {@code mtime}/{@code atime} (32.32
   * integers; an explicit {@code mtime} wins over the timestamp policy), … Not {@code children},
   * {@code extents}, {@code filelength}, {@code linktarget}, {@code contents}, nor the in-memory-only
   * names of docs/formats/tfs.md, "6.6 Attributes that never appear on disk".
   */
  public TfsWriter setAttribute(String imagePath, String name, Value value) {
    Objects.requireNonNull(value, "value");
    TfsWriterTree.checkAttributeName(name, imagePath);
    TfsWriterTree.Node n = tree.get(TfsWriterTree.split(imagePath));
    if (n == null) {
      throw new IllegalArgumentException(imagePath + ": no such entry");
    }
    n.putAttribute(name, TfsWriterTree.copy(value));
    return this;
  }

  private static List<String> nonRoot(String imagePath) {
    List<String> parts = TfsWriterTree.split(imagePath);
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("'" + imagePath + "' is the root directory");
    }
    return parts;
  }

  // ---------------------------------------------------------------- planning

  /** Everything about the volume that is known before a byte is written. */
  private record Plan(
      DataLayout layout,
      byte[] tuple,
      List<LogWriter.Extension> chain,
      long usedBlocks,
      long sizeBytes,
      byte[] label) {}

  private Plan plan() throws TfsNoSpaceException {
    TupleEncoding encoding = version == 5 ? TupleEncoding.V5 : TupleEncoding.V4;
    DataLayout layout = DataLayout.of(tree);
    byte[] tuple;
    try {
      tuple = WriterTreeEncoder.encode(tree, layout, encoding, timestamps);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot encode the tree as TFS v" + version + ": " + e.getMessage(), e);
    }
    List<LogWriter.Extension> chain =
        LogWriter.chain(tuple, version, TfsFormat.INITIAL_EXTENSION_BLOCKS, layout.nextBlock);
    LogWriter.Extension last = chain.get(chain.size() - 1);
    long usedBlocks = Math.max(layout.nextBlock, last.startBlock() + last.blocks());
    long usedBytes = usedBlocks * TfsFormat.BLOCK_SIZE;
    long sizeBytes;
    if (size >= 0) {
      long required = usedBytes + minimumFree;
      if (size < required) {
        throw new TfsNoSpaceException("volume size " + size + " bytes is too small: it needs at least " + required
            + " bytes (" + usedBytes + " for log and data + " + minimumFree + " free)", required - size);
      }
      sizeBytes = size;
    } else {
      long free = Math.max(minimumFree, Math.max(DEFAULT_FREE_MARGIN_BYTES, usedBytes / 10));
      sizeBytes = roundUp(usedBytes + free, SIZE_ROUNDING);
    }
    return new Plan(layout, tuple, chain, usedBlocks, sizeBytes, label.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The smallest size {@link #setSize} accepts for the current content: used blocks plus the minimum
   * free room. Lays the volume out (cheap: no file is read).
   */
  public long requiredBytes() {
    long saved = size;
    size = -1;
    try {
      Plan p = plan();
      return p.usedBlocks * TfsFormat.BLOCK_SIZE + minimumFree;
    } catch (TfsNoSpaceException e) {
      throw new AssertionError(e); // cannot happen without a fixed size
    } finally {
      size = saved;
    }
  }

  private static long roundUp(long v, long unit) {
    return (v + unit - 1) / unit * unit;
  }

  // ---------------------------------------------------------------- writing

  /**
   * Writes the volume to {@code out} whole or not at all ({@link AtomicFile}): on any failure
   * {@code out} is untouched (absent, or its old contents). The file is sparse where the volume is zero.
   *
   * @throws TfsNoSpaceException if a fixed size is too small (nothing is written)
   */
  public TfsWriteResult writeTo(Path out) throws IOException {
    if (Files.isDirectory(out)) {
      throw new IOException(out.toAbsolutePath().normalize() + " is a directory");
    }
    Plan plan = plan();
    TfsWriteResult result = AtomicFile.write(out, ch -> write(plan, ch, 0, true));
    events.dispatch(new TfsWriteEvent.Finished(result));
    return result;
  }

  /**
   * Writes the volume into {@code channel} at byte {@code offset} (e.g. a partition of a disk image
   * being assembled), extending the channel to {@code offset + size} if it is shorter, and forces it.
   * Not atomic. Blocks the volume leaves free are not touched; when {@code offset} is at or beyond
   * the channel's end, all-zero ranges are skipped so the file stays sparse.
   */
  public TfsWriteResult writeTo(FileChannel channel, long offset) throws IOException {
    if (offset < 0 || offset % TfsFormat.BLOCK_SIZE != 0) {
      throw new IllegalArgumentException("offset " + offset + " is not a non-negative multiple of 512");
    }
    Plan plan = plan();
    TfsWriteResult result = write(plan, channel, offset, offset >= channel.size());
    events.dispatch(new TfsWriteEvent.Finished(result));
    return result;
  }

  private TfsWriteResult write(Plan plan, FileChannel ch, long base, boolean fresh) throws IOException {
    DataLayout layout = plan.layout;
    List<LogExtension> extensions = new ArrayList<>();
    extensions.add(new LogExtension(0, TfsFormat.INITIAL_EXTENSION_BLOCKS, version));
    for (LogWriter.Extension x : plan.chain) {
      extensions.add(new LogExtension(x.startBlock(), x.blocks(), version));
    }
    events.dispatch(new TfsWriteEvent.Planned(plan.sizeBytes, layout.dataBytes, layout.files, extensions.size()));

    MessageDigest volumeDigest = uuid == null
        ? TfsReproducibility.uuidDigest(version, plan.label, plan.sizeBytes, plan.tuple) : null;
    try (DataOutput data = new DataOutput(ch, fresh, CHUNK, volumeDigest); HostFileOpener opener = new HostFileOpener(tree)) {
      DataCopy copy = new DataCopy(opener, data, base, layout.dataBytes);
      DataLayout.forEachFile(tree, copy::copy);
      data.finish();
    }
    for (LogWriter.Extension x : plan.chain) {
      long at = base + x.startBlock() * TfsFormat.BLOCK_SIZE;
      writeFully(ch, ByteBuffer.wrap(x.bytes()), at);
      if (!fresh) {
        writeZeros(ch, at + x.bytes().length, (long) x.blocks() * TfsFormat.BLOCK_SIZE - x.bytes().length);
      }
    }
    events.dispatch(new TfsWriteEvent.LogWritten(plan.tuple.length));

    byte[] id = uuid != null ? uuid : TfsReproducibility.derivedUuid(volumeDigest.digest());
    // Block 0 last: until it is there, the volume does not start with a valid log.
    writeFully(ch, ByteBuffer.wrap(LogWriter.initialExtension(version, id, plan.label,
        TfsFormat.INITIAL_EXTENSION_BLOCKS)), base);
    long end = base + plan.sizeBytes;
    if (ch.size() < end) {
      writeFully(ch, ByteBuffer.wrap(new byte[1]), end - 1);
    }
    ch.force(true);
    return new TfsWriteResult(version, TfsReproducibility.uuidText(id), label, plan.sizeBytes, plan.usedBlocks,
        plan.sizeBytes - plan.usedBlocks * TfsFormat.BLOCK_SIZE, extensions, plan.tuple.length, layout.directories,
        layout.files, layout.symlinks, layout.dataBytes);
  }

  /**
   * Copies the files' bytes into their blocks, one after the other in layout order. The per-file and
   * per-chunk events are made only when a handler wants them.
   */
  private final class DataCopy {
    private final HostFileOpener opener;
    private final DataOutput data;
    private final long base;
    private final long total;
    private final boolean announceFiles = events.wants(TfsWriteEvent.FileStarted.class);
    private final boolean reportBytes = events.wants(TfsWriteEvent.BytesWritten.class);
    /** Reads past a file's end: it must find nothing. */
    private final ByteBuffer beyondEnd = ByteBuffer.allocate(1);
    private long copied;

    DataCopy(HostFileOpener opener, DataOutput data, long base, long total) {
      this.opener = opener;
      this.data = data;
      this.base = base;
      this.total = total;
    }

    void copy(String directory, String name, TfsWriterTree.File file) throws IOException {
      long length = file.length;
      if (announceFiles) {
        events.dispatch(new TfsWriteEvent.FileStarted(directory + "/" + name, length));
      }
      long pos = base + file.firstBlock * TfsFormat.BLOCK_SIZE;
      long remaining = length;
      try (ReadableByteChannel in = opener.open(file)) {
        while (remaining > 0) {
          int want = (int) Math.min(data.capacity(), remaining);
          // The last chunk is padded with zeros to a whole block (docs/formats/tfs.md, "6.3 Regular files"); the
          // capacity is a whole number of blocks, so every chunk starts on a block.
          int padded = remaining == want ? (int) roundUp(want, TfsFormat.BLOCK_SIZE) : want;
          ByteBuffer bb = data.reserve(pos, padded);
          int at = bb.position();
          bb.limit(at + want);
          while (bb.hasRemaining() && in.read(bb) >= 0) {
            // read until the chunk is full or the source ends
          }
          int n = bb.position() - at;
          if (n < want) {
            throw new IOException(file.content.origin() + ": ended after " + (length - remaining + n) + " of " + length
                + " bytes (changed since it was added?)");
          }
          remaining -= n;
          data.commit(n, padded, remaining == 0);
          pos += padded;
          copied += n;
          if (reportBytes) {
            events.dispatch(new TfsWriteEvent.BytesWritten(copied, total));
          }
        }
        beyondEnd.clear();
        if (in.read(beyondEnd) > 0) {
          // The origin only now: a host path's text, once made, stays with the path for the whole write.
          throw new IOException(file.content.origin() + ": longer than the " + length + " bytes it had when added");
        }
      }
    }
  }

  private static void writeZeros(FileChannel ch, long pos, long n) throws IOException {
    ByteBuffer z = ByteBuffer.allocate((int) Math.min(n, CHUNK));
    while (n > 0) {
      z.clear().limit((int) Math.min(n, z.capacity()));
      writeFully(ch, z, pos);
      pos += z.limit();
      n -= z.limit();
    }
  }

  private static void writeFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
    while (b.hasRemaining()) {
      pos += ch.write(b, pos);
    }
  }

}
