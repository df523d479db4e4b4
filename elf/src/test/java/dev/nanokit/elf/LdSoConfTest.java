package dev.nanokit.elf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LdSoConf} against docs/formats/elf-deps.md, "4.1 ld.so.conf (what feeds ld.so.cache)": comments, include globs relative to the file, hwcap lines. */
class LdSoConfTest {
  @TempDir Path root;

  private void write(String imagePath, String text) throws IOException {
    Path p = root.resolve(imagePath.substring(1));
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  @Test
  void noConfigMeansNoDirectories() {
    assertThat(LdSoConf.directories(new RootFs(root))).isEmpty();
  }

  @Test
  void linesCommentsTrailingSlashesAndDuplicatesInFileOrder() throws IOException {
    write("/etc/ld.so.conf", "# comment\n/opt/b/lib/  # trailing\n\n  /usr/local/lib\t\n/opt/b/lib\n/opt//x/../y\nhwcap 0 nosegneg\nhwcapx/dir\n/\n");
    assertThat(LdSoConf.directories(new RootFs(root)))
        .containsExactly("/opt/b/lib", "/usr/local/lib", "/opt/y", "/hwcapx/dir", "/");
  }

  @Test
  void includeGlobsAreSortedRelativeToTheIncludingFileAndHiddenFilesAreSkipped() throws IOException {
    write("/etc/ld.so.conf", "include ld.so.conf.d/*.conf /etc/extra.conf\n/last\n");
    write("/etc/ld.so.conf.d/b.conf", "/from/b\n");
    write("/etc/ld.so.conf.d/a.conf", "/from/a\ninclude sub/?.conf\n");
    write("/etc/ld.so.conf.d/sub/1.conf", "/from/sub1\n");
    write("/etc/ld.so.conf.d/.hidden.conf", "/hidden\n");
    write("/etc/ld.so.conf.d/c.txt", "/not-conf\n");
    write("/etc/extra.conf", "/extra\n");
    assertThat(LdSoConf.directories(new RootFs(root)))
        .containsExactly("/from/a", "/from/sub1", "/from/b", "/extra", "/last");
  }

  @Test
  void includeNeedsWhitespaceAndCyclesEnd() throws IOException {
    write("/etc/ld.so.conf", "includes\ninclude /etc/ld.so.conf\n/once\n");
    assertThat(LdSoConf.directories(new RootFs(root))).containsExactly("/includes", "/once");
  }

  @Test
  void globExpandsComponentByComponent() throws IOException {
    write("/a1/x/f.conf", "");
    write("/a2/x/f.conf", "");
    write("/b/x/f.conf", "");
    assertThat(LdSoConf.glob(new RootFs(root), "/a*/x/*.conf")).containsExactly("/a1/x/f.conf", "/a2/x/f.conf");
    assertThat(LdSoConf.glob(new RootFs(root), "/[ab]1/x/f.conf")).containsExactly("/a1/x/f.conf");
    assertThat(LdSoConf.glob(new RootFs(root), "/none*/x")).isEmpty();
    assertThat(LdSoConf.glob(new RootFs(root), "/b/x/f.conf")).containsExactly("/b/x/f.conf");
    assertThat(LdSoConf.glob(new RootFs(root), "/[")).isEmpty();
  }
}
