package dev.nanokit.core.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanokit.core.ImageFormatException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class OciLayerApplierTest {
  @TempDir Path tmp;
  public Path root;
  public Path outside;
  public Path canary;

  /** One layer entry: name, type (0 file, 5 dir, 2 symlink, 1 hard link, 3 char device, 6 FIFO), data or link. */
  public record E(String name, char type, String data) {}

  public static E file(String name, String content) {
    return new E(name, '0', content);
  }

  public static E dir(String name) {
    return new E(name, '5', "");
  }

  public static E symlink(String name, String target) {
    return new E(name, '2', target);
  }

  public static E hardLink(String name, String target) {
    return new E(name, '1', target);
  }

  /** An uncompressed layer tar holding {@code entries} in order. */
  public static byte[] tar(E... entries) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (E e : entries) {
        TarArchiveEntry t;
        switch (e.type) {
          case '0' -> {
            t = new TarArchiveEntry(e.name, true);
            t.setSize(e.data.getBytes(StandardCharsets.UTF_8).length);
          }
          case '5' -> t = new TarArchiveEntry(e.name, TarArchiveEntry.LF_DIR, true);
          case '2', '1' -> {
            t = new TarArchiveEntry(e.name, e.type == '2' ? TarArchiveEntry.LF_SYMLINK : TarArchiveEntry.LF_LINK, true);
            t.setLinkName(e.data);
          }
          case '3' -> t = new TarArchiveEntry(e.name, TarArchiveEntry.LF_CHR, true);
          case '6' -> t = new TarArchiveEntry(e.name, TarArchiveEntry.LF_FIFO, true);
          default -> throw new IllegalArgumentException("type " + e.type);
        }
        t.setLastModifiedTime(FileTime.fromMillis(0)); // same entries, same bytes: tests name blobs by digest
        tar.putArchiveEntry(t);
        if (e.type == '0') {
          tar.write(e.data.getBytes(StandardCharsets.UTF_8));
        }
        tar.closeArchiveEntry();
      }
    } catch (IOException x) {
      throw new UncheckedIOException(x);
    }
    return bytes.toByteArray();
  }

  /**
   * The tree under {@code root}, sorted: {@code d path}, {@code f path = content},
   * {@code l path -> target}.
   */
  public static List<String> tree(Path root) throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted().toList()) {
        if (p.equals(root)) {
          continue;
        }
        String rel = root.relativize(p).toString();
        if (Files.isSymbolicLink(p)) {
          out.add("l " + rel + " -> " + Files.readSymbolicLink(p));
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          out.add("d " + rel);
        } else {
          out.add("f " + rel + " = " + Files.readString(p));
        }
      }
    }
    return out;
  }

  @BeforeEach
  public void setUp() throws IOException {
    root = Files.createDirectories(tmp.resolve("scratch/rootfs"));
    outside = Files.createDirectories(tmp.resolve("outside"));
    canary = Files.writeString(outside.resolve("passwd"), "canary");
  }

  public void apply(E... entries) throws IOException {
    new OciLayerApplier(root).apply(new ByteArrayInputStream(tar(entries)), "img.tar: layer L");
  }

  public void assertCanaryUntouched() throws IOException {
    assertThat(tree(outside)).containsExactly("f passwd = canary");
  }

  @Test
  public void extractsFilesDirectoriesLinksAndSkipsDevices() throws IOException {
    apply(dir("/etc/"), file("./etc/hostname", "box\n"), symlink("etc/abs", "/usr/lib/os-release"),
        symlink("etc/rel", "../usr/lib/x"), symlink("etc/out", outside.toString()), file("usr/lib/deep/f", "F"),
        hardLink("etc/hn", "/etc/hostname"), new E("dev/null", '3', ""), new E("run/fifo", '6', ""), dir("./"));
    assertThat(tree(root)).containsExactly("d etc", "l etc/abs -> /usr/lib/os-release", "f etc/hn = box\n",
        "f etc/hostname = box\n", "l etc/out -> " + outside, "l etc/rel -> ../usr/lib/x", "d usr", "d usr/lib",
        "d usr/lib/deep", "f usr/lib/deep/f = F");
    assertThat(Files.isSameFile(root.resolve("etc/hn"), root.resolve("etc/hostname"))).isTrue();
    assertCanaryUntouched();
  }

  @Test
  public void countsTheDevicesAndFifosItLeavesOut() throws IOException {
    OciLayerApplier applier = new OciLayerApplier(root);
    applier.apply(new ByteArrayInputStream(tar(new E("dev/null", '3', ""), new E("dev/zero", '3', ""),
        file("etc/x", "x"))), "img.tar: layer 1");
    applier.apply(new ByteArrayInputStream(tar(new E("run/fifo", '6', ""))), "img.tar: layer 2");
    assertThat(applier.skippedSpecialFiles()).isEqualTo(3);
  }

  @Test
  public void whiteoutRemovesLowerPathsRecursively() throws IOException {
    apply(file("a/keep", "k"), file("a/gone", "g"), file("a/sub/x", "x"), symlink("a/link", "/a/keep"));
    apply(file("a/.wh.gone", ""), file("a/.wh.sub", ""), file("a/.wh.link", ""), file("a/.wh.never", ""),
        file("b/.wh.missing", ""), file(".wh..wh.plnk", ""));
    assertThat(tree(root)).containsExactly("d a", "f a/keep = k", "d b");
  }

  @Test
  public void whiteoutDoesNotHideTheSameLayersEntries() throws IOException {
    apply(file("a/f", "lower"), file("d/old", "o"));
    apply(file("a/f", "upper"), file("a/.wh.f", ""), file("d/new", "n"), file("d/.wh.d", ""), file(".wh.d", ""));
    assertThat(tree(root)).containsExactly("d a", "f a/f = upper", "d d", "f d/new = n");
  }

  @Test
  public void opaqueDirectoryKeepsOnlyThisLayersEntriesWhateverTheOrder() throws IOException {
    apply(file("d/a", "a"), file("d/sub/old", "o"), file("d/sub/deep/x", "x"), symlink("d/l", "a"), file("e/y", "y"));
    apply(file("d/new", "n"), file("d/sub/mine", "m"), file("d/.wh..wh..opq", ""), dir("d/later/"),
        file("d/later/z", "z"), file("d/sub/.wh..wh..opq", ""));
    assertThat(tree(root)).containsExactly("d d", "d d/later", "f d/later/z = z", "f d/new = n", "d d/sub",
        "f d/sub/mine = m", "d e", "f e/y = y");
  }

  @Test
  public void whiteoutThenRecreateInOneLayerShowsOnlyTheNewContent() throws IOException {
    apply(file("d/old", "o"), symlink("l", "/etc"));
    apply(file(".wh.d", ""), file("d/new", "n"), file(".wh.l", ""), file("l/inside", "i"));
    assertThat(tree(root)).containsExactly("d d", "f d/new = n", "d l", "f l/inside = i");
  }

  @Test
  public void opaqueRootDirectory() throws IOException {
    apply(file("a", "a"), file("b/c", "c"));
    apply(file("n", "n"), file(".wh..wh..opq", ""));
    assertThat(tree(root)).containsExactly("f n = n");
  }

  @Test
  public void entriesReplaceEntriesOfAnotherType() throws IOException {
    Files.createDirectories(outside.resolve("dir"));
    apply(file("fileOverDir/x", "x"), symlink("dirOverLink", outside.resolve("dir").toString()),
        symlink("fileOverLink", canary.toString()), file("linkOverFile", "f"), file("dirOverFile", "f"),
        dir("linkOverDir/"), file("linkOverDir/y", "y"), file("same", "old"));
    apply(file("fileOverDir", "now a file"), dir("dirOverLink/"), file("dirOverLink/inside", "i"),
        file("fileOverLink", "not the canary"), symlink("linkOverFile", "/etc"), dir("dirOverFile"),
        symlink("linkOverDir", "fileOverDir"), file("same", "new"));
    assertThat(tree(root)).containsExactly("d dirOverFile", "d dirOverLink", "f dirOverLink/inside = i",
        "f fileOverDir = now a file", "f fileOverLink = not the canary", "l linkOverDir -> fileOverDir",
        "l linkOverFile -> /etc", "f same = new");
    assertThat(tree(outside)).containsExactly("d dir", "f passwd = canary");
  }

  @Test
  public void hardLinksAcrossLayersKeepTheirContentWhenTheSourceIsReplaced() throws IOException {
    apply(file("bin/busybox", "BB1"), symlink("bin/sh", "busybox"));
    apply(hardLink("bin/ls", "bin/busybox"), hardLink("bin/sh2", "/bin/sh"));
    apply(file("bin/busybox", "BB2"));
    assertThat(tree(root)).containsExactly("d bin", "f bin/busybox = BB2", "f bin/ls = BB1", "l bin/sh -> busybox",
        "l bin/sh2 -> busybox");
  }

  @Test
  public void refusesDotDotNames() throws IOException {
    assertThatThrownBy(() -> apply(file("a/../../passwd", "x")))
        .isInstanceOf(ImageFormatException.class)
        .hasMessage("img.tar: layer L: entry \"a/../../passwd\": name contains ..");
    assertThatThrownBy(() -> apply(hardLink("x", "../outside/passwd")))
        .hasMessage("img.tar: layer L: entry \"x\": hard link target \"../outside/passwd\" contains ..");
    assertCanaryUntouched();
    assertThat(tree(root)).isEmpty();
  }

  @Test
  public void refusesWritingThroughASymlink() throws IOException {
    apply(symlink("etc", outside.toString()));
    for (E e : List.of(file("etc/passwd", "pwned"), dir("etc/sub/"), symlink("etc/passwd", "/x"),
        file("etc/.wh.passwd", ""), file("etc/.wh..wh..opq", ""))) {
      assertThatThrownBy(() -> apply(e))
          .isInstanceOf(ImageFormatException.class)
          .hasMessage("img.tar: layer L: entry \"" + e.name() + "\": would be written through the symlink etc -> "
              + outside);
    }
    assertThatThrownBy(() -> apply(hardLink("copy", "etc/passwd")))
        .hasMessage("img.tar: layer L: entry \"copy\": hard link to \"etc/passwd\" through the symlink etc");
    assertCanaryUntouched();
    assertThat(tree(root)).containsExactly("l etc -> " + outside);
  }

  @Test
  public void refusesHardLinksToMissingNamesAndDirectories() throws IOException {
    apply(dir("d/"));
    assertThatThrownBy(() -> apply(hardLink("x", "nope")))
        .hasMessage("img.tar: layer L: entry \"x\": hard link to \"nope\" which is not in the image");
    assertThatThrownBy(() -> apply(hardLink("x", "nope/deeper")))
        .hasMessage("img.tar: layer L: entry \"x\": hard link to \"nope/deeper\" which is not in the image");
    assertThatThrownBy(() -> apply(hardLink("x", "d")))
        .hasMessage("img.tar: layer L: entry \"x\": hard link to the directory \"d\"");
    assertThatThrownBy(() -> apply(file("f", "f"), hardLink("f", "f")))
        .hasMessageContaining("entry \"f\": hard link to \"f\" (the root, itself or a name inside it)");
  }

  @Test
  public void refusesAFileNamingTheRootAndAFileUnderAFile() throws IOException {
    assertThatThrownBy(() -> apply(symlink(".", "/elsewhere")))
        .hasMessage("img.tar: layer L: entry \".\": names the root but is not a directory");
    assertThatThrownBy(() -> apply(file("f", "x"), file("f/g", "y")))
        .hasMessage("img.tar: layer L: entry \"f/g\": its parent f is not a directory");
    assertThatThrownBy(() -> apply(file(".wh.", "")))
        .hasMessage("img.tar: layer L: entry \".wh.\": whiteout of \"\"");
  }

  @Test
  public void refusesANameWithANul() {
    String name = "a/" + "x".repeat(100) + "\0/evil"; // long: stored in a PAX header, NUL and all
    assertThatThrownBy(() -> apply(file(name, "x")))
        .isInstanceOf(ImageFormatException.class)
        .hasMessage("img.tar: layer L: entry \"a/" + "x".repeat(100) + "\\x00/evil\": name contains a NUL character");
  }

  @Test
  public void truncatedLayerIsOneLineNamingTheEntry() throws IOException {
    byte[] whole = tar(file("a", "first"), file("big", "x".repeat(5000)));
    byte[] cut = Arrays.copyOf(whole, 512 * 4);
    assertThatThrownBy(() -> new OciLayerApplier(root).apply(new ByteArrayInputStream(cut), "img.tar: layer L"))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("img.tar: layer L: entry \"big\": ")
        .hasMessageContaining("runcated")
        .satisfies(x -> assertThat(x.getMessage()).doesNotContain("\n"));
  }

  @Test
  public void garbageIsOneLineAtTheFirstEntry() {
    byte[] junk = new byte[1024];
    Arrays.fill(junk, (byte) 'x');
    assertThatThrownBy(() -> new OciLayerApplier(root).apply(new ByteArrayInputStream(junk), "img.tar: layer L"))
        .isInstanceOf(ImageFormatException.class)
        .hasMessageStartingWith("img.tar: layer L: at the first entry: ");
  }
}
