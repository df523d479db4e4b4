package dev.nanokit.elf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoaderSearchPathTest {
  /** What Debian 12's ld-linux-aarch64.so.1 (package libc6-arm64-cross) holds, byte for byte. */
  static final String DEBIAN_AARCH64 = "/lib/aarch64-linux-gnu/\0/usr/lib/aarch64-linux-gnu/\0/lib/\0/usr/lib/\0";

  @TempDir Path tmp;

  private static byte[] bytes(String... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String p : parts) {
      out.writeBytes(p.getBytes(StandardCharsets.ISO_8859_1));
    }
    return out.toByteArray();
  }

  private static java.util.Optional<List<String>> find(byte[] b) {
    return LoaderSearchPath.find(b, b.length);
  }

  @Test
  void readsTheRunOfDirectoriesAfterOtherStrings() {
    assertThat(find(bytes("\u007fELF\0\0/etc/ld.so.cache\0", DEBIAN_AARCH64, "GLIBC_PRIVATE\0")))
        .contains(List.of("/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/lib", "/usr/lib"));
    assertThat(find(bytes("x\0/lib64/\0/usr/lib64/\0"))).contains(List.of("/lib64", "/usr/lib64"));
  }

  @Test
  void theFirstRunWins() {
    assertThat(find(bytes("\0/lib64/\0/usr/lib64/\0junk\0", DEBIAN_AARCH64))).contains(List.of("/lib64", "/usr/lib64"));
  }

  @Test
  void aLoneDirectoryOrPathsThatAreNotLibraryDirectoriesAreNoRun() {
    assertThat(find(bytes("\0/lib/\0ELF\0/usr/lib/\0x"))).isEmpty();
    assertThat(find(bytes("\0/etc/\0/usr/share/\0"))).isEmpty(); // no "lib" in them
    assertThat(find(bytes("\0/lib\0/usr/lib\0"))).isEmpty(); // no trailing slash: file names, not SYSTEM_DIRS
    assertThat(find(bytes("\0/lib/\0/usr/lib/"))).isEmpty(); // the second is cut off by the end
    assertThat(find(bytes("x/lib/\0/usr/lib/\0"))).isEmpty(); // the first does not start a string
    assertThat(find(bytes("\0/lib/\0/usr/l\u00e9b/\0"))).isEmpty(); // not ASCII
    assertThat(find(bytes("\0/lib/\0/\0"))).isEmpty(); // "/" alone is no directory of libraries
    assertThat(find(bytes("/", "a".repeat(300), "lib/\0/lib/\0"))).isEmpty(); // longer than any real one
  }

  @Test
  void onlyTheGivenLengthIsLookedAt() {
    byte[] b = bytes("\0/lib64/\0/usr/lib64/\0");
    assertThat(LoaderSearchPath.find(b, b.length - 1)).isEmpty();
  }

  @Test
  void readsAFile() throws IOException {
    Path loader = tmp.resolve("ld.so");
    Files.write(loader, bytes("\u007fELF", "\0".repeat(5000), DEBIAN_AARCH64));
    assertThat(LoaderSearchPath.read(loader)).contains(List.of("/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
        "/lib", "/usr/lib"));
    Files.write(loader, new byte[0]);
    assertThat(LoaderSearchPath.read(loader)).isEmpty();
  }
}
