package dev.nanokit.elf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanokit.elf.ResolvedLibraries.FileEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real toolchain output: programs and libraries built with gcc using RPATH, RUNPATH and
 * {@code $ORIGIN} (docs/formats/elf-deps.md, "3 Dynamic string tokens (DSTs)" to "4 glibc search order for a DT_NEEDED name"), resolved statically and compared with the host loader (ldd).
 * Skipped with a reason when gcc is not on the PATH.
 */
class GccIT {
  @TempDir static Path dir;
  static Path app;

  @BeforeAll
  static void build() throws Exception {
    Assumptions.assumeTrue(onPath("gcc"), "gcc not on the PATH");
    Path src = Files.createDirectories(dir.resolve("src"));
    app = Files.createDirectories(dir.resolve("app"));
    Path lib = Files.createDirectories(app.resolve("lib"));
    Files.writeString(src.resolve("bar.c"), "int bar(void) { return 2; }\n");
    Files.writeString(src.resolve("foo.c"), "int bar(void);\nint foo(void) { return bar() + 1; }\n");
    Files.writeString(src.resolve("main.c"),
        "int foo(void);\nint main(void) { return foo() == 3 ? 0 : 1; }\n");
    Files.writeString(src.resolve("plain.c"), "int main(void) { return 0; }\n");
    gcc("-shared", "-fPIC", "-Wl,-soname,libbar.so.1", "-o", lib + "/libbar.so.1",
        src + "/bar.c");
    gcc("-shared", "-fPIC", "-Wl,-soname,libfoo.so.1", "-o", lib + "/libfoo.so.1",
        src + "/foo.c", "-L" + lib, "-l:libbar.so.1");
    for (String dtags : List.of("disable", "enable")) {
      gcc("-o", app + "/prog-" + dtags, src + "/main.c", "-L" + lib, "-l:libfoo.so.1",
          "-Wl,-rpath-link," + lib, "-Wl,-rpath,$ORIGIN/lib", "-Wl,--" + dtags + "-new-dtags");
    }
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Files.createSymbolicLink(bin.resolve("prog-link"), Path.of("../app/prog-disable"));
  }

  private static boolean onPath(String tool) {
    return dev.nanokit.testing.manifest.TestTools.onPath(tool).isPresent();
  }

  private static void gcc(String... args) throws Exception {
    int rc = run(tool("gcc", args)).exit;
    assertThat(rc).as("gcc %s", List.of(args)).isZero();
  }

  private static List<String> tool(String name, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(name);
    cmd.addAll(List.of(args));
    return cmd;
  }

  private record Result(int exit, String output) {}

  private static Result run(List<String> cmd) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("LD_LIBRARY_PATH");
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + cmd);
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  private static ResolvedLibraries resolve(Path program) throws IOException {
    return LibraryResolver.builder().build().resolve(program);
  }

  private static Set<String> realFiles(ResolvedLibraries r) throws IOException {
    Set<String> s = new TreeSet<>();
    for (FileEntry f : r.files()) {
      s.add(f.hostPath().toRealPath().toString());
    }
    return s;
  }

  private record Ldd(Set<String> files, Set<String> missing) {}

  /** ldd's resolved files (realpath) and not-found names; null when ldd is unavailable. */
  private static Ldd ldd(Path program) throws Exception {
    if (!onPath("ldd")) {
      return null;
    }
    Result r = run(List.of("ldd", program.toString()));
    Set<String> files = new TreeSet<>();
    Set<String> missing = new TreeSet<>();
    for (String raw : r.output().split("\n")) {
      String line = raw.trim();
      if (line.isEmpty() || line.startsWith("linux-vdso")) {
        continue;
      }
      if (line.contains("not found")) {
        missing.add(line.substring(0, line.indexOf(" =>")).trim());
        continue;
      }
      String[] f = line.split(" ");
      String path = f.length >= 2 ? f[f.length - 2] : f[0]; // ops' rule ("1.1 Linux hosts (the normal path)"): second-to-last
      if (path.startsWith("/")) {
        files.add(Path.of(path).toRealPath().toString());
      }
    }
    return new Ldd(files, missing);
  }

  @Test
  void rpathIsRecordedAndInheritedByTheLibrariesItLoads() throws Exception {
    Path prog = app.resolve("prog-disable");
    ElfFile elf = ElfFile.read(prog);
    assertThat(elf.rpath()).contains("$ORIGIN/lib");
    assertThat(elf.runpath()).isEmpty();
    assertThat(elf.isPie() || elf.type() == ElfFile.ET_EXEC).isTrue();

    ResolvedLibraries r = resolve(prog);

    assertThat(r.missing()).isEmpty();
    assertThat(r.files()).extracting(FileEntry::imagePath)
        .contains(app + "/lib/libfoo.so.1", app + "/lib/libbar.so.1");
    assertThat(run(List.of(prog.toString())).exit()).as("the program itself runs").isZero();
    Ldd ldd = ldd(prog);
    Assumptions.assumeTrue(ldd != null, "ldd not on the PATH");
    assertThat(realFiles(r)).isEqualTo(ldd.files());
    assertThat(ldd.missing()).isEmpty();
  }

  @Test
  void runpathIsNotInheritedSoTheIndirectLibraryIsMissingLikeLddSays() throws Exception {
    Path prog = app.resolve("prog-enable");
    ElfFile elf = ElfFile.read(prog);
    assertThat(elf.runpath()).contains("$ORIGIN/lib");
    assertThat(elf.rpath()).isEmpty();

    ResolvedLibraries r = resolve(prog);

    assertThat(r.files()).extracting(FileEntry::imagePath).contains(app + "/lib/libfoo.so.1")
        .doesNotContain(app + "/lib/libbar.so.1");
    assertThat(r.missing()).containsExactly("libbar.so.1");
    Ldd ldd = ldd(prog);
    Assumptions.assumeTrue(ldd != null, "ldd not on the PATH");
    assertThat(realFiles(r)).isEqualTo(ldd.files());
    assertThat(ldd.missing()).containsExactly("libbar.so.1");
  }

  @Test
  void originOfAProgramGivenThroughASymlinkIsTheRealDirectory() throws IOException {
    ResolvedLibraries r = resolve(dir.resolve("bin/prog-link"));
    assertThat(r.programImagePath()).isEqualTo(app.toRealPath() + "/prog-disable");
    assertThat(r.missing()).isEmpty();
    assertThat(r.files()).extracting(FileEntry::imagePath)
        .contains(app.toRealPath() + "/lib/libfoo.so.1");
  }

  @Test
  void underATargetRootOriginExpandsToTheImagePath() throws IOException {
    ResolvedLibraries r = LibraryResolver.builder().setTargetRoot(dir).build()
        .resolve(Path.of("/app/prog-disable"));
    assertThat(r.programImagePath()).isEqualTo("/app/prog-disable");
    assertThat(r.files()).contains(
        new FileEntry("/app/lib/libfoo.so.1", dir.toAbsolutePath().resolve("app/lib/libfoo.so.1")),
        new FileEntry("/app/lib/libbar.so.1", dir.toAbsolutePath().resolve("app/lib/libbar.so.1")));
    // libc and the loader are not inside this root: reported, never taken from the host.
    assertThat(r.missing()).contains("libc.so.6");
    assertThat(r.files()).allSatisfy(f -> assertThat(f.hostPath()).startsWith(dir));
  }

  @Test
  void symbolsOfRealObjects() throws IOException {
    Path foo = app.resolve("lib/libfoo.so.1");
    ElfFile lib = ElfFile.read(foo);
    assertThat(lib.soname()).contains("libfoo.so.1");
    assertThat(lib.isSharedLibrary()).isTrue();
    assertThat(lib.needed()).contains("libbar.so.1");
    List<ElfSymbol> dyn = lib.readSymbols(ElfFile.SymbolTable.DYNAMIC, foo);
    assertThat(dyn).anySatisfy(s -> {
      assertThat(s.name()).isEqualTo("foo");
      assertThat(s.isUndefined()).isFalse();
      assertThat(s.type()).isEqualTo(ElfSymbol.STT_FUNC);
    });
    assertThat(dyn).anySatisfy(s -> {
      assertThat(s.name()).isEqualTo("bar");
      assertThat(s.isUndefined()).isTrue();
    });
    Path prog = app.resolve("prog-disable");
    assertThat(ElfFile.read(prog).readSymbols(ElfFile.SymbolTable.STATIC, prog))
        .extracting(ElfSymbol::name).contains("main");
  }

  @Test
  void staticAndStaticPieExecutables() throws Exception {
    Path src = dir.resolve("src/plain.c");
    Path st = dir.resolve("static");
    Result r = run(tool("gcc", "-static", "-o", st.toString(), src.toString()));
    Assumptions.assumeTrue(r.exit() == 0, "no static libc: " + r.output());
    ElfFile s = ElfFile.read(st);
    assertThat(s.isDynamic()).isFalse();
    assertThat(s.interpreter()).isEmpty();
    assertThat(resolve(st).entries()).isEmpty();

    Path sp = dir.resolve("static-pie");
    Result r2 = run(tool("gcc", "-static-pie", "-o", sp.toString(), src.toString()));
    Assumptions.assumeTrue(r2.exit() == 0, "no static-pie support: " + r2.output());
    ElfFile p = ElfFile.read(sp);
    assertThat(p.isStaticPie()).isTrue();
    assertThat(p.isDynamic()).isFalse();
    assertThat(p.hasDynamicSection()).isTrue();
    assertThat(resolve(sp).entries()).isEmpty();
  }
}
