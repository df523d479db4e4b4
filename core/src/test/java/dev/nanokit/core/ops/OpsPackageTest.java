package dev.nanokit.core.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanokit.core.ImageEntry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class OpsPackageTest {
  @TempDir Path tmp;

  public static final String MANIFEST = """
      {"Program": "node_v14/node", "Args": ["hi.js"], "Env": {"A": "b"}, "Version": "v14"}
      """;

  /** One archive entry: name, type (0 file, 5 dir, 2 symlink, 1 hard link, 3 char device, 6 FIFO), content or link target. */
  public record E(String name, char type, String data) {}

  public static void tarGz(Path out, List<E> entries) throws IOException {
    try (OutputStream os = Files.newOutputStream(out);
        GzipCompressorOutputStream gz = new GzipCompressorOutputStream(os);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (E e : entries) {
        TarArchiveEntry t;
        switch (e.type) {
          case '5' -> t = new TarArchiveEntry(e.name, TarArchiveEntry.LF_DIR, true);
          case '2' -> {
            t = new TarArchiveEntry(e.name, TarArchiveEntry.LF_SYMLINK, true);
            t.setLinkName(e.data);
          }
          case '1' -> {
            t = new TarArchiveEntry(e.name, TarArchiveEntry.LF_LINK, true);
            t.setLinkName(e.data);
          }
          case '3' -> t = new TarArchiveEntry(e.name, TarArchiveEntry.LF_CHR, true);
          case '6' -> t = new TarArchiveEntry(e.name, TarArchiveEntry.LF_FIFO, true);
          default -> {
            t = new TarArchiveEntry(e.name, true);
            t.setSize(e.data.getBytes(StandardCharsets.UTF_8).length);
          }
        }
        t.setLastModifiedTime(FileTime.fromMillis(0)); // same entries, same bytes: tests name blobs by digest
        tar.putArchiveEntry(t);
        if (e.type == '0') {
          tar.write(e.data.getBytes(StandardCharsets.UTF_8));
        }
        tar.closeArchiveEntry();
      }
    }
  }

  public static List<E> goodEntries() {
    return List.of(new E("node_v14/", '5', ""), new E("node_v14/package.manifest", '0', MANIFEST),
        new E("node_v14/node", '0', "ELF"), new E("node_v14/sysroot/", '5', ""),
        new E("node_v14/sysroot/lib/libc.so.6", '0', "libc"),
        new E("node_v14/sysroot/lib/libc.so", '2', "libc.so.6"),
        new E("node_v14/sysroot/lib/copy.so", '1', "node_v14/sysroot/lib/libc.so.6"));
  }

  @Test
  public void readsAPackageDirectory() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("pkg/sysroot/lib"));
    Files.writeString(tmp.resolve("pkg/package.manifest"), MANIFEST);
    OpsPackage p = OpsPackage.open(tmp.resolve("pkg"), tmp.resolve("unused"));
    assertThat(p.directory()).isEqualTo(tmp.resolve("pkg").toAbsolutePath());
    assertThat(p.sysroot()).isEqualTo(dir.getParent().toAbsolutePath());
    assertThat(p.config().program()).isEqualTo("node_v14/node");
    assertThat(p.config().args()).containsExactly("hi.js");
    assertThat(p.config().env()).isEqualTo(Map.of("A", "b"));
    assertThat(Files.exists(tmp.resolve("unused"))).isFalse();
  }

  @Test
  public void extractsATarGz() throws IOException {
    Path archive = tmp.resolve("node_v14.tar.gz");
    tarGz(archive, goodEntries());
    OpsPackage p = OpsPackage.open(archive, tmp.resolve("scratch"));
    assertThat(p.directory()).isEqualTo(tmp.resolve("scratch/node_v14").toAbsolutePath());
    assertThat(p.config().program()).isEqualTo("node_v14/node");
    assertThat(p.config().env()).containsEntry("A", "b");
    assertThat(Files.readString(p.sysroot().resolve("lib/libc.so.6"))).isEqualTo("libc");
    assertThat(Files.readSymbolicLink(p.sysroot().resolve("lib/libc.so"))).isEqualTo(Path.of("libc.so.6"));
    assertThat(Files.readString(p.sysroot().resolve("lib/copy.so"))).isEqualTo("libc");
    assertThat(Files.readString(p.directory().resolve("node"))).isEqualTo("ELF");
  }

  private void assertRefused(E bad, String message, E... before) throws IOException {
    Path archive = tmp.resolve("bad.tar.gz");
    List<E> entries = new java.util.ArrayList<>(goodEntries());
    entries.add(2, bad);
    entries.addAll(2, List.of(before));
    tarGz(archive, entries);
    assertThatThrownBy(() -> OpsPackage.open(archive, tmp.resolve("scratch-" + System.nanoTime())))
        .isInstanceOf(IOException.class)
        .hasMessage(archive + ": refused entry \"" + bad.name() + "\": " + message)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    assertThat(Files.exists(tmp.resolve("evil"))).isFalse();
  }

  @Test
  public void refusesADotDotName() throws IOException {
    assertRefused(new E("../evil", '0', "x"), "name contains ..");
    assertRefused(new E("node_v14/../../evil", '0', "x"), "name contains ..");
  }

  @Test
  public void refusesAnAbsoluteName() throws IOException {
    assertRefused(new E("/tmp/evil", '0', "x"), "absolute name");
  }

  @Test
  public void refusesSymlinksAndHardLinksOutside() throws IOException {
    assertRefused(new E("node_v14/up", '2', "../../x"), "symlink to ../../x points outside the package");
    assertRefused(new E("node_v14/h", '1', "../etc/passwd"), "hard link to ../etc/passwd points outside the package");
    assertRefused(new E("node_v14/h", '1', "/etc/passwd"), "hard link to /etc/passwd points outside the package");
  }

  @Test
  public void keepsAbsoluteSymlinksInTheSysrootVerbatim() throws IOException {
    Path archive = tmp.resolve("docker.tar.gz");
    List<E> entries = new java.util.ArrayList<>(goodEntries());
    entries.add(new E("node_v14/sysroot/lib64/", '5', ""));
    entries.add(new E("node_v14/sysroot/lib64/ld-linux-x86-64.so.2", '2', "/lib/x86_64-linux-gnu/ld-2.31.so"));
    entries.add(new E("node_v14/sysroot/etc", '2', "/etc"));
    entries.add(new E("node_v14/sysroot/etc-lib", '2', "etc/../lib64/ld-linux-x86-64.so.2"));
    tarGz(archive, entries);
    OpsPackage p = OpsPackage.open(archive, tmp.resolve("scratch"));
    assertThat(Files.readSymbolicLink(p.sysroot().resolve("lib64/ld-linux-x86-64.so.2")))
        .isEqualTo(Path.of("/lib/x86_64-linux-gnu/ld-2.31.so"));
    assertThat(Files.readSymbolicLink(p.sysroot().resolve("etc"))).isEqualTo(Path.of("/etc"));
    assertThat(OpsPackage.sysrootEntries(p.sysroot())).contains(
        ImageEntry.symlink("/etc", "/etc"),
        ImageEntry.symlink("/lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/ld-2.31.so"));
  }

  @Test
  public void refusesWritingThroughAnAbsoluteSymlink() throws IOException {
    assertRefused(new E("node_v14/sysroot/etc/passwd", '0', "x"), "would be written through the symlink node_v14/sysroot/etc",
        new E("node_v14/sysroot/etc", '2', "/etc"));
    assertRefused(new E("node_v14/sysroot/etc/", '5', ""), "a directory over a symlink",
        new E("node_v14/sysroot/etc", '2', "/etc"));
    assertRefused(new E("node_v14/h", '1', "node_v14/sysroot/etc/passwd"),
        "hard link to node_v14/sysroot/etc/passwd would be read through the symlink node_v14/sysroot/etc",
        new E("node_v14/sysroot/etc", '2', "/etc"));
  }

  @Test
  public void refusesAbsoluteSymlinksOutsideTheSysroot() throws IOException {
    for (String name : List.of("node_v14/node2", "node_v14/sysroot")) {
      Path archive = tmp.resolve("abs.tar.gz");
      tarGz(archive, List.of(new E("node_v14/", '5', ""), new E("node_v14/package.manifest", '0', MANIFEST),
          new E(name, '2', "/usr/bin/node")));
      assertThatThrownBy(() -> OpsPackage.open(archive, tmp.resolve("s-" + System.nanoTime())))
          .isInstanceOf(IOException.class)
          .hasMessage(archive + ": refused entry \"" + name + "\": symlink to /usr/bin/node is absolute but not inside sysroot/");
    }
  }

  @Test
  public void refusesSpecialFiles() throws IOException {
    assertRefused(new E("node_v14/sysroot/dev-null", '3', ""), "unsupported entry type (only directories, files and symlinks)");
    assertRefused(new E("node_v14/sysroot/fifo", '6', ""), "unsupported entry type (only directories, files and symlinks)");
  }

  @Test
  public void refusesWritingThroughAnExtractedSymlink() throws IOException {
    Path archive = tmp.resolve("through.tar.gz");
    tarGz(archive, List.of(new E("p/", '5', ""), new E("p/link", '2', "."), new E("p/link/x", '0', "x")));
    assertThatThrownBy(() -> OpsPackage.open(archive, tmp.resolve("s")))
        .isInstanceOf(IOException.class)
        .hasMessage(archive + ": refused entry \"p/link/x\": would be written through the symlink p/link");
  }

  @Test
  public void refusesAnArchiveWithoutAManifest() throws IOException {
    Path archive = tmp.resolve("empty.tar.gz");
    tarGz(archive, List.of(new E("a/", '5', ""), new E("b/", '5', "")));
    assertThatThrownBy(() -> OpsPackage.open(archive, tmp.resolve("s")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("expected one top-level directory holding package.manifest");
  }

  @Test
  public void aManifestLinkedThroughTheSysrootToAHostFileIsRefused() throws IOException {
    Path archive = tmp.resolve("evil.tar.gz");
    tarGz(archive, List.of(new E("p/", '5', ""), new E("p/sysroot/", '5', ""),
        new E("p/sysroot/m", '2', tmp.resolve("host-secret").toString()), new E("p/package.manifest", '2', "sysroot/m")));
    Files.writeString(tmp.resolve("host-secret"), "{\"Program\": \"secret\"}");
    assertThatThrownBy(() -> OpsPackage.open(archive, tmp.resolve("s")))
        .isInstanceOf(IOException.class)
        .hasMessage(archive + ": package.manifest is a symlink, not a file");
  }
}
