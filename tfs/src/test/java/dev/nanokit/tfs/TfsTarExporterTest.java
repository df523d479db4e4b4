package dev.nanokit.tfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanokit.manifest.IntegerValue;
import dev.nanokit.manifest.Tuple;
import dev.nanokit.manifest.codec.TupleEncoder;
import dev.nanokit.manifest.codec.TupleEncoding;
import dev.nanokit.testing.tfs.GoldenVolumes;
import dev.nanokit.testing.tfs.Listing;
import dev.nanokit.testing.tfs.RawVolume;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TfsTarExporterTest {
  static final String LONG_NAME = "L".repeat(150);
  static final String LONG_DIR = "d".repeat(60) + "/" + "e".repeat(60);
  static final String LONG_TARGET = "/" + "t".repeat(120);
  static final long BIG_SEED = 20260101L;

  @TempDir Path tmp;

  /** Volume → tar → volume keeps every path, type, size, link target and file hash. */
  @ParameterizedTest
  @CsvSource({"mkfs-small, small-tree", "ops-small, small-tree", "ops-small-v4, small-tree",
      "kernel-written, kernel-written"})
  void goldenVolumesSurviveExportAndImport(String golden, String expected) throws IOException {
    Path image = GoldenVolumes.unpack(golden, tmp);
    Path tar = tmp.resolve("tree.tar");
    try (TfsVolume v = TfsVolume.open(image); OutputStream out = Files.newOutputStream(tar)) {
      TfsTarExporter.write(v, v.root(), out);
    }
    try (TfsVolume v = TfsVolume.open(importTar(tar, tmp.resolve("again.img")))) {
      assertThat(Listing.of(v)).isEqualTo(GoldenVolumes.expected(expected));
    }
  }

  @Test
  void aGeneratedTreeRoundTripsWithItsBytes() throws IOException {
    Path image = generated(tmp.resolve("gen.img"));
    Path tar = tmp.resolve("gen.tar");
    String original;
    try (TfsVolume v = TfsVolume.open(image)) {
      original = Listing.of(v);
      Files.write(tar, export(v, "/"));
    }
    Path again = importTar(tar, tmp.resolve("again.img"));
    try (TfsVolume v = TfsVolume.open(again)) {
      assertThat(Listing.of(v)).isEqualTo(original);
      assertThat(TfsVolumeTest.read(v.lookup("/big.bin", false).orElseThrow()).getBytes(StandardCharsets.ISO_8859_1))
          .isEqualTo(bigContent());
      assertThat(v.lookup("/" + LONG_DIR + "/" + LONG_NAME, false).orElseThrow().linkTarget()).isEqualTo(LONG_TARGET);
    }
    assertThat(original).contains("f 0 /empty.txt sha256=e3b0c442", "l 0 /links/rel -> ../a/b\n",
        "d 0 /emptydir\n", "f 1572867 /big.bin sha256=");
  }

  @Test
  void exportingTwiceGivesTheSameBytes() throws IOException {
    Path image = generated(tmp.resolve("gen.img"));
    byte[] first;
    byte[] second;
    try (TfsVolume v = TfsVolume.open(image)) {
      first = export(v, "/");
    }
    String user = System.getProperty("user.name");
    System.setProperty("user.name", "someone-else"); // commons-compress once put it into new headers
    try (TfsVolume v = TfsVolume.open(image)) {
      second = export(v, "/");
    } finally {
      System.setProperty("user.name", user);
    }
    assertThat(first).isEqualTo(second);
    assertThat(first.length % 10240).isZero();
  }

  /** Order (depth-first, siblings by UTF-8 bytes) and every header field a reader sees. */
  @Test
  void entriesComeInTreeOrderWithFixedOwnersModesAndTimes() throws IOException {
    Path image = generated(tmp.resolve("gen.img"));
    byte[] tar;
    try (TfsVolume v = TfsVolume.open(image)) {
      tar = export(v, "/");
    }
    assertThat(headers(tar)).containsExactly(
        "a/ d 755 0:0 '':'' 1234 0",
        "a/b/ d 755 0:0 '':'' 0 0",
        "a/b/c/ d 755 0:0 '':'' 0 0",
        "a/b/c/deep.txt f 644 0:0 '':'' 99 5",
        "abs l 777 0:0 '':'' 0 0 -> /a/b/c/deep.txt",
        "big.bin f 644 0:0 '':'' 0 1572867",
        LONG_DIR.substring(0, 60) + "/ d 755 0:0 '':'' 0 0",
        LONG_DIR + "/ d 755 0:0 '':'' 0 0",
        LONG_DIR + "/" + LONG_NAME + " l 777 0:0 '':'' 0 0 -> " + LONG_TARGET,
        "empty.txt f 644 0:0 '':'' 0 0",
        "emptydir/ d 755 0:0 '':'' 0 0",
        "links/ d 755 0:0 '':'' 0 0",
        "links/rel l 777 0:0 '':'' 0 0 -> ../a/b",
        "été.txt f 644 0:0 '':'' 0 2");
    // The first header as bytes: ustar name, octal mode/uid/gid/size/mtime, directory type, no owner names.
    String h = new String(tar, 0, 512, StandardCharsets.ISO_8859_1);
    assertThat(h.substring(0, 3)).isEqualTo("a/\0");
    assertThat(h.substring(100, 108)).isEqualTo("0000755 ");
    assertThat(h.substring(108, 124)).isEqualTo("0000000 0000000 ");
    assertThat(h.substring(124, 148)).isEqualTo("00000000000 00000002322 ");
    assertThat(h.charAt(156)).isEqualTo('5');
    assertThat(h.substring(257, 265)).isEqualTo("ustar\u000000");
    assertThat(h.substring(265, 329)).isEqualTo("\0".repeat(64));
    // Long names and targets go into pax records, whose headers are deterministic too.
    String all = new String(tar, StandardCharsets.ISO_8859_1);
    assertThat(all).contains("path=" + LONG_DIR + "/" + LONG_NAME + "\n", "linkpath=" + LONG_TARGET + "\n",
        "path=" + new String("été.txt".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1) + "\n");
  }

  @Test
  void aSubtreeExportsWithNamesRelativeToIt() throws IOException {
    Path image = generated(tmp.resolve("gen.img"));
    try (TfsVolume v = TfsVolume.open(image)) {
      assertThat(headers(export(v, "/a"))).containsExactly(
          "b/ d 755 0:0 '':'' 0 0", "b/c/ d 755 0:0 '':'' 0 0", "b/c/deep.txt f 644 0:0 '':'' 99 5");
      assertThat(headers(export(v, "/a/b/c/deep.txt"))).containsExactly("deep.txt f 644 0:0 '':'' 99 5");
      assertThat(headers(export(v, "/abs"))).containsExactly("abs l 777 0:0 '':'' 0 0 -> /a/b/c/deep.txt");
      assertThat(headers(export(v, "/emptydir"))).isEmpty();
      byte[] one = export(v, "/a/b/c/deep.txt");
      try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(one))) {
        in.getNextEntry();
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("deep\n");
      }
    }
  }

  /** A name that would steer a tar extractor elsewhere is refused, as {@code tfs cp} refuses it. */
  @ParameterizedTest
  @ValueSource(strings = {"a/b", "nul\0", "", "../x"})
  void exportFailsOnUnsafeNames(String name) throws IOException {
    Tuple root = new Tuple().put("children", new Tuple().put("d", new Tuple().put("children",
        new Tuple().put(name, new Tuple().put("extents", new Tuple())))));
    Path img = Files.write(tmp.resolve("evil.img"),
        new RawVolume(1100, "", 5).tuple(new TupleEncoder(TupleEncoding.V5).encodeRecord(root)).build());
    try (TfsVolume v = TfsVolume.open(img)) {
      // "", "a/b" and "../x" are not one path component: the reader refuses them before the exporter.
      String expected = name.isEmpty() || name.contains("/")
          ? "/d: entry name \"" + name + "\" is empty or contains '/' at byte offset "
          : "/d: refusing unsafe entry name \"" + name.replace("\0", "\\0") + "\"";
      assertThatThrownBy(() -> export(v, "/"))
          .isInstanceOf(TfsFormatException.class)
          .hasMessageStartingWith(expected);
    }
  }

  // ---------------------------------------------------------------- helpers

  static byte[] bigContent() {
    byte[] big = new byte[(3 << 19) + 3]; // 1.5 MiB + 3: more than one 1 MiB copy chunk, not block-aligned
    new Random(BIG_SEED).nextBytes(big);
    return big;
  }

  /** Nested directories, an empty file and directory, a 1.5 MiB file, absolute, relative and long symlinks. */
  static Path generated(Path out) throws IOException {
    TfsWriter w = TfsWriter.create()
        .addFile("/a/b/c/deep.txt", "deep\n".getBytes(StandardCharsets.UTF_8))
        .addFile("/empty.txt", new byte[0])
        .addDirectory("/emptydir")
        .addFile("/big.bin", bigContent())
        .addSymlink("/abs", "/a/b/c/deep.txt")
        .addSymlink("/links/rel", "../a/b")
        .addSymlink("/" + LONG_DIR + "/" + LONG_NAME, LONG_TARGET)
        .addFile("/été.txt", "é\n".getBytes(StandardCharsets.ISO_8859_1));
    w.setAttribute("/a", "mtime", IntegerValue.of((1234L << 32) | 0x8000_0000L));
    w.setAttribute("/a/b/c/deep.txt", "mtime", IntegerValue.of(99L << 32));
    w.writeTo(out);
    return out;
  }

  static byte[] export(TfsVolume v, String path) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TfsTarExporter.write(v, v.lookup(path, false).orElseThrow(), out);
    return out.toByteArray();
  }

  /** {@code NAME TYPE MODE UID:GID 'UNAME':'GNAME' MTIME SIZE [-> TARGET]} of each entry. */
  static List<String> headers(byte[] tar) throws IOException {
    List<String> rows = new ArrayList<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar), "UTF-8")) {
      for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
        String type = e.isDirectory() ? "d" : e.isSymbolicLink() ? "l" : e.isFile() ? "f" : "?";
        rows.add(e.getName() + " " + type + " " + Integer.toOctalString(e.getMode()) + " " + e.getLongUserId() + ":"
            + e.getLongGroupId() + " '" + e.getUserName() + "':'" + e.getGroupName() + "' "
            + e.getLastModifiedTime().toInstant().getEpochSecond() + " " + e.getSize()
            + (e.isSymbolicLink() ? " -> " + e.getLinkName() : ""));
      }
    }
    return rows;
  }

  /** {@code tar} written as a volume by {@link TfsWriter#addTar}, the spool removed afterwards. */
  static Path importTar(Path tar, Path out) throws IOException {
    Path spool = Files.createTempFile(out.getParent(), "spool", ".tmp");
    try {
      TfsWriter.create().addTar("/", tar, spool).writeTo(out);
    } finally {
      Files.delete(spool);
    }
    return out;
  }
}
