package dev.nanokit.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanokit.core.ImageEntry;
import dev.nanokit.core.ImagePlan;
import dev.nanokit.elf.Architecture;
import dev.nanokit.testing.manifest.TestPrograms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibraryClosureTest {
  private static final String LIBS = "/usr/lib/x86_64-linux-gnu";

  @TempDir Path tmp;
  private Path root;
  private Path hostFiles;
  private final TreeMap<String, ImageEntry> image = new TreeMap<>(ImagePlan.PATH_ORDER);

  @BeforeEach
  void libraryRoot() throws Exception {
    root = Files.createDirectories(tmp.resolve("root"));
    hostFiles = Files.createDirectories(tmp.resolve("host"));
    TestPrograms.dynamicElf(root.resolve("usr/lib/x86_64-linux-gnu/libc.so.6"), null, "libc.so.6", null);
    TestPrograms.dynamicElf(root.resolve("usr/lib/x86_64-linux-gnu/libz.so.1.2.13"), null, "libz.so.1", null, "libc.so.6");
    Files.createSymbolicLink(root.resolve("usr/lib/x86_64-linux-gnu/libz.so.1"), Path.of("libz.so.1.2.13"));
  }

  /** An ELF object of the image: its host copy lives outside the root, as --dir content does. */
  private void object(String imagePath, String soname, String runpath, String... needed) throws Exception {
    Path host = TestPrograms.dynamicElf(hostFiles.resolve(imagePath.substring(1)), null, soname, runpath, needed);
    image.put(imagePath, ImageEntry.file(imagePath, host));
  }

  private LibraryClosure closure() {
    return new LibraryClosure(List.copyOf(image.values()), image::containsKey, java.util.Map.of(), root,
        Architecture.X86_64, List.of());
  }

  @Test
  void whatTheRootHasIsAddedWithItsSymlinksAndANote() throws Exception {
    object("/opt/app/libapp.so", null, null, "libz.so.1", "libc.so.6");
    LibraryClosure c = closure();

    List<LibraryClosure.Found> found = c.close(Set.of());

    assertThat(found).extracting(f -> f.entry().imagePath())
        .containsExactly(LIBS + "/libc.so.6", LIBS + "/libz.so.1", LIBS + "/libz.so.1.2.13");
    assertThat(found).extracting(LibraryClosure.Found::neededBy).containsOnly("/opt/app/libapp.so");
    assertThat(found.get(1).entry()).isEqualTo(ImageEntry.symlink(LIBS + "/libz.so.1", "libz.so.1.2.13"));
    assertThat(found.get(2).entry().hostPath()).isEqualTo(root.resolve("usr/lib/x86_64-linux-gnu/libz.so.1.2.13"));
    assertThat(c.notes()).containsExactly(
        "added " + LIBS + "/libc.so.6 from " + root.resolve("usr/lib/x86_64-linux-gnu/libc.so.6") + ": needed by /opt/app/libapp.so",
        "added " + LIBS + "/libz.so.1.2.13 from " + root.resolve("usr/lib/x86_64-linux-gnu/libz.so.1.2.13")
            + ": needed by /opt/app/libapp.so");
    assertThat(c.warnings()).isEmpty();
  }

  @Test
  void whatTheImageAlreadyHasIsNotAddedAgain() throws Exception {
    // Through $ORIGIN, a default directory, and a SONAME another object of the image carries.
    object("/opt/app/lib/libdep.so", "libdep.so", null);
    object("/opt/app/lib/libapp.so", null, "$ORIGIN", "libdep.so", "libjvm.so", "libc.so.6");
    object("/opt/app/lib/server/libjvm.so", "libjvm.so", null);
    object("/lib/x86_64-linux-gnu/libc.so.6", "libc.so.6", null);
    LibraryClosure c = closure();

    assertThat(c.close(Set.of())).isEmpty();
    assertThat(c.notes()).isEmpty();
    assertThat(c.warnings()).isEmpty();
  }

  @Test
  void whatIsFoundNowhereIsOneWarningPerLibraryAndTheRestCounted() throws Exception {
    for (int i = 0; i < LibraryClosure.MAX_WARNINGS + 3; i++) {
      object(String.format("/opt/m%02d.so", i), null, null, "libgone.so." + i);
    }
    LibraryClosure c = closure();

    assertThat(c.close(Set.of())).isEmpty();
    assertThat(c.warnings()).hasSize(LibraryClosure.MAX_WARNINGS + 1);
    assertThat(c.warnings().get(0)).isEqualTo("/opt/m00.so needs libgone.so.0, found neither in the image nor in " + root);
    assertThat(c.warnings().get(LibraryClosure.MAX_WARNINGS)).isEqualTo("and 3 more libraries not found for objects in the image");
  }

  @Test
  void skippedObjectsForeignMachinesAndFilesThatAreNotElfAreLeftAlone() throws Exception {
    object("/app/prog", null, null, "libgone.so.1");
    Path arm = hostFiles.resolve("arm.so");
    Files.write(arm, TestPrograms.dynamicElf(TestPrograms.AARCH64, null, null, null, "libgone.so.2"));
    image.put("/testdata/arm.so", ImageEntry.file("/testdata/arm.so", arm));
    Path text = Files.writeString(hostFiles.resolve("readme"), "not ELF");
    image.put("/readme", ImageEntry.file("/readme", text));
    Path broken = Files.write(hostFiles.resolve("broken.so"), new byte[] {0x7f, 'E', 'L', 'F', 9});
    image.put("/broken.so", ImageEntry.file("/broken.so", broken));
    image.put("/etc/generated", ImageEntry.generated("/etc/generated", new byte[] {0x7f, 'E', 'L', 'F'}));
    LibraryClosure c = closure();

    assertThat(c.close(Set.of("/app/prog"))).isEmpty();
    assertThat(c.warnings()).isEmpty();
    assertThat(c.notes()).singleElement().asString().startsWith("not checked for shared libraries: /broken.so: ");
  }
}
