package dev.nanokit.tfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanokit.testing.tfs.TarFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tars built entry by entry, read through {@link TfsWriter#addTar}, written and read back. */
class TarTreeReaderTest {
  @TempDir Path tmp;

  @Test
  void hardLinksGetTheContentAndTimeOfTheirTarget() throws IOException {
    byte[] tar = new TarFixture()
        .mtime(100).file("a/f", "shared\n")
        .mtime(200).hardLink("b/g", "./a/f")
        .hardLink("/c", "a/f")
        .bytes();
    try (TfsVolume v = read(tar, TfsTimestamps.fromFiles())) {
      assertThat(TfsVolumeTest.find(v)).containsExactly("d 0 /", "d 0 /a", "f 7 /a/f", "d 0 /b", "f 7 /b/g", "f 7 /c");
      assertThat(TfsVolumeTest.read(node(v, "/b/g"))).isEqualTo("shared\n");
      assertThat(TfsVolumeTest.read(node(v, "/c"))).isEqualTo("shared\n");
      assertThat(node(v, "/b/g").mtime()).contains(Instant.ofEpochSecond(100));
      assertThat(node(v, "/b").mtime()).isEmpty(); // implied, so no time of its own
    }
  }

  /** Extraction order: a later entry replaces an earlier one; a directory entry again keeps its contents. */
  @Test
  void aLaterEntryReplacesTheEarlierOne() throws IOException {
    byte[] tar = new TarFixture()
        .file("x", "one").file("./x", "two")
        .file("y", "file").symlink("y", "/x")
        .symlink("z", "/x").dir("z")
        .mtime(5).dir("d").file("d/f", "kept")
        .mtime(9).dir("./d/")
        .bytes();
    try (TfsVolume v = read(tar, TfsTimestamps.fromFiles())) {
      assertThat(TfsVolumeTest.find(v)).containsExactly(
          "d 0 /", "d 0 /d", "f 4 /d/f", "f 3 /x", "l 0 /y -> /x", "d 0 /z");
      assertThat(TfsVolumeTest.read(node(v, "/x"))).isEqualTo("two");
      assertThat(node(v, "/d").mtime()).contains(Instant.ofEpochSecond(9));
    }
  }

  @Test
  void namesLoseLeadingDotSlashAndSlashAndImplyTheirParents() throws IOException {
    byte[] tar = new TarFixture()
        .mtime(7).dir("./")
        .mtime(8).file("./p/q/r.txt", "r")
        .file("/abs/s.txt", "s")
        .file("//./t.txt", "t")
        .symlink("p/any", "../../../../etc/shadow")
        .bytes();
    try (TfsVolume v = read(tar, TfsTimestamps.fromFiles().clampedTo(Instant.ofEpochSecond(50)))) {
      assertThat(TfsVolumeTest.find(v)).containsExactly("d 0 /", "d 0 /abs", "f 1 /abs/s.txt", "d 0 /p",
          "l 0 /p/any -> ../../../../etc/shadow", "d 0 /p/q", "f 1 /p/q/r.txt", "f 1 /t.txt");
      assertThat(v.root().mtime()).contains(Instant.ofEpochSecond(7));
      assertThat(node(v, "/p/q/r.txt").mtime()).contains(Instant.ofEpochSecond(8));
      assertThat(node(v, "/p/q").mtime()).contains(Instant.ofEpochSecond(50)); // implied: the clamp
    }
  }

  @Test
  void entryTimesAreUsedOnlyWhenTheTimestampPolicyAsksForFileTimes() throws IOException {
    byte[] tar = new TarFixture().mtime(1_000_000).file("f", "x").bytes();
    try (TfsVolume v = read(tar, TfsTimestamps.none())) {
      assertThat(node(v, "/f").mtime()).isEmpty();
    }
    try (TfsVolume v = read(tar, TfsTimestamps.fromFiles().clampedTo(Instant.ofEpochSecond(500)))) {
      assertThat(node(v, "/f").mtime()).contains(Instant.ofEpochSecond(500));
    }
  }

  /** gzip is recognised by its magic bytes, whatever the file is called, and gives the same volume. */
  @Test
  void gzipInputGivesTheSameVolume() throws IOException {
    byte[] tar = new TarFixture().file("a/b.txt", "bee").symlink("l", "a/b.txt").bytes();
    Path plain = write(tmp.resolve("plain.tar"), tar);
    Path gz = write(tmp.resolve("really-gzip.tar"), TarFixture.gzip(tar));
    assertThat(Files.readAllBytes(volume(gz, TfsTimestamps.none()))).isEqualTo(Files.readAllBytes(volume(plain,
        TfsTimestamps.none())));
  }

  @Test
  void theTarIsMergedAtTheImagePathGiven() throws IOException {
    Path tar = write(tmp.resolve("t.tar"), new TarFixture().file("f", "x").bytes());
    Path spool = Files.createFile(tmp.resolve("spool"));
    Path out = tmp.resolve("v.img");
    TfsWriter.create().addFile("/opt/keep", new byte[] {1}).addTar("/opt", tar, spool).writeTo(out);
    try (TfsVolume v = TfsVolume.open(out)) {
      assertThat(TfsVolumeTest.find(v)).containsExactly("d 0 /", "d 0 /opt", "f 1 /opt/f", "f 1 /opt/keep");
    }
  }

  /** Every file goes through one spool, appended in archive order, even files that are later replaced. */
  @Test
  void fileContentsAreSpooledOnceInArchiveOrder() throws IOException {
    Path tar = write(tmp.resolve("t.tar"), new TarFixture().file("b", "BB").file("a", "A").file("b", "bbb").bytes());
    Path spool = Files.write(tmp.resolve("spool"), "old".getBytes(StandardCharsets.UTF_8));
    Path out = tmp.resolve("v.img");
    TfsWriter.create().addTar("/", tar, spool).writeTo(out);
    assertThat(Files.readString(spool)).isEqualTo("oldBBAbbb");
    try (TfsVolume v = TfsVolume.open(out)) {
      assertThat(TfsVolumeTest.read(node(v, "/a"))).isEqualTo("A");
      assertThat(TfsVolumeTest.read(node(v, "/b"))).isEqualTo("bbb");
    }
  }

  // ---------------------------------------------------------------- refused archives

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "../x               | name has a '..' component",
      "a/../../x          | name has a '..' component",
      "./../x             | name has a '..' component",
      "a//b               | name has an empty component",
      "a/./b              | name has a '.' component"})
  void readFailsOnNamesThatLeaveTheTree(String name, String why) throws IOException {
    Path tar = write(tmp.resolve("evil.tar"), new TarFixture().file(name, "x").bytes());
    assertRefused(tar, "refused entry \"" + name + "\": " + why);
  }

  @Test
  void readFailsOnANulInAName() throws IOException {
    String name = "n".repeat(100) + "\0x"; // long enough for a pax path record, which can hold a NUL
    Path tar = write(tmp.resolve("nul.tar"), new TarFixture().file(name, "x").bytes());
    assertRefused(tar, "refused entry \"" + "n".repeat(100) + "\\x00x\": name contains NUL");
  }

  @ParameterizedTest
  @CsvSource({"3, a character device", "4, a block device", "6, a FIFO"})
  void readFailsOnDevicesAndFifos(char flag, String kind) throws IOException {
    Path tar = write(tmp.resolve("dev.tar"), new TarFixture().dir("dev").special("dev/x", (byte) flag).bytes());
    assertRefused(tar, "refused entry \"dev/x\": " + kind + " (TFS stores only directories, regular files and symlinks)");
  }

  @Test
  void readFailsOnHardLinksToNothingOrToADirectory() throws IOException {
    Path unknown = write(tmp.resolve("u.tar"), new TarFixture().hardLink("g", "missing").file("missing", "late").bytes());
    assertRefused(unknown, "refused entry \"g\": hard link to \"missing\", which no earlier entry names");
    Path dir = write(tmp.resolve("d.tar"), new TarFixture().dir("d").hardLink("g", "d").bytes());
    assertRefused(dir, "refused entry \"g\": hard link to \"d\", which is not a regular file");
    Path escape = write(tmp.resolve("e.tar"), new TarFixture().hardLink("g", "../etc/passwd").bytes());
    assertRefused(escape, "refused entry \"g\": hard link target \"../etc/passwd\" has a '..' component");
  }

  @Test
  void readFailsOnEntriesUnderAFileOrFilesOverADirectory() throws IOException {
    Path under = write(tmp.resolve("u.tar"), new TarFixture().file("f", "x").file("f/g", "y").bytes());
    assertRefused(under, "refused entry \"f/g\": its parent \"f\" is not a directory");
    Path over = write(tmp.resolve("o.tar"), new TarFixture().file("d/f", "x").symlink("d", "/").bytes());
    assertRefused(over, "refused entry \"d\": an earlier entry made it a directory");
    Path top = write(tmp.resolve("t.tar"), new TarFixture().file(".", "x").bytes());
    assertRefused(top, "refused entry \".\": names the top of the tree but is not a directory");
  }

  @Test
  void readFailsOnUnsupportedEntryTypes() throws IOException {
    Path tar = write(tmp.resolve("v.tar"), new TarFixture().special("vol", (byte) 'V').bytes());
    assertRefused(tar, "refused entry \"vol\": unsupported entry type 'V'");
  }

  /** A file whose declared size runs past the end of the archive: a clean failure, nothing allocated by it. */
  @Test
  void readFailsOnATruncatedArchive() throws IOException {
    byte[] whole = new TarFixture().file("small", "s").file("big", new byte[100_000]).bytes();
    Path cut = write(tmp.resolve("cut.tar"), Arrays.copyOf(whole, 3 * 512 + 5000));
    assertRefused(cut, "refused entry \"big\": data ends or breaks after ");
    Path inHeader = write(tmp.resolve("header.tar"), Arrays.copyOf(whole, 2 * 512 + 100));
    assertRefused(inHeader, "truncated: the archive ends at byte 1124 without its end-of-archive record"
        + " (after entry \"small\")");
    Path noEnd = write(tmp.resolve("noend.tar"), Arrays.copyOf(whole, 2 * 512));
    assertRefused(noEnd, "truncated: the archive ends at byte 1024 without its end-of-archive record"
        + " (after entry \"small\")");
    Path cutGz = write(tmp.resolve("cut.tgz"), Arrays.copyOf(TarFixture.gzip(whole), 200));
    assertThatThrownBy(() -> volume(cutGz, TfsTimestamps.none()))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith(cutGz + ": ");
  }

  @Test
  void readFailsOnAHeaderWithAWrongChecksum() throws IOException {
    byte[] tar = new TarFixture().file("small", "s").file("big", "b").bytes();
    tar[2 * 512 + 5] = 1; // inside the name field of "big", after its NUL terminator
    assertRefused(write(tmp.resolve("sum.tar"), tar),
        "the header of entry \"big\" at byte 1024 has a wrong checksum (corrupt archive)");
  }

  @Test
  void readFailsOnSomethingThatIsNotATar() throws IOException {
    Path text = write(tmp.resolve("notes.tar"), "just some text\n".repeat(100).getBytes(StandardCharsets.UTF_8));
    assertRefused(text, "unreadable tar header at byte 0: ");
  }

  // ---------------------------------------------------------------- helpers

  private void assertRefused(Path tar, String message) {
    assertThatThrownBy(() -> volume(tar, TfsTimestamps.none()))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith(tar + ": " + message)
        .hasMessageNotContaining("\n");
  }

  private static TfsNode node(TfsVolume v, String path) throws IOException {
    return v.lookup(path, false).orElseThrow();
  }

  private static Path write(Path p, byte[] bytes) throws IOException {
    return Files.write(p, bytes);
  }

  private TfsVolume read(byte[] tar, TfsTimestamps times) throws IOException {
    return TfsVolume.open(volume(write(Files.createTempFile(tmp, "t", ".tar"), tar), times));
  }

  private Path volume(Path tar, TfsTimestamps times) throws IOException {
    Path spool = Files.createTempFile(tmp, "spool", ".tmp");
    Path out = Files.createTempFile(tmp, "v", ".img");
    try {
      TfsWriter.create().setTimestamps(times).addTar("/", tar, spool).writeTo(out);
    } finally {
      Files.delete(spool);
    }
    return out;
  }
}
