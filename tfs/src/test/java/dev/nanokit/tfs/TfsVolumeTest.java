package dev.nanokit.tfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanokit.manifest.BufferValue;
import dev.nanokit.manifest.IntegerValue;
import dev.nanokit.manifest.Tuple;
import dev.nanokit.manifest.codec.TupleEncoder;
import dev.nanokit.manifest.codec.TupleEncoding;
import dev.nanokit.testing.manifest.ByteArrayChannel;
import dev.nanokit.testing.manifest.Hex;
import dev.nanokit.testing.tfs.RawVolume;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-built logs for every record type and every kernel-append case of docs/formats/tfs.md, "3.3 Records (frames)", "7.3 What the running kernel appends (read-write mount)", "11.2 What a kernel mount appends". */
class TfsVolumeTest {
  private static final String T = "E5 C9 80 90 80 80 80 80 00";

  /** docs/formats/tfs.md, "11.1 One directory, one small file (fresh log, ops layout, v5)"'s tuple bytes. */
  private static final String EXAMPLE_111 =
      "92 88 08 'children' 91 83 'etc' 91 02 91 88 09 'hello.txt' 92 88 0A 'filelength' B0 03"
          + " 87 'extents' 91 81 '0' 93 86 'offset' B0 88 01 86 'length' B0 01 88 09 'allocated' B0 01"
          + " 87 'program' C8 0E '/etc/hello.txt'";

  static TfsVolume open(byte[] image) throws IOException {
    return TfsVolume.open(new ByteArrayChannel(image), TfsReadOptions.defaults());
  }

  static List<String> find(TfsVolume v) throws IOException {
    List<String> out = new ArrayList<>();
    v.walk(v.root(), n -> out.add(n.type().letter() + " " + n.size() + " " + n.path()
        + (n.linkTarget() != null ? " -> " + n.linkTarget() : "")));
    return out;
  }

  static String read(TfsNode node) throws IOException {
    try (InputStream in = node.newInputStream()) {
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  void readsTheWorkedExampleAndWhatAKernelMountAppends() throws Exception {
    byte[] image = new RawVolume(1026, "demo", 5)
        .tuple(Hex.bytes(EXAMPLE_111))
        .raw(0x04) // END_OF_SEGMENT where END_OF_LOG was
        .tuple(Hex.bytes("11 03 84 'proc' 93 85 'atime' B0 " + T + " 85 'mtime' B0 " + T + " 02 90"))
        .tuple(Hex.bytes("11 16 84 'self' 93 08 14 B0 " + T + " 08 15 B0 " + T + " 02 90"))
        .tuple(Hex.bytes("11 19 83 'exe' 93 08 14 B0 " + T + " 08 15 B0 " + T + " 88 0A 'linktarget' C8 0E '/etc/hello.txt'"))
        .data(1025, "hi\n".getBytes(StandardCharsets.US_ASCII))
        .build();
    try (TfsVolume v = open(image)) {
      assertThat(find(v)).containsExactly(
          "d 0 /", "d 0 /etc", "f 3 /etc/hello.txt", "d 0 /proc", "d 0 /proc/self",
          "l 0 /proc/self/exe -> /etc/hello.txt");
      assertThat(read(v.lookup("/proc/self/exe", true).orElseThrow())).isEqualTo("hi\n");
      assertThat(v.lookup("proc/self", true).orElseThrow().mtime())
          .contains(Instant.parse("2024-01-01T00:00:00Z"));
      assertThat(v.label()).isEqualTo("demo");
      assertThat(v.uuid()).isEqualTo("00112233-4455-6677-8899-aabbccddeeff");
    }

    byte[] deleted = new RawVolume(1026, "demo", 5)
        .tuple(Hex.bytes(EXAMPLE_111)).raw(0x04).tuple(Hex.bytes("11 06 07 80")).build();
    try (TfsVolume v = open(deleted)) {
      assertThat(find(v)).containsExactly("d 0 /", "d 0 /etc");
      assertThat(v.info().usedBytes()).isEqualTo(1025 * 512L);
    }
  }

  @Test
  void reassemblesATupleSplitAcrossExtensions() throws Exception {
    byte[] tuple = Hex.bytes(EXAMPLE_111);
    byte[] image = new RawVolume(4000, "", 5).splitTuple(tuple, 40, 2000).data(1025, new byte[] {'h', 'i', '\n'}).build();
    try (TfsVolume v = open(image)) {
      assertThat(find(v)).containsExactly("d 0 /", "d 0 /etc", "f 3 /etc/hello.txt");
      assertThat(v.info().extensions()).extracting(LogExtension::startBlock).containsExactly(0L, 1L, 2000L);
    }
  }

  /** The kernel appends to a v4 log in a fresh v5 extension (docs/formats/tfs.md, "7.3 What the running kernel appends (read-write mount)"); one dictionary spans both. */
  @Test
  void continuesAVersion4LogInAVersion5Extension() throws Exception {
    Tuple root = new Tuple().put("children", new Tuple().put("a", new Tuple().put("children", new Tuple())));
    TupleEncoder v4 = new TupleEncoder(TupleEncoding.V4);
    byte[] first = v4.encodeRecord(root);
    // #1 root, #2 'children', #3 root children, #4 'a', #5 a, #6 a's children: add 'b' as a symlink.
    byte[] image = new RawVolume(4000, "", 4).tuple(first).link(2000, 5)
        .tuple(Hex.bytes("11 06 81 'b' 91 88 0A 'linktarget' C1 '/'"))
        .build();
    try (TfsVolume v = open(image)) {
      assertThat(find(v)).containsExactly("d 0 /", "d 0 /a", "l 0 /a/b -> /");
      assertThat(v.info().extensions()).extracting(LogExtension::version).containsExactly(4, 4, 5);
    }
  }

  /** file "f": 3000 bytes; blocks 0-1 at 1025 (data), blocks 2-3 a hole, blocks 4-5 uninited at 1030. */
  private static byte[] holesAndUninitedImage() {
    Tuple file = new Tuple()
        .put("filelength", "3000")
        .put("extents", new Tuple()
            .put("0", new Tuple().put("offset", "1025").put("length", "2").put("allocated", IntegerValue.of(2)))
            .put("4", new Tuple().put("offset", IntegerValue.of(1030)).put("length", IntegerValue.of(2))
                .put("allocated", IntegerValue.of(2)).put("uninited", BufferValue.NULL_FLAG)));
    byte[] record = new TupleEncoder(TupleEncoding.V5).encodeRecord(new Tuple().put("children", new Tuple().put("f", file)));
    byte[] data = new byte[1024];
    java.util.Arrays.fill(data, (byte) 'x');
    return new RawVolume(1100, "", 5)
        .tuple(record)
        .data(1025, data)
        .data(1030, "garbage that must not show".getBytes(StandardCharsets.US_ASCII))
        .build();
  }

  @Test
  void readsHolesUninitedExtentsAndOpsStyleNumbers() throws Exception {
    try (TfsVolume v = open(holesAndUninitedImage())) {
      TfsNode f = v.lookup("/f", false).orElseThrow();
      assertThat(f.size()).isEqualTo(3000);
      assertThat(f.extents()).containsExactly(new TfsExtent(0, 1025, 2, 2, false), new TfsExtent(4, 1030, 2, 2, true));
      String content = read(f);
      assertThat(content).hasSize(3000);
      assertThat(content.substring(0, 1024)).isEqualTo("x".repeat(1024));
      assertThat(content.substring(1024)).isEqualTo("\0".repeat(3000 - 1024));
      assertThat(transferred(f)).isEqualTo(content);
    }
  }

  /** Opened on a file, a transfer into a file channel goes file to file in the kernel: the same bytes. */
  @Test
  void aTransferFromAVolumeFileWritesTheBytesAReadReturns(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
      throws Exception {
    java.nio.file.Path file = java.nio.file.Files.write(tmp.resolve("v.img"), holesAndUninitedImage());
    java.nio.file.Path out = tmp.resolve("f.out");
    try (TfsVolume v = TfsVolume.open(file);
        java.nio.channels.FileChannel target = java.nio.channels.FileChannel.open(out,
            java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
      TfsNode f = v.lookup("/f", false).orElseThrow();
      assertThat(f.transferTo(target)).isEqualTo(3000);
      assertThat(new String(java.nio.file.Files.readAllBytes(out), StandardCharsets.ISO_8859_1)).isEqualTo(read(f));
    }
  }

  static String transferred(TfsNode node) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    assertThat(node.transferTo(java.nio.channels.Channels.newChannel(out))).isEqualTo(out.size());
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  /** What a user mistakes for a volume is named for what it is, not for the check it first fails. */
  @Test
  void emptyFilesAndCompressedImagesSayWhatTheyAre() {
    assertThatThrownBy(() -> open(new byte[0])).isInstanceOf(TfsFormatException.class)
        .hasMessage("empty file, not a TFS volume at byte offset 0");
    assertThatThrownBy(() -> open("NV".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
        .hasMessage("not a TFS volume: no NVMTFS magic at byte offset 0");
    byte[] good = new RawVolume(1100, "", 5).tuple(Hex.bytes(EXAMPLE_111)).build();
    java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(gz)) {
      out.write(good);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    assertThatThrownBy(() -> open(gz.toByteArray()))
        .hasMessage("not a TFS volume: gzip-compressed data (decompress it first) at byte offset 0");
    assertThatThrownBy(() -> open(new byte[] {(byte) 0xFD, '7', 'z', 'X', 'Z', 0, 1, 2}))
        .hasMessage("not a TFS volume: xz-compressed data (decompress it first) at byte offset 0");
    assertThatThrownBy(() -> open(new byte[] {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD, 0}))
        .hasMessage("not a TFS volume: zstd-compressed data (decompress it first) at byte offset 0");
    assertThatThrownBy(() -> open(new byte[] {'B', 'Z', 'h', '9'}))
        .hasMessage("not a TFS volume: bzip2-compressed data (decompress it first) at byte offset 0");
    // The magic alone in a file too short for the first log extension is still a truncated volume.
    assertThatThrownBy(() -> open(java.util.Arrays.copyOf(good, 600)))
        .hasMessageContaining("lies outside the filesystem of 600 bytes");
  }

  @Test
  void reportsCorruptionWithTheByteOffset() {
    byte[] good = new RawVolume(1100, "", 5).tuple(Hex.bytes(EXAMPLE_111)).build();

    byte[] badMagic = good.clone();
    badMagic[0] = 'X';
    assertThatThrownBy(() -> open(badMagic)).isInstanceOf(TfsFormatException.class)
        .hasMessage("not a TFS volume: no NVMTFS magic at byte offset 0");

    byte[] badType = new RawVolume(1100, "", 5).raw(0x09).build();
    assertThatThrownBy(() -> open(badType)).hasMessage("unknown log record type 0x09 at byte offset 521");

    byte[] loop = new RawVolume(1100, "", 5).raw(0x05, 0x01, 0x88, 0x00).build();
    assertThatThrownBy(() -> open(loop)).hasMessage("log extension link loops back to block 1 at byte offset 521");

    byte[] pastEnd = new RawVolume(1100, "", 5).raw(0x05, 0x88, 0x00, 0x88, 0x00).build();
    assertThatThrownBy(() -> open(pastEnd))
        .hasMessage("log extension at block 1024 (1024 blocks) lies outside the filesystem of 563200 bytes at byte offset 521");

    byte[] segTooLong = new RawVolume(1100, "", 5).raw(0x02, 0x05, 0x06).build();
    assertThatThrownBy(() -> open(segTooLong)).hasMessage("segment of 6 bytes is longer than its tuple (5) at byte offset 523");

    byte[] extendedAlone = new RawVolume(1100, "", 5).raw(0x03, 0x01, 0x90).build();
    assertThatThrownBy(() -> open(extendedAlone)).hasMessage("TUPLE_EXTENDED without a pending tuple at byte offset 521");

    byte[] noRoot = new RawVolume(1100, "", 5).build();
    assertThatThrownBy(() -> open(noRoot)).hasMessage("log defines no root tuple at byte offset 521");

    byte[] badTuple = new RawVolume(1100, "", 5).tuple(Hex.bytes("91 81 'a' 11 09")).build();
    assertThatThrownBy(() -> open(badTuple))
        .hasMessage("bad tuple: tuple reference to undefined dictionary index 9 at byte offset 527");

    byte[] truncated = java.util.Arrays.copyOf(good, 600);
    assertThatThrownBy(() -> open(truncated)).isInstanceOf(TfsFormatException.class)
        .hasMessageContaining("lies outside the filesystem of 600 bytes");
  }

  @Test
  void findsTheRootAndBootFilesystemsOfAPartitionedDisk() throws Exception {
    byte[] boot = new RawVolume(1100, "", 5)
        .tuple(new TupleEncoder(TupleEncoding.V5).encodeRecord(new Tuple().put("children", new Tuple()
            .put("kernel", new Tuple().put("extents", new Tuple()).put("filelength", IntegerValue.of(0))))))
        .build();
    byte[] root = new RawVolume(1100, "", 5).tuple(Hex.bytes(EXAMPLE_111)).data(1025, "hi\n".getBytes(StandardCharsets.US_ASCII)).build();
    int bootLba = 8;
    int rootLba = bootLba + 1100;
    byte[] disk = new byte[(rootLba + 1100) * 512];
    System.arraycopy(boot, 0, disk, bootLba * 512, boot.length);
    System.arraycopy(root, 0, disk, rootLba * 512, root.length);
    partition(disk, 0, 0x83, bootLba, 1100);
    partition(disk, 1, 0x83, rootLba, 1100);
    disk[0x1FE] = 0x55;
    disk[0x1FF] = (byte) 0xAA;

    try (TfsVolume v = open(disk)) {
      assertThat(find(v)).contains("f 3 /etc/hello.txt");
      assertThat(v.partitions()).extracting(DiskPartition::role)
          .containsExactly(DiskPartition.Role.BOOT_FILESYSTEM, DiskPartition.Role.ROOT_FILESYSTEM);
      assertThat(v.info().offset()).isEqualTo(rootLba * 512L);
    }
    TfsReadOptions bootOptions = TfsReadOptions.builder().setFilesystem(TfsReadOptions.Filesystem.BOOT).build();
    try (TfsVolume v = TfsVolume.open(new ByteArrayChannel(disk), bootOptions)) {
      assertThat(find(v)).containsExactly("d 0 /", "f 0 /kernel");
    }
    assertThatThrownBy(() -> TfsVolume.open(new ByteArrayChannel(root), bootOptions))
        .hasMessageContaining("not a partitioned disk image");
  }

  private static void partition(byte[] disk, int index, int type, long lba, long sectors) {
    int at = 0x1BE + 16 * index;
    disk[at] = (byte) 0x80;
    disk[at + 4] = (byte) type;
    for (int i = 0; i < 4; i++) {
      disk[at + 8 + i] = (byte) (lba >>> (8 * i));
      disk[at + 12 + i] = (byte) (sectors >>> (8 * i));
    }
  }

  @Test
  void followsSymlinksInsideTheImageUnderAHopLimit() throws Exception {
    Tuple children = new Tuple()
        .put("loop", new Tuple().put("linktarget", "loop"))
        .put("d", new Tuple().put("children", new Tuple().put("up", new Tuple().put("linktarget", "../d"))))
        .put("abs", new Tuple().put("linktarget", "/d/up/up/up"));
    byte[] image = new RawVolume(1100, "", 5)
        .tuple(new TupleEncoder(TupleEncoding.V5).encodeRecord(new Tuple().put("children", children))).build();
    try (TfsVolume v = open(image)) {
      assertThat(v.lookup("/abs", true).orElseThrow().path()).isEqualTo("/d");
      assertThat(v.lookup("/abs", false).orElseThrow().type()).isEqualTo(TfsNodeType.SYMLINK);
      assertThatThrownBy(() -> v.lookup("/loop", true))
          .isInstanceOf(TfsFormatException.class).hasMessage("/loop: more than 40 symlinks followed (maxSymlinkHops)");
      assertThat(v.lookup("/missing/x", true)).isEmpty();
    }
  }

  @Test
  void refusesDirectoryCycles() throws Exception {
    // root children: 'a' -> directory whose children contain a 0-entry reference back to a.
    byte[] image = new RawVolume(1100, "", 5)
        .tuple(Hex.bytes("91 88 08 'children' 91 81 'a' 91 02 91 81 'b' 10 05"))
        .build();
    try (TfsVolume v = open(image)) {
      assertThatThrownBy(() -> find(v)).isInstanceOf(TfsFormatException.class).hasMessageContaining("directory cycle");
    }
  }

  @Test
  void flagValuesAndPresenceOnlyAttributes() throws Exception {
    Tuple root = new Tuple().put("children", new Tuple()).put("debug_exit", BufferValue.NULL_FLAG);
    byte[] image = new RawVolume(1100, "", 5).tuple(new TupleEncoder(TupleEncoding.V5).encodeRecord(root)).build();
    try (TfsVolume v = open(image)) {
      assertThat(v.rootTuple().get("debug_exit")).isSameAs(BufferValue.NULL_FLAG);
      assertThat(find(v)).containsExactly("d 0 /");
    }
  }

  /** docs/formats/tfs.md, "7.1 Block usage rules": used blocks are the union of the log chain and every file's allocated extents. */
  @Test
  void usedBytesCountBlocksSharedBetweenFilesOnceAndMetadataIsTheChain() throws IOException {
    // /a at blocks 42-45 and /b at 40-43: visited a then b, so the ranges only add up right when sorted.
    Tuple root = new Tuple().put("children", new Tuple()
        .put("a", new Tuple().put("filelength", IntegerValue.of(2048)).put("extents", new Tuple().put("0",
            new Tuple().put("offset", IntegerValue.of(42)).put("length", IntegerValue.of(4)))))
        .put("b", new Tuple().put("filelength", IntegerValue.of(2048)).put("extents", new Tuple().put("0",
            new Tuple().put("offset", IntegerValue.of(40)).put("length", IntegerValue.of(4))))));
    byte[] image = new RawVolume(HostileVolumes.BLOCKS, "", 5, HostileVolumes.EXTENSION_BLOCKS)
        .tuple(new TupleEncoder(TupleEncoding.V5).encodeRecord(root)).build();
    try (TfsVolume v = TfsVolume.open(new ByteArrayChannel(image), TfsReadOptions.defaults())) {
      assertThat(v.metadataBytes()).isEqualTo((1 + HostileVolumes.EXTENSION_BLOCKS) * 512L);
      TfsVolumeInfo info = v.info();
      // Block 0, the 16-block extension, then blocks 40-45.
      assertThat(info.usedBytes()).isEqualTo((1 + HostileVolumes.EXTENSION_BLOCKS + 6) * 512L);
      assertThat(info.freeBytes()).isEqualTo(image.length - info.usedBytes());
      assertThat(info.files()).isEqualTo(2);
      assertThat(info.directories()).isEqualTo(1);
    }
  }
}
