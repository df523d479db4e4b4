package dev.nanokit.elf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanokit.elf.ResolvedLibraries.FileEntry;
import dev.nanokit.elf.ResolvedLibraries.SymlinkEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibraryResolverTest {
  private static final String LD = "/lib64/ld-linux-x86-64.so.2";
  private static final String MA = "/usr/lib/x86_64-linux-gnu";

  @TempDir Path root;

  @BeforeEach
  void sysroot() throws IOException {
    // Debian-like: multiarch dirs and an absolute /lib64 loader symlink (re-rooted on lookup).
    lib("/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", TestElf.x64().soname("ld-linux-x86-64.so.2"));
    link(LD, "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2");
    lib(MA + "/libc.so.6", TestElf.x64().soname("libc.so.6").needed("ld-linux-x86-64.so.2")
        .interp(LD));
  }

  private Path lib(String image, TestElf elf) throws IOException {
    return elf.write(root.resolve(image.substring(1)));
  }

  private void link(String image, String target) throws IOException {
    Path p = root.resolve(image.substring(1));
    Files.createDirectories(p.getParent());
    Files.createSymbolicLink(p, Path.of(target));
  }

  private static TestElf prog() {
    return TestElf.x64().interp(LD);
  }

  private ResolvedLibraries resolve(String program) throws IOException {
    return LibraryResolver.builder().setTargetRoot(root).build().resolve(Path.of(program));
  }

  private static List<String> paths(ResolvedLibraries r) {
    return r.entries().stream().map(ResolvedLibraries.Entry::imagePath).toList();
  }

  @Test
  void chainOfThreeLibrariesAndInterpreterSymlink() throws IOException {
    lib("/usr/bin/app", prog().needed("libA.so.1", "libc.so.6"));
    lib(MA + "/libA.so.1", TestElf.x64().soname("libA.so.1").needed("libB.so.1"));
    lib(MA + "/libB.so.1", TestElf.x64().soname("libB.so.1").needed("libC.so.1", "libc.so.6"));
    lib(MA + "/libC.so.1.0.0", TestElf.x64().soname("libC.so.1").needed("libc.so.6"));
    link(MA + "/libC.so.1", "libC.so.1.0.0");

    ResolvedLibraries r = resolve("/usr/bin/app");

    assertThat(r.missing()).isEmpty();
    assertThat(r.interpreter()).contains(LD);
    assertThat(r.programImagePath()).isEqualTo("/usr/bin/app");
    assertThat(r.entries()).containsExactly(
        new FileEntry("/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
            root.resolve("lib/x86_64-linux-gnu/ld-linux-x86-64.so.2")),
        new SymlinkEntry(LD, "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"),
        new FileEntry(MA + "/libA.so.1", root.resolve(MA.substring(1) + "/libA.so.1")),
        new FileEntry(MA + "/libB.so.1", root.resolve(MA.substring(1) + "/libB.so.1")),
        new SymlinkEntry(MA + "/libC.so.1", "libC.so.1.0.0"),
        new FileEntry(MA + "/libC.so.1.0.0", root.resolve(MA.substring(1) + "/libC.so.1.0.0")),
        new FileEntry(MA + "/libc.so.6", root.resolve(MA.substring(1) + "/libc.so.6")));
  }

  @Test
  void programPathMayAlsoBeAHostPathUnderTheRoot() throws IOException {
    Path host = lib("/usr/bin/app", prog().needed("libc.so.6"));
    ResolvedLibraries r = LibraryResolver.builder().setTargetRoot(root).build().resolve(host);
    assertThat(r.programImagePath()).isEqualTo("/usr/bin/app");
    assertThat(paths(r)).contains(MA + "/libc.so.6");
  }

  @Test
  void rpathIsSearchedBeforeDefaultsAndInheritedDownTheChain() throws IOException {
    lib("/usr/bin/app", prog().needed("libA.so.1").rpath("/opt/rp"));
    lib(MA + "/libA.so.1", TestElf.x64().soname("libA.so.1").needed("libD.so.1"));
    lib("/opt/rp/libA.so.1", TestElf.x64().soname("libA.so.1").needed("libD.so.1"));
    lib("/opt/rp/libD.so.1", TestElf.x64().soname("libD.so.1"));

    ResolvedLibraries r = resolve("/usr/bin/app");

    assertThat(r.missing()).isEmpty();
    assertThat(paths(r)).contains("/opt/rp/libA.so.1", "/opt/rp/libD.so.1")
        .doesNotContain(MA + "/libA.so.1");
  }

  @Test
  void runpathDisablesRpathAndComesAfterLdLibraryPath() throws IOException {
    lib("/usr/bin/app", prog().needed("libX.so.1").rpath("/opt/rp").runpath("/opt/run"));
    lib("/opt/rp/libX.so.1", TestElf.x64().soname("libX.so.1"));
    lib("/opt/run/libX.so.1", TestElf.x64().soname("libX.so.1"));
    lib("/opt/env/libX.so.1", TestElf.x64().soname("libX.so.1"));

    assertThat(paths(resolve("/usr/bin/app"))).contains("/opt/run/libX.so.1")
        .doesNotContain("/opt/rp/libX.so.1");
    ResolvedLibraries withEnv = LibraryResolver.builder().setTargetRoot(root)
        .setLibraryPath(List.of("/opt/env")).build().resolve(Path.of("/usr/bin/app"));
    assertThat(paths(withEnv)).contains("/opt/env/libX.so.1").doesNotContain("/opt/run/libX.so.1");
  }

  @Test
  void runpathIsNotInheritedAndBlocksTheRpathChain() throws IOException {
    lib("/usr/bin/app", prog().needed("libA.so.1").rpath("/opt/rp"));
    lib("/opt/rp/libA.so.1", TestElf.x64().soname("libA.so.1").needed("libD.so.1")
        .runpath("/opt/nothing"));
    lib("/opt/rp/libD.so.1", TestElf.x64().soname("libD.so.1"));

    ResolvedLibraries r = resolve("/usr/bin/app");

    assertThat(r.missing()).containsExactly("libD.so.1");
  }

  @Test
  void originLibAndBracedTokens() throws IOException {
    lib("/app/bin/prog", prog().needed("libapp.so", "libx.so")
        .runpath("$ORIGIN/../lib:/opt/${LIB}/x"));
    lib("/app/lib/libapp.so", TestElf.x64().soname("libapp.so").needed("libsub.so")
        .rpath("${ORIGIN}/sub"));
    lib("/app/lib/sub/libsub.so", TestElf.x64().soname("libsub.so"));
    lib("/opt/lib/x86_64-linux-gnu/x/libx.so", TestElf.x64().soname("libx.so"));
    link("/usr/bin/prog", "../../app/bin/prog");

    // given through a symlink: $ORIGIN is the directory of the real file ("3 Dynamic string tokens (DSTs)")
    ResolvedLibraries r = resolve("/usr/bin/prog");

    assertThat(r.missing()).isEmpty();
    assertThat(r.programImagePath()).isEqualTo("/app/bin/prog");
    assertThat(paths(r)).contains("/app/lib/libapp.so", "/app/lib/sub/libsub.so",
        "/opt/lib/x86_64-linux-gnu/x/libx.so");
  }

  @Test
  void missingLibraryIsReported() throws IOException {
    lib("/usr/bin/app", prog().needed("libc.so.6", "libnope.so.3"));
    ResolvedLibraries r = resolve("/usr/bin/app");
    assertThat(r.missing()).containsExactly("libnope.so.3");
    assertThat(r.isComplete()).isFalse();
    assertThat(paths(r)).contains(MA + "/libc.so.6");
  }

  @Test
  void wrongArchitectureCandidateIsSkipped() throws IOException {
    lib("/usr/bin/app", prog().needed("libW.so.1").rpath("/opt/rp:/opt/rp32"));
    lib("/opt/rp/libW.so.1", TestElf.x64().machine(Architecture.EM_AARCH64).soname("libW.so.1"));
    lib("/opt/rp32/libW.so.1", TestElf.x64().cls(32).machine(Architecture.EM_386));
    lib(MA + "/libW.so.1", TestElf.x64().soname("libW.so.1"));

    ResolvedLibraries r = resolve("/usr/bin/app");

    assertThat(paths(r)).contains(MA + "/libW.so.1").doesNotContain("/opt/rp/libW.so.1");
    assertThat(r.missing()).isEmpty();

    Files.delete(root.resolve(MA.substring(1) + "/libW.so.1"));
    ResolvedLibraries none = resolve("/usr/bin/app");
    assertThat(none.missing()).containsExactly("libW.so.1");
    assertThat(none.warnings()).anyMatch(w -> w.contains("/opt/rp/libW.so.1")
        && w.contains("/opt/rp32/libW.so.1"));
  }

  @Test
  void nonElfCandidateStopsTheSearch() throws IOException {
    lib("/usr/bin/app", prog().needed("libT.so.1").rpath("/opt/rp"));
    Files.createDirectories(root.resolve("opt/rp"));
    Files.writeString(root.resolve("opt/rp/libT.so.1"), "GROUP ( libT.so.1 )");
    lib(MA + "/libT.so.1", TestElf.x64().soname("libT.so.1"));
    ResolvedLibraries r = resolve("/usr/bin/app");
    assertThat(r.missing()).containsExactly("libT.so.1");
    assertThat(r.warnings()).anyMatch(w -> w.contains("/opt/rp/libT.so.1"));
  }

  @Test
  void ldSoConfIncludeGlob() throws IOException {
    Files.createDirectories(root.resolve("etc/ld.so.conf.d"));
    Files.writeString(root.resolve("etc/ld.so.conf"), "# comment\ninclude ld.so.conf.d/*.conf\n");
    Files.writeString(root.resolve("etc/ld.so.conf.d/a-local.conf"), "  /usr/local/lib/  # x\n");
    Files.writeString(root.resolve("etc/ld.so.conf.d/b.conf"), "hwcap 0 nosegneg\n/opt/b\n");
    Files.writeString(root.resolve("etc/ld.so.conf.d/ignored.txt"), "/opt/ignored\n");
    lib("/usr/bin/app", prog().needed("libL.so.1", "libB.so.1", "libI.so.1"));
    lib("/usr/local/lib/libL.so.1", TestElf.x64().soname("libL.so.1"));
    lib("/opt/b/libB.so.1", TestElf.x64().soname("libB.so.1"));
    lib("/opt/ignored/libI.so.1", TestElf.x64().soname("libI.so.1"));

    ResolvedLibraries r = resolve("/usr/bin/app");

    assertThat(paths(r)).contains("/usr/local/lib/libL.so.1", "/opt/b/libB.so.1");
    assertThat(r.missing()).containsExactly("libI.so.1");
    assertThat(r.warnings()).anyMatch(w -> w.startsWith("libL.so.1 found in /usr/local/lib"));
    ResolvedLibraries noConf = LibraryResolver.builder().setTargetRoot(root).setUseLdSoConf(false)
        .build().resolve(Path.of("/usr/bin/app"));
    assertThat(noConf.missing()).containsExactly("libL.so.1", "libB.so.1", "libI.so.1");
  }

  @Test
  void absoluteSymlinksAreReRootedAndNeverEscape() throws IOException {
    lib("/usr/bin/app", prog().needed("libS.so.1", "libE.so.1"));
    lib("/opt/real/libS.so.1.2", TestElf.x64().soname("libS.so.1"));
    link(MA + "/libS.so.1", "/opt/real/libS.so.1.2");
    lib("/tmp/libE-real.so", TestElf.x64().soname("libE.so.1"));
    link(MA + "/libE.so.1", "../../../../../../../../../tmp/libE-real.so");

    ResolvedLibraries r = resolve("/usr/bin/app");

    assertThat(r.missing()).isEmpty();
    assertThat(r.entries()).contains(
        new SymlinkEntry(MA + "/libS.so.1", "/opt/real/libS.so.1.2"),
        new FileEntry("/opt/real/libS.so.1.2", root.resolve("opt/real/libS.so.1.2")),
        new FileEntry("/tmp/libE-real.so", root.resolve("tmp/libE-real.so")));
    for (FileEntry f : r.files()) {
      assertThat(f.hostPath().toAbsolutePath().normalize()).startsWith(root);
    }
  }

  @Test
  void sameFileUnderTwoNamesIsLoadedOnce() throws IOException {
    lib("/usr/bin/app", prog().needed("libz.so.1", "libzz.so"));
    lib(MA + "/libz.so.1.3", TestElf.x64().soname("libz.so.1").needed("libonce.so"));
    link(MA + "/libz.so.1", "libz.so.1.3");
    link(MA + "/libzz.so", "libz.so.1.3");
    lib(MA + "/libonce.so", TestElf.x64().soname("libonce.so"));

    ResolvedLibraries r = resolve("/usr/bin/app");

    assertThat(r.missing()).isEmpty();
    assertThat(r.files()).extracting(FileEntry::imagePath).filteredOn(p -> p.contains("libz"))
        .containsExactly(MA + "/libz.so.1.3");
    assertThat(r.symlinks()).extracting(SymlinkEntry::imagePath)
        .contains(MA + "/libz.so.1", MA + "/libzz.so");
  }

  @Test
  void libcNeedsNoSeparateLoaderAndStaticProgramsNeedNothing() throws IOException {
    lib("/usr/bin/static", TestElf.x64().type(ElfFile.ET_EXEC).vaddr(0x400000));
    assertThat(resolve("/usr/bin/static").entries()).isEmpty();

    lib("/usr/bin/app", prog().needed("libc.so.6"));
    ResolvedLibraries r = resolve("/usr/bin/app");
    assertThat(r.files()).extracting(FileEntry::imagePath).containsExactly(
        "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", MA + "/libc.so.6");
  }

  @Test
  void nodeflibSkipsDefaultDirectories() throws IOException {
    lib("/usr/bin/app", prog().needed("libc.so.6").flags1(ElfFile.DF_1_NODEFLIB));
    assertThat(resolve("/usr/bin/app").missing()).containsExactly("libc.so.6");
  }

  @Test
  void missingProgramAndMissingInterpreter() throws IOException {
    assertThatThrownBy(() -> resolve("/usr/bin/none")).isInstanceOf(NoSuchFileException.class);
    lib("/usr/bin/app", TestElf.x64().interp("/lib/ld-missing.so.1").needed("libc.so.6"));
    ResolvedLibraries r = resolve("/usr/bin/app");
    assertThat(r.missing()).containsExactly("/lib/ld-missing.so.1");
  }

  @Test
  void hwcapsSubdirectoriesArePreferredOnlyWhenConfigured() throws IOException {
    lib("/usr/bin/app", prog().needed("libh.so.1"));
    lib(MA + "/libh.so.1", TestElf.x64().soname("libh.so.1"));
    lib(MA + "/glibc-hwcaps/x86-64-v3/libh.so.1", TestElf.x64().soname("libh.so.1"));

    assertThat(paths(resolve("/usr/bin/app"))).contains(MA + "/libh.so.1")
        .doesNotContain(MA + "/glibc-hwcaps/x86-64-v3/libh.so.1");
    ResolvedLibraries v3 = LibraryResolver.builder().setTargetRoot(root)
        .setHwcapsSubdirectories(List.of("x86-64-v4", "x86-64-v3", "x86-64-v2")).build()
        .resolve(Path.of("/usr/bin/app"));
    assertThat(paths(v3)).contains(MA + "/glibc-hwcaps/x86-64-v3/libh.so.1")
        .doesNotContain(MA + "/libh.so.1");
  }

  @Test
  void platformTokenExpandsOrDropsTheElement() throws IOException {
    lib("/usr/bin/app", prog().needed("libp.so").rpath("/opt/$PLATFORM:/opt/fallback"));
    lib("/opt/x86_64/libp.so", TestElf.x64().soname("libp.so"));
    lib("/opt/fallback/libp.so", TestElf.x64().soname("libp.so"));

    assertThat(paths(resolve("/usr/bin/app"))).contains("/opt/x86_64/libp.so");
    // Nanos passes no AT_PLATFORM ("3 Dynamic string tokens (DSTs)"): an element using it is dropped, the next one used.
    ResolvedLibraries nanos = LibraryResolver.builder().setTargetRoot(root).setPlatform(null)
        .build().resolve(Path.of("/usr/bin/app"));
    assertThat(paths(nanos)).contains("/opt/fallback/libp.so").doesNotContain("/opt/x86_64/libp.so");
  }

  @Test
  void neededNameWithSlashIsAPathWithTokensExpanded() throws IOException {
    lib("/app/prog", prog().needed("$ORIGIN/plugins/libplug.so", "libc.so.6"));
    lib("/app/plugins/libplug.so", TestElf.x64());
    ResolvedLibraries r = resolve("/app/prog");
    assertThat(r.missing()).isEmpty();
    assertThat(paths(r)).contains("/app/plugins/libplug.so");
  }

  @Test
  void lib64StyleRootUsesLib64Defaults() throws IOException {
    Path fedora = Files.createDirectories(root.resolve("fedora"));
    TestElf.x64().soname("ld-linux-x86-64.so.2").write(fedora.resolve("lib64/ld-linux-x86-64.so.2"));
    TestElf.x64().soname("libc.so.6").write(fedora.resolve("usr/lib64/libc.so.6"));
    TestElf.x64().soname("libq.so.1").write(fedora.resolve("opt/lib64/q/libq.so.1"));
    prog().needed("libc.so.6", "libq.so.1").rpath("/opt/$LIB/q")
        .write(fedora.resolve("usr/bin/app"));

    ResolvedLibraries r = LibraryResolver.builder().setTargetRoot(fedora).build()
        .resolve(Path.of("/usr/bin/app"));

    assertThat(r.missing()).isEmpty();
    assertThat(paths(r)).containsExactly(LD, "/opt/lib64/q/libq.so.1", "/usr/lib64/libc.so.6");
  }

  @Test
  void aarch64MultiarchRoot() throws IOException {
    Path arm = Files.createDirectories(root.resolve("arm"));
    String ld = "/lib/ld-linux-aarch64.so.1";
    TestElf a = TestElf.x64().machine(Architecture.EM_AARCH64);
    TestElf.x64().machine(Architecture.EM_AARCH64).soname("ld-linux-aarch64.so.1")
        .write(arm.resolve("lib/aarch64-linux-gnu/ld-linux-aarch64.so.1"));
    Files.createSymbolicLink(arm.resolve("lib/ld-linux-aarch64.so.1"),
        Path.of("aarch64-linux-gnu/ld-linux-aarch64.so.1"));
    TestElf.x64().machine(Architecture.EM_AARCH64).soname("libc.so.6")
        .write(arm.resolve("usr/lib/aarch64-linux-gnu/libc.so.6"));
    // An x86-64 libc earlier in the search order is skipped, like ld.so does ("8 Architectures").
    TestElf.x64().soname("libc.so.6").write(arm.resolve("lib/aarch64-linux-gnu/libc.so.6"));
    a.interp(ld).needed("libc.so.6").write(arm.resolve("bin/app"));

    ResolvedLibraries r = LibraryResolver.builder().setTargetRoot(arm).build()
        .resolve(Path.of("/bin/app"));

    assertThat(r.missing()).isEmpty();
    assertThat(paths(r)).containsExactly("/lib/aarch64-linux-gnu/ld-linux-aarch64.so.1", ld,
        "/usr/lib/aarch64-linux-gnu/libc.so.6");
    assertThat(paths(r)).doesNotContain("/lib/aarch64-linux-gnu/libc.so.6");
  }

  /**
   * Debian's cross sysroot /usr/aarch64-linux-gnu keeps its libraries in lib/, not lib/aarch64-linux-gnu;
   * its loader still finds them through the plain /lib of its compiled-in directories, and so do we.
   * The program is a host file outside the root, as a cross-compiled hello is.
   */
  @Test
  void crossSysrootIsSearchedWithTheDirectoriesCompiledIntoItsLoader() throws IOException {
    Path arm = Files.createDirectories(root.resolve("cross"));
    Path loader = TestElf.x64().machine(Architecture.EM_AARCH64).soname("ld-linux-aarch64.so.1")
        .write(arm.resolve("lib/ld-linux-aarch64.so.1"));
    byte[] plain = Files.readAllBytes(loader);
    Files.write(loader, LoaderSearchPathTest.DEBIAN_AARCH64.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        java.nio.file.StandardOpenOption.APPEND);
    TestElf.x64().machine(Architecture.EM_AARCH64).soname("libc.so.6").write(arm.resolve("lib/libc.so.6"));
    TestElf.x64().machine(Architecture.EM_AARCH64).soname("libq.so.1")
        .write(arm.resolve("opt/lib/aarch64-linux-gnu/libq.so.1"));
    Path hello = TestElf.x64().machine(Architecture.EM_AARCH64).interp("/lib/ld-linux-aarch64.so.1")
        .needed("libc.so.6", "libq.so.1").rpath("/opt/$LIB").write(root.resolve("build/hello"));

    LibraryResolver resolver = LibraryResolver.builder().setTargetRoot(arm).build();
    ResolvedLibraries r = resolver.resolve(hello);

    assertThat(r.missing()).isEmpty();
    assertThat(r.programImagePath()).isEqualTo(hello.toString());
    // $LIB is the loader's first directory: lib/aarch64-linux-gnu.
    assertThat(paths(r)).containsExactly("/lib/ld-linux-aarch64.so.1", "/lib/libc.so.6",
        "/opt/lib/aarch64-linux-gnu/libq.so.1");

    // A loader without the string (musl's, or one we cannot read) leaves the layout guess: lib64 style here.
    Files.write(loader, plain);
    assertThat(resolver.resolve(hello).missing()).containsExactly("libc.so.6", "libq.so.1");
    assertThatThrownBy(() -> resolver.resolve(root.resolve("build/none"))).isInstanceOf(NoSuchFileException.class);
  }

  /** A library placed at an image path of our choosing: $ORIGIN is that path's directory, in the root. */
  @Test
  void anObjectResolvesAsIfAtItsImagePath() throws IOException {
    lib("/opt/app/libdep.so", TestElf.x64().soname("libdep.so").needed("libc.so.6"));
    Path plugin = TestElf.x64().soname("libplug.so").needed("libdep.so", "libc.so.6").runpath("$ORIGIN")
        .write(root.resolve("elsewhere/libplug.so"));

    ResolvedLibraries r = LibraryResolver.builder().setTargetRoot(root).build().resolve(plugin, "/opt/app/./libplug.so");

    assertThat(r.missing()).isEmpty();
    assertThat(r.programImagePath()).isEqualTo("/opt/app/libplug.so");
    assertThat(paths(r)).contains("/opt/app/libdep.so", MA + "/libc.so.6").doesNotContain("/elsewhere/libplug.so");
    assertThatThrownBy(() -> LibraryResolver.builder().build().resolve(plugin, "opt/x.so"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("image path must be absolute: opt/x.so");
  }

  @Test
  void aLibraryPathWithANullElementIsRefusedAndAnImmutableOneAccepted() {
    assertThatThrownBy(() -> LibraryResolver.builder().setLibraryPath(java.util.Arrays.asList("/a", null)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("library path has a null element: [/a, null]");
    LibraryResolver.builder().setLibraryPath(java.util.List.of("/a", "/b")).setLibraryPath(null).build();
  }

  @Test
  void ldSoConfIncludeCycleTerminates() throws IOException {
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(root.resolve("etc/ld.so.conf"), "include /etc/ld.so.conf\n/opt/c\n");
    lib("/usr/bin/app", prog().needed("libcy.so"));
    lib("/opt/c/libcy.so", TestElf.x64().soname("libcy.so"));
    assertThat(paths(resolve("/usr/bin/app"))).contains("/opt/c/libcy.so");
  }

  @Test
  void resultIsDeterministic() throws IOException {
    lib("/usr/bin/app", prog().needed("libz2.so", "libz1.so", "libc.so.6"));
    lib(MA + "/libz2.so", TestElf.x64().soname("libz2.so"));
    lib(MA + "/libz1.so", TestElf.x64().soname("libz1.so"));
    ResolvedLibraries a = resolve("/usr/bin/app");
    ResolvedLibraries b = resolve("/usr/bin/app");
    assertThat(a.entries()).isEqualTo(b.entries());
    assertThat(paths(a)).isSorted();
    assertThatThrownBy(() -> a.entries().add(a.entries().get(0)))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void builderPreconditionsNameTheBadValue() {
    LibraryResolver.Builder b = LibraryResolver.builder();
    assertThatThrownBy(() -> b.setTargetRoot(null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("target root");
    assertThatThrownBy(() -> b.setHwcapsSubdirectories(List.of("../x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("../x");
    assertThatThrownBy(() -> b.setLibDirectoryName("/lib64"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/lib64");
    assertThatThrownBy(() -> b.setDefaultDirectories(List.of("usr/lib")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("usr/lib");
    assertThatThrownBy(() -> b.setLibraryPath(java.util.Arrays.asList("/a", null)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[/a, null]");
  }

  @Test
  void multiarchTripletsAreDebiansNames() throws IOException {
    Object[][] cases = {
      {Architecture.EM_X86_64, 64, java.nio.ByteOrder.LITTLE_ENDIAN, "x86_64-linux-gnu"},
      {Architecture.EM_AARCH64, 64, java.nio.ByteOrder.LITTLE_ENDIAN, "aarch64-linux-gnu"},
      {Architecture.EM_AARCH64, 64, java.nio.ByteOrder.BIG_ENDIAN, "aarch64_be-linux-gnu"},
      {Architecture.EM_RISCV, 64, java.nio.ByteOrder.LITTLE_ENDIAN, "riscv64-linux-gnu"},
      {Architecture.EM_386, 32, java.nio.ByteOrder.LITTLE_ENDIAN, "i386-linux-gnu"},
      {Architecture.EM_ARM, 32, java.nio.ByteOrder.LITTLE_ENDIAN, "arm-linux-gnueabihf"},
      {Architecture.EM_PPC64, 64, java.nio.ByteOrder.LITTLE_ENDIAN, "powerpc64le-linux-gnu"},
      {Architecture.EM_PPC64, 64, java.nio.ByteOrder.BIG_ENDIAN, "powerpc64-linux-gnu"},
      {Architecture.EM_S390, 64, java.nio.ByteOrder.BIG_ENDIAN, "s390x-linux-gnu"},
      {Architecture.EM_LOONGARCH, 64, java.nio.ByteOrder.LITTLE_ENDIAN, "loongarch64-linux-gnu"},
      {Architecture.EM_MIPS, 32, java.nio.ByteOrder.BIG_ENDIAN, null},
    };
    for (Object[] c : cases) {
      byte[] b = TestElf.x64().machine((Integer) c[0]).cls((Integer) c[1]).order((java.nio.ByteOrder) c[2]).build();
      ElfFile elf = ElfFile.read(new dev.nanokit.testing.manifest.ByteArrayChannel(b), "t");
      assertThat(LibraryResolver.triplet(elf)).as("machine %s", c[0]).isEqualTo(c[3]);
    }
  }
}
