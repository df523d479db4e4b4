package dev.nanokit.tfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanokit.manifest.IntegerValue;
import dev.nanokit.manifest.ManifestParser;
import dev.nanokit.manifest.StringValue;
import dev.nanokit.manifest.Tuple;
import dev.nanokit.manifest.VectorValue;
import dev.nanokit.manifest.codec.TupleDictionary;
import dev.nanokit.testing.manifest.Hex;
import dev.nanokit.testing.manifest.RandomCases;
import dev.nanokit.testing.tfs.Listing;
import dev.nanokit.testing.tfs.WrittenLog;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public final class TfsWriterTest {
  public static final byte[] SPEC_UUID = Hex.bytes("00 11 22 33 44 55 66 77 88 99 AA BB CC DD EE FF");

  /** docs/formats/tfs.md, "11.1 One directory, one small file (fresh log, ops layout, v5)", block 1, as listed there. */
  static final String SPEC_111_EXTENSION = "4E 56 4D 54 46 53 05 88 00 02 71 71"
      + " 92 88 08 'children' 91 83 'etc' 91 02 91 88 09 'hello.txt' 92 88 0A 'filelength' B0 03"
      + " 87 'extents' 91 81 '0' 93 86 'offset' B0 88 01 86 'length' B0 01 88 09 'allocated' B0 01"
      + " 87 'program' C8 0E '/etc/hello.txt' 01";

  /** docs/formats/tfs.md, "11.3 Version 4 encoding of a similar tree (as written by ops with `TFSv4`)", the extension at block 1 of the ops v4 example. */
  static final String SPEC_113_EXTENSION = "4E 56 4D 54 46 53 04 88 00 02 81 1A 81 1A"
      + " C4 88 'children' C1 83 'etc' C1 02 C1 89 'hello.txt' C2 87 'extents' C1 81 '0' C3"
      + " 86 'length' 81 '1' 86 'offset' 84 '1025' 89 'allocated' 81 '1' 8A 'filelength' 81 '3'"
      + " 89 'arguments' C2 0B 8E '/etc/hello.txt' 81 '1' 81 'x' 8B 'environment' C0"
      + " 87 'program' 8E '/etc/hello.txt' 01";

  @TempDir Path tmp;

  static TfsWriter helloTree() {
    return TfsWriter.create()
        .setUuid(SPEC_UUID)
        .setLabel("demo")
        .addFile("/etc/hello.txt", "hi\n".getBytes(StandardCharsets.US_ASCII))
        .setRootKey("program", "/etc/hello.txt");
  }

  @Test
  void writesTheWorkedExampleOfSection11_1ByteForByte() throws IOException {
    Path out = tmp.resolve("demo.img");
    TfsWriteResult r = helloTree().setSize(1026 * 512).setMinimumFreeBytes(0).writeTo(out);

    byte[] expected = new byte[1026 * 512];
    byte[] block0 = Hex.bytes("4E 56 4D 54 46 53 05 01 00 11 22 33 44 55 66 77 88 99 AA BB CC DD EE FF"
        + " 64 65 6D 6F 00 05 01 88 00 01");
    System.arraycopy(block0, 0, expected, 0, block0.length);
    byte[] ext = Hex.bytes(SPEC_111_EXTENSION);
    System.arraycopy(ext, 0, expected, 0x200, ext.length);
    expected[0x80200] = 0x68;
    expected[0x80201] = 0x69;
    expected[0x80202] = 0x0A;
    assertThat(ext.length).isEqualTo(0x27E - 0x200);
    assertThat(Files.readAllBytes(out)).isEqualTo(expected);

    assertThat(r.sizeBytes()).isEqualTo(1026 * 512);
    assertThat(r.usedBlocks()).isEqualTo(1026);
    assertThat(r.freeBytes()).isZero();
    assertThat(r.uuid()).isEqualTo("00112233-4455-6677-8899-aabbccddeeff");
    assertThat(r.label()).isEqualTo("demo");
    assertThat(r.version()).isEqualTo(5);
    assertThat(r.extensions()).containsExactly(new LogExtension(0, 1, 5), new LogExtension(1, 1024, 5));
    assertThat(r.metadataBytes()).isEqualTo(113);
    assertThat(List.of(r.directories(), r.files(), r.symlinks(), r.dataBytes())).containsExactly(2L, 1L, 0L, 3L);
  }

  @Test
  void theWorkedExampleNumbersObjectsAsSection5_4Says() throws IOException {
    Path out = tmp.resolve("demo.img");
    helloTree().writeTo(out);
    TupleDictionary d = WrittenLog.read(out).decode();
    assertThat(d.size()).isEqualTo(17);
    assertThat(List.of(2, 4, 7, 9, 10, 12, 14, 15, 16, 17).stream().map(d::get))
        .containsExactly("children", "etc", "hello.txt", "filelength", "extents", "0", "offset", "length",
            "allocated", "program");
    for (int i : new int[] {1, 3, 5, 6, 8, 11, 13}) {
      assertThat(d.get(i)).as("#" + i).isInstanceOf(Tuple.class);
    }
  }

  @Test
  void writesTheVersion4ExampleOfSection11_3ByteForByte() throws IOException {
    Path out = tmp.resolve("v4.img");
    TfsWriteResult r = TfsWriter.create()
        .setVersion(4)
        .setUuid(SPEC_UUID)
        .addFile("/etc/hello.txt", "hi\n".getBytes(StandardCharsets.US_ASCII))
        // root keys are written in name order whatever order they were set in
        .setRootKey("program", "/etc/hello.txt")
        .setRootKey("environment", new Tuple())
        .setRootKey("arguments", VectorValue.ofStrings(List.of("/etc/hello.txt", "x")))
        .writeTo(out);
    byte[] img = Files.readAllBytes(out);
    byte[] ext = Hex.bytes(SPEC_113_EXTENSION);
    assertThat(0x200 + ext.length - 1).isEqualTo(0x2A8); // END_OF_LOG where the listing puts it
    assertThat(Arrays.copyOfRange(img, 0x200, 0x200 + 1024 * 512))
        .isEqualTo(Arrays.copyOf(ext, 1024 * 512));
    assertThat(Arrays.copyOf(img, 30)).isEqualTo(Hex.bytes(
        "4E 56 4D 54 46 53 04 01 00 11 22 33 44 55 66 77 88 99 AA BB CC DD EE FF 00 05 01 88 00 01"));
    assertThat(Arrays.copyOfRange(img, 0x80200, 0x80400))
        .isEqualTo(Arrays.copyOf("hi\n".getBytes(StandardCharsets.US_ASCII), 512));
    assertThat(r.version()).isEqualTo(4);

    try (TfsVolume v = TfsVolume.open(out)) {
      assertThat(Listing.of(v)).isEqualTo("d 0 /\nd 0 /etc\nf 3 /etc/hello.txt sha256="
          + "98ea6e4f216f2fb4b69fff9b3a44842c38686ca685f3f55dc48c5d3fb1107be4\n");
    }
  }

  @Test
  void anEmptyWriterMakesTheMinimalLogOfSection3_6() throws IOException {
    Path out = tmp.resolve("empty.img");
    TfsWriteResult r = TfsWriter.create().setUuid(SPEC_UUID).writeTo(out);
    WrittenLog log = WrittenLog.read(out);
    assertThat(log.tuple).isEqualTo(Hex.bytes("91 88 08 'children' 90"));
    assertThat(r.usedBlocks()).isEqualTo(1025);
    try (TfsVolume v = TfsVolume.open(out)) {
      assertThat(Listing.of(v)).isEqualTo("d 0 /\n");
    }
  }

  @Test
  void entriesAreSortedByUtf8BytesAndDataFollowsThatOrder() throws IOException {
    Path out = tmp.resolve("order.img");
    TfsWriter w = TfsWriter.create();
    // Java's String order puts U+FF21 after U+1F600's surrogates; UTF-8 (code point) order does not
    for (String name : List.of("\uD83D\uDE00", "b", "\uFF21", "a", "B", "é", "a.b", "a-b")) {
      w.addFile("/" + name, name.getBytes(StandardCharsets.UTF_8));
    }
    w.writeTo(out);
    Tuple root = WrittenLog.read(out).decode().root();
    List<String> names = new ArrayList<>(root.getTuple("children").names());
    assertThat(names).containsExactly("B", "a", "a-b", "a.b", "b", "é", "\uFF21", "\uD83D\uDE00");
    long expect = 1025;
    for (String n : names) {
      Tuple extent = root.getTuple("children").getTuple(n).getTuple("extents").getTuple("0");
      assertThat(extent.get("offset")).isEqualTo(IntegerValue.of(expect));
      expect++;
    }
  }

  @Test
  void bigFilesGetExtentsOfAtMost65536BlocksKeyedByFileBlock() throws IOException {
    long length = 65536L * 512 * 2 + 1000; // three extents, the last one partial
    Path out = tmp.resolve("big.img");
    TfsWriteResult r = TfsWriter.create()
        .addFile("/small", new byte[] {1, 2, 3})
        .addFile("/z/big.bin", length, () -> new PatternStream(length, 7))
        .writeTo(out);
    assertThat(r.dataBytes()).isEqualTo(length + 3);
    Tuple root = WrittenLog.read(out).decode().root();
    Tuple file = root.getTuple("children").getTuple("z").getTuple("children").getTuple("big.bin");
    assertThat(file.get("filelength")).isEqualTo(IntegerValue.of(length));
    Tuple extents = file.getTuple("extents");
    assertThat(extents.names()).containsExactly("0", "65536", "131072");
    long blocks = (length + 511) / 512;
    assertThat(extents.getTuple("0").entries()).containsExactly(
        Map.entry("offset", IntegerValue.of(1026)), Map.entry("length", IntegerValue.of(65536)),
        Map.entry("allocated", IntegerValue.of(65536)));
    assertThat(extents.getTuple("65536").get("offset")).isEqualTo(IntegerValue.of(1026 + 65536));
    assertThat(extents.getTuple("131072").get("offset")).isEqualTo(IntegerValue.of(1026 + 131072));
    assertThat(extents.getTuple("131072").get("length")).isEqualTo(IntegerValue.of(blocks - 131072));
    assertThat(extents.getTuple("131072").get("allocated")).isEqualTo(IntegerValue.of(blocks - 131072));
    assertThat(r.usedBlocks()).isEqualTo(1026 + blocks);
    try (TfsVolume v = TfsVolume.open(out)) {
      TfsNode node = v.lookup("/z/big.bin", true).orElseThrow();
      assertThat(node.size()).isEqualTo(length);
      try (InputStream in = node.newInputStream(); InputStream want = new PatternStream(length, 7)) {
        assertSameStream(in, want);
      }
    }
  }

  @Test
  void emptyFilesGetEmptyExtentsAndLengthZero() throws IOException {
    Path out = tmp.resolve("e.img");
    TfsWriter.create().addFile("/e", new byte[0]).writeTo(out);
    WrittenLog log = WrittenLog.read(out);
    assertThat(log.tuple).isEqualTo(Hex.bytes(
        "91 88 08 'children' 91 81 'e' 92 88 0A 'filelength' B0 00 87 'extents' 90"));
  }

  @Test
  void symlinksDirectoriesAndAttributes() throws IOException {
    Path out = tmp.resolve("s.img");
    TfsWriter.create()
        .addDirectory("/empty")
        .addDirectory("/a/b/c")
        .addSymlink("/a/link", "../empty")
        .addFile("/a/f", new byte[] {'x'})
        .setAttribute("/a/f", "user.tag", StringValue.of("v"))
        .setAttribute("/a/b", "mtime", IntegerValue.of(5L << 32))
        .writeTo(out);
    try (TfsVolume v = TfsVolume.open(out)) {
      assertThat(TfsVolumeTest.find(v)).containsExactly("d 0 /", "d 0 /a", "d 0 /a/b", "d 0 /a/b/c", "f 1 /a/f",
          "l 0 /a/link -> ../empty", "d 0 /empty");
      assertThat(v.lookup("/a/b", false).orElseThrow().mtime()).contains(Instant.ofEpochSecond(5));
      assertThat(v.lookup("/a/f", false).orElseThrow().tuple().get("user.tag")).isEqualTo(StringValue.of("v"));
    }
    Tuple f = WrittenLog.read(out).decode().root().getTuple("children").getTuple("a").getTuple("children")
        .getTuple("f");
    assertThat(f.names()).containsExactly("filelength", "extents", "user.tag");
  }

  @Test
  void rejectsWhatTfsCannotHold() {
    TfsWriter w = TfsWriter.create();
    assertThatThrownBy(() -> w.addFile("/", new byte[1])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> w.addFile("/a/../b", new byte[1])).hasMessageContaining("'..'");
    assertThatThrownBy(() -> w.addSymlink("/l", "")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> w.addSymlink("/l", "x".repeat(4096))).hasMessageContaining("4095");
    assertThatThrownBy(() -> w.setLabel("x".repeat(32))).hasMessageContaining("31");
    assertThatThrownBy(() -> w.setLabel("é".repeat(16))).hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> w.setRootKey("children", "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> w.setVersion(6)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> w.setSize(1000)).hasMessageContaining("multiple of 512");
    w.addFile("/f", new byte[1]);
    assertThatThrownBy(() -> w.addDirectory("/f")).hasMessageContaining("not a directory");
    assertThatThrownBy(() -> w.addFile("/f/g", new byte[1])).hasMessageContaining("not a directory");
    assertThatThrownBy(() -> w.setAttribute("/f", "extents", new Tuple())).hasMessageContaining("extents");
    assertThatThrownBy(() -> w.setAttribute("/f", "..", new Tuple())).hasMessageContaining("6.6");
    assertThatThrownBy(() -> w.setAttribute("/nope", "user.x", StringValue.of("y"))).hasMessageContaining("no such");
    w.addDirectory("/d");
    assertThatThrownBy(() -> w.addFile("/d", new byte[1])).hasMessageContaining("is a directory");
  }

  @Test
  void laterFilesReplaceEarlierOnesAndDirectoriesMerge() throws IOException {
    Path out = tmp.resolve("r.img");
    TfsWriter.create()
        .addFile("/etc/passwd", "old".getBytes(StandardCharsets.US_ASCII))
        .addFile("/etc/passwd", "new!".getBytes(StandardCharsets.US_ASCII))
        .addDirectory("/etc")
        .addSymlink("/etc/l", "a")
        .addSymlink("/etc/l", "b")
        .writeTo(out);
    try (TfsVolume v = TfsVolume.open(out)) {
      assertThat(TfsVolumeTest.find(v)).containsExactly("d 0 /", "d 0 /etc", "l 0 /etc/l -> b", "f 4 /etc/passwd");
      assertThat(TfsVolumeTest.read(v.lookup("/etc/passwd", true).orElseThrow())).isEqualTo("new!");
    }
  }

  @Test
  void manifestTuplesFollowMkfsSemantics() throws IOException {
    Path host = Files.createDirectory(tmp.resolve("host"));
    Files.writeString(host.resolve("hello"), "ELF!");
    Files.write(host.resolve("empty"), new byte[0]);
    String manifest = """
        (
            children:(
                bin:(children:(hello:(contents:(host:%s) user.note:kept)))
                etc:(children:(empty:(contents:(host:%s))))
                usr:(children:(lib:(linktarget:/lib)))
                odd:()
            )
            program:/bin/hello
            arguments:[/bin/hello --port 8080]
            environment:(USER:root PWD:/)
            boot:(children:(kernel:(contents:(host:/nonexistent/kernel.img))))
            imagesize:64M
        )
        """.formatted(host.resolve("hello"), host.resolve("empty"));
    Tuple m = new ManifestParser().parse(manifest);
    Path out = tmp.resolve("m.img");
    TfsWriter.create().addManifest(m).writeTo(out);
    try (TfsVolume v = TfsVolume.open(out)) {
      assertThat(TfsVolumeTest.find(v)).containsExactly("d 0 /", "d 0 /bin", "f 4 /bin/hello", "d 0 /etc",
          "f 0 /etc/empty", "f 0 /odd", "d 0 /usr", "l 0 /usr/lib -> /lib");
      assertThat(TfsVolumeTest.read(v.lookup("/bin/hello", true).orElseThrow())).isEqualTo("ELF!");
    }
    Tuple root = WrittenLog.read(out).decode().root();
    assertThat(root.names()).containsExactly("children", "arguments", "environment", "program");
    assertThat(root.get("arguments")).isEqualTo(VectorValue.ofStrings(List.of("/bin/hello", "--port", "8080")));
    Tuple children = root.getTuple("children");
    Tuple hello = children.getTuple("bin").getTuple("children").getTuple("hello");
    assertThat(hello.names()).containsExactly("filelength", "extents", "user.note");
    Tuple empty = children.getTuple("etc").getTuple("children").getTuple("empty");
    assertThat(empty.entries()).containsExactly(Map.entry("filelength", IntegerValue.of(0)),
        Map.entry("extents", new Tuple()));
    assertThat(children.getTuple("odd").isEmpty()).isTrue();
  }

  @Test
  void manifestErrorsNameTheEntry() throws Exception {
    Tuple m = new ManifestParser().parse("(children:(x:(contents:(host:" + tmp.resolve("missing") + "))))");
    assertThatThrownBy(() -> TfsWriter.create().addManifest(m)).isInstanceOf(IOException.class)
        .hasMessageContaining("/x").hasMessageContaining("missing");
    Tuple both = new ManifestParser().parse("(children:(x:(children:() linktarget:/y)))");
    assertThatThrownBy(() -> TfsWriter.create().addManifest(both)).hasMessageContaining("only one of");
    Tuple noHost = new ManifestParser().parse("(children:(x:(contents:())))");
    assertThatThrownBy(() -> TfsWriter.create().addManifest(noHost)).hasMessageContaining("no host");
  }

  @Test
  void hostPathResolverMapsManifestPaths() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("target/opt"));
    Files.writeString(root.resolve("app"), "app");
    Tuple m = new ManifestParser().parse("(children:(app:(contents:(host:/opt/app))))");
    Path out = tmp.resolve("r.img");
    TfsWriter.create().setHostPathResolver(s -> tmp.resolve("target").resolve(s.substring(1))).addManifest(m)
        .writeTo(out);
    try (TfsVolume v = TfsVolume.open(out)) {
      assertThat(TfsVolumeTest.read(v.lookup("/app", true).orElseThrow())).isEqualTo("app");
    }
  }

  @Test
  void version4WritesNumbersAsTextAndVectorsAsTuplesAndRefusesEmptyStrings() throws IOException {
    Path out = tmp.resolve("v4.img");
    TfsWriter.create().setVersion(4).addFile("/a", new byte[700]).addSymlink("/l", "a")
        .setRootKey("arguments", VectorValue.ofStrings(List.of("a", "b"))).writeTo(out);
    WrittenLog log = WrittenLog.read(out);
    assertThat(log.version).isEqualTo(4);
    Tuple root = log.decode().root();
    assertThat(root.getTuple("arguments").names()).containsExactly("0", "1");
    Tuple a = root.getTuple("children").getTuple("a");
    assertThat(a.names()).containsExactly("extents", "filelength");
    try (TfsVolume v = TfsVolume.open(out)) {
      assertThat(TfsVolumeTest.find(v)).containsExactly("d 0 /", "f 700 /a", "l 0 /l -> a");
    }
    assertThatThrownBy(() -> TfsWriter.create().setVersion(4).setRootKey("ipaddr", "").writeTo(tmp.resolve("x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("v4");
    assertThat(tmp.resolve("x")).doesNotExist();
  }

  @Test
  void defaultSizeLeavesTheFreeRoomOfSection7_4() throws IOException {
    Path out = tmp.resolve("d.img");
    TfsWriteResult r = TfsWriter.create().addFile("/f", new byte[5000]).writeTo(out);
    assertThat(r.sizeBytes() % (1 << 20)).isZero();
    assertThat(r.freeBytes()).isGreaterThanOrEqualTo(TfsWriter.DEFAULT_FREE_MARGIN_BYTES);
    assertThat(r.usedBlocks()).isEqualTo(1025 + 10);
    assertThat(r.sizeBytes()).isEqualTo(r.usedBlocks() * 512 + r.freeBytes());
    assertThat(Files.size(out)).isEqualTo(r.sizeBytes());
    try (TfsVolume v = TfsVolume.open(out)) {
      TfsVolumeInfo info = v.info();
      assertThat(info.size()).isEqualTo(r.sizeBytes());
      assertThat(info.freeBytes()).isEqualTo(r.freeBytes());
      assertThat(info.uuid()).isEqualTo(r.uuid());
      assertThat(info.extensions()).isEqualTo(r.extensions());
    }
  }

  @Test
  void tooSmallAFixedSizeFailsBeforeWritingAndSaysWhatIsNeeded() throws IOException {
    Path out = tmp.resolve("small.img");
    TfsWriter w = TfsWriter.create().addFile("/f", new byte[5000]);
    long required = (1025 + 10) * 512L + TfsWriter.DEFAULT_MINIMUM_FREE_BYTES;
    assertThat(w.requiredBytes()).isEqualTo(required);
    w.setSize(1 << 20);
    assertThatThrownBy(() -> w.writeTo(out))
        .isInstanceOfSatisfying(TfsNoSpaceException.class,
            e -> assertThat(e.missingBytes()).isEqualTo(required - (1 << 20)))
        .hasMessageContaining("needs at least " + required + " bytes");
    assertThat(out).doesNotExist();
    try (Stream<Path> files = Files.list(tmp)) {
      assertThat(files).isEmpty();
    }
    TfsWriteResult r = w.setSize(required).writeTo(out);
    assertThat(r.freeBytes()).isEqualTo(TfsWriter.DEFAULT_MINIMUM_FREE_BYTES);
    assertThat(Files.size(out)).isEqualTo(required);
  }

  @Test
  void aFailedWriteLeavesNoOutputAndNoTemporaryFile() throws IOException {
    Path out = tmp.resolve("fail.img");
    TfsWriter w = TfsWriter.create().addFile("/ok", new byte[100]).addFile("/bad", 1 << 21, () -> new InputStream() {
      int n;

      @Override
      public int read() throws IOException {
        if (++n > 700_000) {
          throw new IOException("disk on fire");
        }
        return 1;
      }
    });
    assertThatThrownBy(() -> w.writeTo(out)).hasMessage("disk on fire");
    try (Stream<Path> files = Files.list(tmp)) {
      assertThat(files).isEmpty();
    }

    byte[] old = "previous image".getBytes(StandardCharsets.US_ASCII);
    Files.write(out, old);
    assertThatThrownBy(() -> w.writeTo(out)).hasMessage("disk on fire");
    assertThat(Files.readAllBytes(out)).isEqualTo(old);
    try (Stream<Path> files = Files.list(tmp)) {
      assertThat(files).containsExactly(out);
    }
  }

  @Test
  void aSuccessfulWriteReplacesAnOldImageAndKeepsItsPermissions() throws IOException {
    Path out = tmp.resolve("img");
    Files.writeString(out, "old");
    Files.setPosixFilePermissions(out, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw----"));
    TfsWriter.create().writeTo(out);
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(out)))
        .isEqualTo("rw-rw----");
    try (TfsVolume v = TfsVolume.open(out)) {
      assertThat(Listing.of(v)).isEqualTo("d 0 /\n");
    }
  }

  @Test
  void hostFilesThatChangeAfterBeingAddedFailTheWrite() throws IOException {
    Path f = tmp.resolve("f");
    Files.write(f, new byte[1000]);
    TfsWriter w = TfsWriter.create().addFile("/f", f);
    Files.write(f, new byte[999]);
    Path out = tmp.resolve("out.img");
    assertThatThrownBy(() -> w.writeTo(out)).hasMessageContaining("ended after 999 of 1000 bytes");
    Files.write(f, new byte[1001]);
    assertThatThrownBy(() -> w.writeTo(out)).hasMessageContaining("longer than the 1000 bytes");
    assertThat(out).doesNotExist();
    TfsWriter s = TfsWriter.create().addFile("/s", 10, () -> new PatternStream(9, 1));
    assertThatThrownBy(() -> s.writeTo(out)).hasMessageContaining("ended after 9 of 10 bytes");
  }

  @Test
  void aBufferIsWrittenFromItsPositionToItsLimitAndLeftAsItWas() throws IOException {
    int length = (3 << 20) + 5; // more than one chunk of the copy
    byte[] pattern = new PatternStream(length, 5).readAllBytes();
    byte[] padded = new byte[length + 7];
    System.arraycopy(pattern, 0, padded, 2, length);
    ByteBuffer buffer = ByteBuffer.wrap(padded, 2, length);
    TfsWriter.create().addFile("/d/f", buffer).addFile("/d/g", ByteBuffer.allocate(0))
        .writeTo(tmp.resolve("buffer.img"));
    TfsWriter.create().addFile("/d/f", length, () -> new PatternStream(length, 5)).addFile("/d/g", new byte[0])
        .writeTo(tmp.resolve("stream.img"));
    assertThat(Files.readAllBytes(tmp.resolve("buffer.img"))).isEqualTo(Files.readAllBytes(tmp.resolve("stream.img")));
    assertThat(buffer.position()).isEqualTo(2);
    assertThat(buffer.limit()).isEqualTo(2 + length);
    assertThatThrownBy(() -> TfsWriter.create().addFile("/", ByteBuffer.allocate(1)))
        .hasMessageContaining("is the root directory");
  }

  @Test
  void aHostFileWhoseSizeTheCallerReadIsWrittenAsOneTheWriterStatsAndAStaleSizeFails() throws IOException {
    Path f = Files.write(tmp.resolve("f"), "sized by the caller".getBytes(StandardCharsets.UTF_8));
    TfsWriter.create().addFile("/d/f", f).writeTo(tmp.resolve("stat.img"));
    TfsWriter.create().addFile("/d/f", f, Files.size(f)).writeTo(tmp.resolve("sized.img"));
    assertThat(Files.readAllBytes(tmp.resolve("sized.img"))).isEqualTo(Files.readAllBytes(tmp.resolve("stat.img")));

    Path out = tmp.resolve("stale.img");
    assertThatThrownBy(() -> TfsWriter.create().addFile("/f", f, Files.size(f) + 1).writeTo(out))
        .hasMessageContaining("ended after 19 of 20 bytes");
    assertThatThrownBy(() -> TfsWriter.create().addFile("/f", f, 3).writeTo(out))
        .hasMessageContaining("longer than the 3 bytes");
    assertThat(out).doesNotExist();
    assertThatThrownBy(() -> TfsWriter.create().addFile("/", f, 1)).hasMessageContaining("is the root directory");
  }

  @Test
  void theDerivedUuidDependsOnContentOnly() throws IOException {
    TfsWriteResult a = TfsWriter.create().addFile("/f", new byte[] {1}).writeTo(tmp.resolve("a"));
    TfsWriteResult b = TfsWriter.create().addFile("/f", new byte[] {1}).writeTo(tmp.resolve("b"));
    TfsWriteResult c = TfsWriter.create().addFile("/f", new byte[] {2}).writeTo(tmp.resolve("c"));
    TfsWriteResult d = TfsWriter.create().addFile("/f", new byte[] {1}).setLabel("x").writeTo(tmp.resolve("d"));
    assertThat(a.uuid()).isEqualTo(b.uuid());
    assertThat(Set.of(a.uuid(), c.uuid(), d.uuid())).hasSize(3);
    assertThat(a.uuid()).matches("[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    assertThat(TfsWriter.create().setUuid(java.util.UUID.fromString("00112233-4455-6677-8899-aabbccddeeff"))
        .writeTo(tmp.resolve("e")).uuid()).isEqualTo("00112233-4455-6677-8899-aabbccddeeff");
  }

  @Test
  void hostFilesAndStreamsOfTheSameBytesGiveTheSameVolumeAndEveryByteReachesTheUuid() {
    RandomCases.run("content digests", 20, (r, i) -> {
      try {
        Path dir = Files.createDirectories(tmp.resolve("case" + i));
        TfsWriter fromFiles = TfsWriter.create();
        TfsWriter fromStreams = TfsWriter.create();
        int files = 1 + r.nextInt(6);
        List<Path> hosts = new ArrayList<>();
        for (int f = 0; f < files; f++) {
          byte[] data = new byte[r.nextInt(3) == 0 ? 0 : r.nextInt(3 << 20)];
          r.nextBytes(data);
          Path host = Files.write(dir.resolve("f" + f), data);
          hosts.add(host);
          fromFiles.addFile("/d/f" + f, host);
          fromStreams.addFile("/d/f" + f, data.length, () -> new java.io.ByteArrayInputStream(data));
        }
        TfsWriteResult a = fromFiles.writeTo(dir.resolve("files.img"));
        TfsWriteResult b = fromStreams.writeTo(dir.resolve("streams.img"));
        assertThat(a.uuid()).isEqualTo(b.uuid());
        assertThat(Files.readAllBytes(dir.resolve("files.img"))).isEqualTo(Files.readAllBytes(dir.resolve("streams.img")));
        Path changed = hosts.get(r.nextInt(hosts.size()));
        byte[] bytes = Files.readAllBytes(changed);
        if (bytes.length > 0) {
          int at = r.nextInt(bytes.length);
          bytes[at] ^= (byte) (1 + r.nextInt(255));
          Files.write(changed, bytes);
          TfsWriteResult c = fromFiles.writeTo(dir.resolve("changed.img"));
          assertThat(c.uuid()).as("UUID after changing byte %d of %s", at, changed.getFileName()).isNotEqualTo(a.uuid());
        }
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    });
  }

  @Test
  void numberingNeverDefinesANameTwice() throws IOException {
    Path out = tmp.resolve("n.img");
    TfsWriter w = TfsWriter.create()
        .setRootKey("environment", new Tuple().put("children", "not a dir").put("offset", "x"))
        .setRootKey("arguments", VectorValue.ofStrings(List.of("a", "b")))
        .setTimestamps(TfsTimestamps.fixed(Instant.ofEpochSecond(1_700_000_000)));
    for (int i = 0; i < 40; i++) {
      w.addFile("/d" + (i % 3) + "/f" + i, new byte[i * 100]);
      w.addSymlink("/d" + (i % 5) + "/l" + i, "f" + i);
      w.setAttribute("/d" + (i % 3) + "/f" + i, "user." + (i % 4), StringValue.of("v"));
    }
    w.writeTo(out);
    assertNamesDefinedOnce(WrittenLog.read(out).decode());
  }

  public static void assertNamesDefinedOnce(TupleDictionary d) {
    Set<String> seen = new HashSet<>();
    int names = 0;
    for (int i = 1; i <= d.size(); i++) {
      if (d.get(i) instanceof String s) {
        names++;
        assertThat(seen.add(s)).as("name '%s' defined again as #%d", s, i).isTrue();
      }
    }
    assertThat(names).isPositive();
  }

  @Test
  void timestampPolicies() throws IOException {
    Path host = Files.createDirectory(tmp.resolve("h"));
    Path f = Files.writeString(host.resolve("f"), "x");
    Files.setLastModifiedTime(f, FileTime.from(Instant.ofEpochSecond(1_600_000_000, 500_000_000)));
    Files.setLastModifiedTime(host, FileTime.from(Instant.ofEpochSecond(1_650_000_000)));

    Path none = tmp.resolve("none.img");
    TfsWriter.create().addTree("/", host).addDirectory("/made").writeTo(none);
    try (TfsVolume v = TfsVolume.open(none)) {
      v.walk(v.root(), n -> assertThat(n.mtime()).as(n.path()).isEmpty());
    }

    Path files = tmp.resolve("files.img");
    TfsWriter.create().setTimestamps(TfsTimestamps.fromFiles()).addTree("/", host).addDirectory("/made")
        .writeTo(files);
    try (TfsVolume v = TfsVolume.open(files)) {
      assertThat(v.root().mtime()).contains(Instant.ofEpochSecond(1_650_000_000));
      assertThat(v.lookup("/f", false).orElseThrow().mtime()).contains(Instant.ofEpochSecond(1_600_000_000, 500_000_000));
      assertThat(v.lookup("/made", false).orElseThrow().mtime()).isEmpty();
    }

    Path clamped = tmp.resolve("clamped.img");
    Instant limit = Instant.ofEpochSecond(1_620_000_000);
    TfsWriter.create().setTimestamps(TfsTimestamps.fromFiles().clampedTo(limit)).addTree("/", host)
        .addDirectory("/made").writeTo(clamped);
    try (TfsVolume v = TfsVolume.open(clamped)) {
      assertThat(v.root().mtime()).contains(limit);
      assertThat(v.lookup("/f", false).orElseThrow().mtime()).contains(Instant.ofEpochSecond(1_600_000_000, 500_000_000));
      assertThat(v.lookup("/made", false).orElseThrow().mtime()).contains(limit);
    }

    assertThatThrownBy(() -> TfsTimestamps.fromSourceDateEpoch(Map.of())).hasMessageContaining("not set");
    assertThatThrownBy(() -> TfsTimestamps.fromSourceDateEpoch(Map.of("SOURCE_DATE_EPOCH", "12x")))
        .hasMessageContaining("whole number");
    assertThat(TfsReproducibility.sourceDateEpoch(Map.of("SOURCE_DATE_EPOCH", " 42\n")))
        .contains(Instant.ofEpochSecond(42));
    assertThat(TfsReproducibility.toFixedPoint(Instant.parse("2024-01-01T00:00:00Z"))).isEqualTo(0x6592008000000000L);
    assertThatThrownBy(() -> TfsTimestamps.fixed(Instant.parse("2040-01-01T00:00:00Z")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void writesIntoAChannelAtAnOffset() throws IOException {
    Path img = tmp.resolve("disk.img");
    byte[] garbage = new byte[3 << 20];
    Arrays.fill(garbage, (byte) 0x5A);
    Files.write(img, garbage);
    long offset = 1 << 20;
    TfsWriteResult r;
    try (var ch = java.nio.channels.FileChannel.open(img, java.nio.file.StandardOpenOption.READ,
        java.nio.file.StandardOpenOption.WRITE)) {
      r = TfsWriter.create().setUuid(SPEC_UUID).setLabel("demo")
          .addFile("/etc/hello.txt", "hi\n".getBytes(StandardCharsets.US_ASCII))
          .setRootKey("program", "/etc/hello.txt").writeTo(ch, offset);
    }
    byte[] all = Files.readAllBytes(img);
    assertThat(all.length).isEqualTo(offset + r.sizeBytes());
    assertThat(all[(int) offset - 1]).isEqualTo((byte) 0x5A);
    // the log extension is zero-filled in place; the data block's tail is zeroed
    byte[] ext = Hex.bytes(SPEC_111_EXTENSION);
    assertThat(Arrays.copyOfRange(all, (int) offset + 512, (int) offset + 512 + 1024 * 512))
        .isEqualTo(Arrays.copyOf(ext, 1024 * 512));
    assertThat(Arrays.copyOfRange(all, (int) offset + 1025 * 512, (int) offset + 1026 * 512))
        .isEqualTo(Arrays.copyOf("hi\n".getBytes(StandardCharsets.US_ASCII), 512));
    Path vol = tmp.resolve("vol.img");
    Files.write(vol, Arrays.copyOfRange(all, (int) offset, all.length));
    try (TfsVolume v = TfsVolume.open(vol)) {
      assertThat(TfsVolumeTest.find(v)).containsExactly("d 0 /", "d 0 /etc", "f 3 /etc/hello.txt");
    }
  }

  @Test
  void fileEventsNameNestedPathsAndComeOnlyToTheirHandlers() throws IOException {
    List<String> started = new ArrayList<>();
    List<String> finished = new ArrayList<>();
    TfsWriter.create()
        .addFile("/d/e/f", new byte[3])
        .addFile("/d/a b", new byte[700])
        .addFile("/z", new byte[1])
        .addEventHandler(TfsWriteEvent.FileStarted.class, f -> started.add(f.imagePath() + " " + f.length()))
        .addEventHandler(TfsWriteEvent.Finished.class, f -> finished.add("files " + f.result().files()))
        .writeTo(tmp.resolve("n.img"));
    assertThat(started).containsExactly("/d/a b 700", "/d/e/f 3", "/z 1");
    assertThat(finished).containsExactly("files 3");
  }

  @Test
  void eventsReportEveryStep() throws IOException {
    List<String> events = new ArrayList<>();
    TfsWriter.create()
        .addFile("/a", new byte[10])
        .addFile("/b", new byte[0])
        .addFile("/c", 3 << 20, () -> new PatternStream(3 << 20, 3))
        .addEventHandler(TfsWriteEvent.class, e -> {
          if (e instanceof TfsWriteEvent.Planned p) {
            events.add("planned " + p.dataBytes() + " " + p.files() + " " + p.logExtensions());
          } else if (e instanceof TfsWriteEvent.FileStarted f) {
            events.add("file " + f.imagePath() + " " + f.length());
          } else if (e instanceof TfsWriteEvent.BytesWritten b) {
            events.add("bytes " + b.done() + "/" + b.total());
          } else if (e instanceof TfsWriteEvent.LogWritten) {
            events.add("log");
          } else if (e instanceof TfsWriteEvent.Finished f) {
            events.add("finished " + f.result().files());
          }
        })
        .writeTo(tmp.resolve("l.img"));
    long total = 10 + (3 << 20);
    assertThat(events).containsExactly("planned " + total + " 3 2", "file /a 10", "bytes 10/" + total,
        "file /c " + (3 << 20), "bytes " + (10 + (1 << 20)) + "/" + total, "bytes " + (10 + (2 << 20)) + "/" + total,
        "bytes " + total + "/" + total, "log", "finished 3");
  }

  @Test
  void imagesAreSparseWhereTheVolumeIsZero() throws IOException {
    Path out = tmp.resolve("sparse.img");
    TfsWriteResult r = TfsWriter.create().setSize(64L << 20).addFile("/zeros", new byte[8 << 20]).writeTo(out);
    assertThat(Files.size(out)).isEqualTo(64L << 20);
    long allocated = allocatedBytes(out);
    assertThat(allocated).as("bytes allocated on the host").isLessThan(1L << 20);
    try (TfsVolume v = TfsVolume.open(out)) {
      assertThat(Listing.sha256(v.lookup("/zeros", true).orElseThrow()))
          .isEqualTo(sha256(new byte[8 << 20]));
    }
    assertThat(r.dataBytes()).isEqualTo(8 << 20);
  }

  /** Bytes the host filesystem allocated for {@code p} ({@code stat -c %b × 512}); skips where unknown. */
  static long allocatedBytes(Path p) throws IOException {
    try {
      Process proc = new ProcessBuilder("stat", "-c", "%b", p.toString()).redirectErrorStream(true).start();
      String text = new String(proc.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
      org.junit.jupiter.api.Assumptions.assumeTrue(proc.waitFor() == 0 && text.matches("\\d+"), "stat -c %b: " + text);
      return Long.parseLong(text) * 512;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  public static String sha256(byte[] b) {
    return java.util.HexFormat.of().formatHex(TfsReproducibility.sha256().digest(b));
  }

  static void assertSameStream(InputStream a, InputStream b) throws IOException {
    byte[] x = new byte[1 << 16];
    byte[] y = new byte[1 << 16];
    long pos = 0;
    while (true) {
      int n = a.readNBytes(x, 0, x.length);
      int m = b.readNBytes(y, 0, y.length);
      assertThat(n).as("length at " + pos).isEqualTo(m);
      if (n == 0) {
        return;
      }
      if (!Arrays.equals(x, 0, n, y, 0, n)) {
        throw new AssertionError("streams differ in the chunk at " + pos);
      }
      pos += n;
    }
  }

  /** A deterministic non-zero byte stream of a given length. */
  public static final class PatternStream extends InputStream {
    private final long length;
    private final int seed;
    private long pos;

    public PatternStream(long length, int seed) {
      this.length = length;
      this.seed = seed;
    }

    @Override
    public int read() {
      return pos < length ? at(pos++) : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      if (pos >= length) {
        return -1;
      }
      int n = (int) Math.min(len, length - pos);
      for (int i = 0; i < n; i++) {
        b[off + i] = (byte) at(pos++);
      }
      return n;
    }

    private int at(long p) {
      long x = (p / 7) * 0x9E3779B97F4A7C15L + seed;
      return (int) ((x ^ (x >>> 29) ^ p) & 0xff) | 1;
    }
  }
}
