package dev.nanokit.tfs;

import dev.nanokit.manifest.Tuple;
import dev.nanokit.paths.SymlinkWalk;
import dev.nanokit.tfs.disk.MbrPartitionTable;
import dev.nanokit.tfs.log.LogReader;
import dev.nanokit.tfs.log.TfsFormat;
import dev.nanokit.tfs.log.VolumeChannel;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A TFS filesystem opened for reading: a bare volume, or the root (or boot) filesystem of a
 * partitioned Nanos disk (docs/formats/disk-image.md, "8 How the pieces are found at boot"). Opening replays the whole log (docs/formats/tfs.md, "3.5 Reading the whole log", "9.2 Reader");
 * nodes and file contents are then read on demand.
 *
 * <p>Safe for use by any number of threads: file contents are read with positional reads (or under the channel's lock, for a caller's channel), and what it hands out is immutable or a read-only view. Close it once no thread reads from it. A
 * reader thread interrupted during a read closes a file-backed channel for every thread (the JDK's
 * rule for interruptible channels): do not interrupt readers of a shared volume. The volume of a
 * {@link TfsEditor} is the exception to all this: it changes as edits are staged.
 */
public final class TfsVolume implements Closeable {
  private final SeekableByteChannel image;
  private final boolean ownsImage;
  private final VolumeChannel volume;
  private final TfsReadOptions options;
  private final LogReader.Log log;
  private final List<DiskPartition> partitions;

  private TfsVolume(SeekableByteChannel image, boolean ownsImage, VolumeChannel volume, TfsReadOptions options,
      LogReader.Log log, List<DiskPartition> partitions) {
    this.image = image;
    this.ownsImage = ownsImage;
    this.volume = volume;
    this.options = options;
    this.log = log;
    this.partitions = partitions;
  }

  /** Opens the root filesystem of {@code image} (a bare volume or a partitioned disk). */
  public static TfsVolume open(Path image) throws IOException {
    return open(image, TfsReadOptions.defaults());
  }

  public static TfsVolume open(Path image, TfsReadOptions options) throws IOException {
    FileChannel channel;
    try {
      channel = FileChannel.open(image, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(image.toString(), null, "no such file");
    }
    if (java.nio.file.Files.isDirectory(image)) {
      channel.close();
      throw new java.nio.file.FileSystemException(image.toString(), null, "is a directory, not a TFS volume");
    }
    try {
      return open(channel, true, options);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** Opens from a channel the caller keeps owning (closing the volume leaves it open). */
  public static TfsVolume open(SeekableByteChannel image, TfsReadOptions options) throws IOException {
    return open(image, false, options);
  }

  private static TfsVolume open(SeekableByteChannel image, boolean owns, TfsReadOptions options) throws IOException {
    long diskSize = image.size();
    Optional<MbrPartitionTable> table = MbrPartitionTable.read(image);
    VolumeChannel volume;
    List<DiskPartition> partitions = List.of();
    if (table.isEmpty()) {
      if (options.filesystem() == TfsReadOptions.Filesystem.BOOT) {
        throw new TfsFormatException("not a partitioned disk image (no MBR signature), so it has no boot filesystem", 0x1FE);
      }
      volume = new VolumeChannel(image, 0, diskSize);
    } else {
      partitions = table.get().partitions();
      DiskPartition.Role role = options.filesystem() == TfsReadOptions.Filesystem.BOOT
          ? DiskPartition.Role.BOOT_FILESYSTEM : DiskPartition.Role.ROOT_FILESYSTEM;
      Optional<DiskPartition> p = table.get().find(role);
      if (p.isEmpty()) {
        throw new TfsFormatException("disk image has no " + (role == DiskPartition.Role.BOOT_FILESYSTEM ? "boot" : "root")
            + " filesystem partition", MbrPartitionTable.entryOffset(0));
      }
      DiskPartition part = p.get();
      long entryAt = MbrPartitionTable.entryOffset(part.index());
      if (part.offset() <= 0 || part.offset() >= diskSize) {
        throw new TfsFormatException("partition " + part.index() + " starts at byte " + part.offset()
            + ", outside the " + diskSize + "-byte image", entryAt);
      }
      // The kernel sees the root filesystem reach to the end of the disk (docs/formats/disk-image.md, "5.2 Root filesystem").
      long size = role == DiskPartition.Role.ROOT_FILESYSTEM
          ? diskSize - part.offset() : Math.min(part.length(), diskSize - part.offset());
      volume = new VolumeChannel(image, part.offset(), size);
    }
    LogReader.Log log = new LogReader(volume, options).read();
    return new TfsVolume(image, owns, volume, options, log, partitions);
  }

  TfsReadOptions options() {
    return options;
  }

  VolumeChannel channel() {
    return volume;
  }

  LogReader.Log log() {
    return log;
  }

  /** Bytes of log extensions read when opening: what bounds everything derived from metadata. */
  public long metadataBytes() {
    long bytes = 0;
    for (LogExtension x : log.extensions()) {
      bytes += x.blocks() * TfsFormat.BLOCK_SIZE;
    }
    return bytes;
  }

  long filesystemSize() {
    return volume.size();
  }

  /** Byte offset in the image of the log record that created {@code tuple}, or -1 if unknown. */
  long offsetOf(Tuple tuple) {
    return log.originOf(tuple);
  }

  /** The root tuple (docs/formats/tfs.md, "6.1 Root tuple"), as a read-only view: the volume cannot be changed through it. */
  public Tuple rootTuple() {
    return log.root().readOnlyView();
  }

  /** The live root tuple, for the editor that keeps it in step with what it appends. */
  Tuple mutableRoot() {
    return log.root();
  }

  public TfsNode root() {
    return new TfsNode(this, "/", log.root());
  }

  /** The partitions of the disk image, empty for a bare volume. */
  public List<DiskPartition> partitions() {
    return partitions;
  }

  public String uuid() {
    byte[] u = log.uuid();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < u.length; i++) {
      if (i == 4 || i == 6 || i == 8 || i == 10) {
        sb.append('-');
      }
      sb.append(String.format("%02x", u[i] & 0xff));
    }
    return sb.toString();
  }

  public String label() {
    return log.label();
  }

  /** The node at {@code path}, symlinks followed inside the image, the last one too. */
  public Optional<TfsNode> lookup(ImagePath path) throws TfsFormatException {
    return lookup(path.toString(), true);
  }

  /** The node at {@code path}; the last symlink is followed only if {@code followLast}. */
  public Optional<TfsNode> lookup(ImagePath path, boolean followLast) throws TfsFormatException {
    return lookup(path.toString(), followLast);
  }

  /**
   * The node at {@code path} (absolute; a missing leading {@code /} is accepted). Symlinks on the
   * way are followed inside the image; the last one only if {@code followLast}.
   */
  public Optional<TfsNode> lookup(String path, boolean followLast) throws TfsFormatException {
    // Resolved as the kernel does, by the one confined-root resolver: ".." after a followed symlink
    // climbs from the link's target, an absolute target restarts at the root.
    Map<String, TfsNode> seen = new HashMap<>();
    seen.put("/", root());
    SymlinkWalk.Tree tree = new SymlinkWalk.Tree() {
      @Override
      public SymlinkWalk.Kind kind(String p) throws IOException {
        TfsNode n = nodeAt(p, seen);
        return n == null ? null : switch (n.type()) {
          case DIRECTORY -> SymlinkWalk.Kind.DIRECTORY;
          case SYMLINK -> SymlinkWalk.Kind.SYMLINK;
          default -> SymlinkWalk.Kind.FILE;
        };
      }

      @Override
      public String linkTarget(String p) throws IOException {
        return nodeAt(p, seen).linkTarget();
      }
    };
    try {
      return Optional.ofNullable(nodeAt(SymlinkWalk.resolve(path, tree, followLast, options.maxSymlinkHops()), seen));
    } catch (SymlinkWalk.Unresolved e) {
      if (e.reason() == SymlinkWalk.Unresolved.Reason.TOO_MANY_LINKS) {
        throw new TfsFormatException(e.path() + ": more than " + options.maxSymlinkHops()
            + " symlinks followed (maxSymlinkHops)", -1);
      }
      return Optional.empty();
    } catch (TfsFormatException e) {
      throw e;
    } catch (IOException e) {
      throw new TfsFormatException(path + ": " + e.getMessage(), -1, e);
    }
  }

  /** The node at a path with no symlink on the way, from its parent's (remembered in {@code seen}). */
  private TfsNode nodeAt(String path, Map<String, TfsNode> seen) throws TfsFormatException {
    TfsNode known = seen.get(path);
    if (known != null) {
      return known;
    }
    int slash = path.lastIndexOf('/');
    TfsNode parent = nodeAt(slash == 0 ? "/" : path.substring(0, slash), seen);
    if (parent == null || parent.type() != TfsNodeType.DIRECTORY) {
      return null;
    }
    TfsNode child = parent.child(path.substring(slash + 1)).orElse(null);
    if (child != null) {
      seen.put(path, child);
    }
    return child;
  }

  /**
   * Visits {@code start} and every node below it in path order. A directory tuple reached by a
   * second name is refused, cycle or not: POSIX has no directory hard links and the kernel never
   * writes one, and visiting a shared subtree once per path would make a few kilobytes of log cost
   * 2^depth visits. A file tuple under several names is a hard link and is visited once per name,
   * which the entries of the log bound.
   */
  public void walk(TfsNode start, NodeVisitor visitor) throws IOException {
    walk(start, visitor, new IdentityHashMap<>(), 0);
  }

  private void walk(TfsNode node, NodeVisitor visitor, IdentityHashMap<Tuple, String> directories, int depth)
      throws IOException {
    visitor.visit(node);
    if (node.type() != TfsNodeType.DIRECTORY) {
      return;
    }
    if (depth > options.maxTupleDepth()) {
      throw new TfsFormatException(shortPath(node.path()) + ": directories nested deeper than "
          + options.maxTupleDepth() + " (maxTupleDepth)", offsetOf(node.mutableTuple()));
    }
    String first = directories.putIfAbsent(node.tuple(), node.path());
    if (first != null) {
      boolean cycle = node.path().startsWith(first.equals("/") ? "/" : first + "/");
      throw new TfsFormatException(shortPath(node.path()) + ": " + (cycle ? "directory cycle: this is the directory "
          + shortPath(first) : "the same directory tuple as " + shortPath(first)
          + " (a directory may have only one name)"), offsetOf(node.mutableTuple()));
    }
    for (TfsNode child : node.children()) {
      walk(child, visitor, directories, depth + 1);
    }
  }

  /** A path for a one-line message: a chain 500 deep would otherwise make a line of kilobytes. */
  private static String shortPath(String path) {
    return path.length() <= 240 ? path : path.substring(0, 120) + "…" + path.substring(path.length() - 120);
  }

  /** Receives nodes from {@link #walk}. */
  @FunctionalInterface
  public interface NodeVisitor {
    void visit(TfsNode node) throws IOException;
  }

  /** Counts, sizes and the log chain: what {@code tfs info} prints. */
  public TfsVolumeInfo info() throws IOException {
    long[] counts = new long[3];
    walk(root(), node -> counts[node.type().ordinal()]++);
    long used = unionLength(usedRanges()) * TfsFormat.BLOCK_SIZE;
    return new TfsVolumeInfo(log.extensions().get(0).version(), uuid(), label(), volume.start(), volume.size(),
        used, Math.max(0, volume.size() - used), counts[TfsNodeType.DIRECTORY.ordinal()],
        counts[TfsNodeType.FILE.ordinal()], counts[TfsNodeType.SYMLINK.ordinal()], log.extensions(), partitions);
  }

  /**
   * Block ranges {start, end} in use as the kernel sees them on mount (docs/formats/tfs.md, "7.1 Block usage rules"): every log
   * extension of the chain and every reachable extent's allocated range (a hard-linked file once).
   */
  List<long[]> usedRanges() throws IOException {
    List<long[]> ranges = new ArrayList<>();
    for (LogExtension x : log.extensions()) {
      ranges.add(new long[] {x.startBlock(), x.startBlock() + x.blocks()});
    }
    IdentityHashMap<Tuple, Boolean> seenFiles = new IdentityHashMap<>();
    walk(root(), node -> {
      if (node.type() == TfsNodeType.FILE && seenFiles.put(node.tuple(), Boolean.TRUE) == null) {
        for (TfsExtent x : node.extents()) {
          ranges.add(new long[] {x.offset(), x.offset() + x.allocated()});
        }
      }
    });
    return ranges;
  }

  private static long unionLength(List<long[]> ranges) {
    long[][] sorted = ranges.toArray(new long[0][]);
    Arrays.sort(sorted, (a, b) -> Long.compare(a[0], b[0]));
    long total = 0;
    long end = Long.MIN_VALUE;
    for (long[] r : sorted) {
      long from = Math.max(r[0], end);
      if (r[1] > from) {
        total += r[1] - from;
      }
      end = Math.max(end, r[1]);
    }
    return total;
  }

  @Override
  public void close() throws IOException {
    if (ownsImage) {
      image.close();
    }
  }
}
