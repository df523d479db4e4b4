package dev.nanokit.core.ops;

import static dev.nanokit.core.ops.OpsPackageTest.tarGz;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanokit.core.ops.OpsPackageTest.E;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTarExtractorTest {
  @TempDir Path tmp;

  private static final SafeTarExtractor STRICT = new SafeTarExtractor(false);
  private static final SafeTarExtractor ABSOLUTE_OK = new SafeTarExtractor(true);

  private Path archive(E... entries) throws IOException {
    Path a = Files.createTempFile(tmp, "a", ".tar.gz");
    tarGz(a, List.of(entries));
    return a;
  }

  private void assertRefused(SafeTarExtractor x, String entry, String why, E... entries) throws IOException {
    Path a = archive(entries);
    Path out = tmp.resolve("out-" + a.getFileName());
    assertThatThrownBy(() -> x.extract(a, out))
        .isInstanceOf(IOException.class)
        .hasMessage(a + ": refused entry \"" + entry + "\": " + why);
    assertThat(Files.exists(tmp.resolve("evil"))).isFalse();
  }

  @Test
  void extractsDotSlashNamesIntoTheRoot() throws IOException {
    Path a = archive(new E("./", '5', ""), new E("./kernel.img", '0', "K"), new E("./klibs/", '5', ""),
        new E("./klibs/tls", '0', "T"), new E("./klibs/tls.so", '2', "tls"));
    Path out = tmp.resolve("out");
    STRICT.extract(a, out);
    assertThat(Files.readString(out.resolve("kernel.img"))).isEqualTo("K");
    assertThat(Files.readString(out.resolve("klibs/tls"))).isEqualTo("T");
    assertThat(Files.readSymbolicLink(out.resolve("klibs/tls.so"))).isEqualTo(Path.of("tls"));
  }

  @Test
  void refusesAbsoluteSymlinksUnlessAllowed() throws IOException {
    assertRefused(STRICT, "r/etc", "symlink to /etc points outside the package",
        new E("r/", '5', ""), new E("r/etc", '2', "/etc"));
    Path a = archive(new E("r/", '5', ""), new E("r/etc", '2', "/etc"), new E("r/hosts", '2', "etc/hosts"));
    ABSOLUTE_OK.extract(a, tmp.resolve("ok"));
    assertThat(Files.readSymbolicLink(tmp.resolve("ok/r/etc"))).isEqualTo(Path.of("/etc"));
    assertThat(Files.readSymbolicLink(tmp.resolve("ok/r/hosts"))).isEqualTo(Path.of("etc/hosts"));
    assertRefused(ABSOLUTE_OK, "r/etc/passwd", "would be written through the symlink r/etc",
        new E("r/", '5', ""), new E("r/etc", '2', "/etc"), new E("r/etc/passwd", '0', "x"));
  }

  @Test
  void refusesALinkChainThatLeavesTheRoot() throws IOException {
    // each target stays inside by its text; followed, a/q is the root and a/up its parent
    assertRefused(STRICT, "a/up", "symlink to q/../.. resolves outside the package through other symlinks",
        new E("a/", '5', ""), new E("a/q", '2', ".."), new E("a/up", '2', "q/../.."));
    assertRefused(STRICT, "a/up", "symlink to q/x/../../.. resolves outside the package through other symlinks",
        new E("a/", '5', ""), new E("a/up", '2', "q/x/../../.."), new E("a/q", '2', ".."));
    assertRefused(STRICT, "a/b", "symlink to c does not resolve within 40 links",
        new E("a/", '5', ""), new E("a/b", '2', "c"), new E("a/c", '2', "b"));
  }

  @Test
  void refusesReplacingAndSpecialEntries() throws IOException {
    assertRefused(STRICT, "d", "replaces the directory extracted before it", new E("d/", '5', ""), new E("d/x", '0', "x"),
        new E("d", '0', "file"));
    assertRefused(STRICT, "d", "replaces the directory extracted before it", new E("d/", '5', ""), new E("d/x", '0', "x"),
        new E("d", '2', "x"));
    assertRefused(STRICT, "f/", "a directory over a file", new E("f", '0', "x"), new E("f/", '5', ""));
    assertRefused(STRICT, "f/x", "its parent f is not a directory", new E("f", '0', "x"), new E("f/x", '0', "x"));
    assertRefused(STRICT, "dev/tty", "unsupported entry type (only directories, files and symlinks)",
        new E("dev/tty", '3', ""));
    assertRefused(STRICT, "h", "hard link to later which is not a regular file extracted before it",
        new E("h", '1', "later"), new E("later", '0', "x"));
    assertRefused(STRICT, "x\\x0a/../y", "name contains ..", new E("x\n/../y", '0', ""));
  }

  /** A package of zeros expands about 1000 to 1; past its limit the extraction stops with one line. */
  @Test
  void anArchiveExpandingPastItsLimitIsRefused() throws IOException {
    Path a = archive(new E("zeros", '0', "\0".repeat(2 << 20)));
    assertThat(Files.size(a)).isLessThan(8 << 10);
    SafeTarExtractor limited = new SafeTarExtractor(true, 1 << 20);
    assertThatThrownBy(() -> limited.extract(a, tmp.resolve("out")))
        .isInstanceOf(IOException.class)
        .hasMessage(a + ": expands to more than 1048576 bytes, the limit for this archive (a decompression bomb?)");
    // The default: 1000 times the archive, at least 64 MiB, at most 16 GiB; the 2 MB bomb stops at 2 GB.
    assertThat(SafeTarExtractor.defaultExpansionLimit(1)).isEqualTo(64L << 20);
    assertThat(SafeTarExtractor.defaultExpansionLimit(2_000_000)).isEqualTo(2_000_000_000L);
    assertThat(SafeTarExtractor.defaultExpansionLimit(Long.MAX_VALUE)).isEqualTo(16L << 30);
    new SafeTarExtractor(true).extract(a, tmp.resolve("default"));
    assertThat(Files.size(tmp.resolve("default/zeros"))).isEqualTo(2 << 20);
  }

  @Test
  void aCorruptArchiveIsOneLine() throws IOException {
    assertThatThrownBy(() -> STRICT.extract(new ByteArrayInputStream(new byte[] {1, 2, 3}), "src", tmp.resolve("o")))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("src: not a readable .tar.gz: ")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void hardLinksShareTheirFileAndALaterEntryBreaksTheLink() throws IOException {
    Path a = tmp.resolve("links.tar.gz");
    tarGz(a, List.of(new E("big", '0', "content"), new E("l1", '1', "big"), new E("l2", '1', "big"),
        new E("l2", '0', "replaced")));
    Path out = tmp.resolve("links");
    STRICT.extract(a, out);
    assertThat(Files.isSameFile(out.resolve("big"), out.resolve("l1"))).isTrue();
    assertThat(out.resolve("l1")).hasContent("content");
    assertThat(out.resolve("l2")).hasContent("replaced");
    assertThat(out.resolve("big")).hasContent("content");
    assertRefused(STRICT, "self", "hard link to itself", new E("self", '0', "x"), new E("self", '1', "self"));
  }
}
