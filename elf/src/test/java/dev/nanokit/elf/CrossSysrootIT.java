package dev.nanokit.elf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's aarch64 cross sysroot (package {@code libc6-arm64-cross}, {@code /usr/aarch64-linux-gnu}) as
 * a target root: libraries in {@code lib/}, found through the directories compiled into its real loader
 * (docs/formats/elf-deps.md, "4 glibc search order for a DT_NEEDED name" step 6).
 */
class CrossSysrootIT {
  private static final Path SYSROOT = Path.of("/usr/aarch64-linux-gnu");
  private static final String LOADER = "/lib/ld-linux-aarch64.so.1";

  @TempDir Path tmp;

  @Test
  void aProgramBuiltOutsideTheSysrootGetsItsLibrariesFromLib() throws IOException {
    Path loader = SYSROOT.resolve(LOADER.substring(1));
    Assumptions.assumeTrue(Files.isRegularFile(loader), loader + " not present (Debian package libc6-arm64-cross)");

    assertThat(LoaderSearchPath.read(loader).orElseThrow()).contains("/lib", "/usr/lib");

    Path hello = TestElf.x64().machine(Architecture.EM_AARCH64).interp(LOADER).needed("libm.so.6", "libc.so.6")
        .write(tmp.resolve("hello"));
    ResolvedLibraries r = LibraryResolver.builder().setTargetRoot(SYSROOT).build().resolve(hello);

    assertThat(r.missing()).isEmpty();
    assertThat(r.files()).extracting(ResolvedLibraries.FileEntry::imagePath)
        .contains(LOADER, "/lib/libc.so.6", "/lib/libm.so.6");
    for (ResolvedLibraries.FileEntry f : r.files()) {
      assertThat(ElfFile.read(f.hostPath()).architecture()).isEqualTo(Architecture.AARCH64);
    }
  }
}
