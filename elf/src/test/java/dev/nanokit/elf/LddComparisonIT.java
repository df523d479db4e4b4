package dev.nanokit.elf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Compares the static resolver with the host's glibc loader (via ldd) on real executables. Paths
 * are compared after realpath, because the loader reports the path it opened while the question is
 * which files end up in the image.
 */
class LddComparisonIT {
  private static final int LIMIT = Integer.getInteger("nanokit.lddLimit", 200);

  @Test
  void agreesWithLddOnHostExecutables() throws Exception {
    Path ldd = Path.of("/usr/bin/ldd");
    Assumptions.assumeTrue(Files.isExecutable(ldd), "ldd not available");
    Assumptions.assumeTrue(Files.isDirectory(Path.of("/usr/bin")), "/usr/bin missing");

    Set<Path> programs = new TreeSet<>();
    try (Stream<Path> s = Files.list(Path.of("/usr/bin"))) {
      for (Path p : (Iterable<Path>) s.sorted()::iterator) {
        if (programs.size() >= LIMIT) {
          break;
        }
        try {
          Path real = p.toRealPath();
          if (!Files.isRegularFile(real) || programs.contains(real)) {
            continue;
          }
          ElfFile elf = ElfFile.read(real);
          if (elf.isDynamic() && elf.architecture() == hostArch()) {
            programs.add(real);
          }
        } catch (IOException notElf) {
          // scripts and unreadable files are not part of the comparison
        }
      }
    }
    Assumptions.assumeTrue(!programs.isEmpty(), "no dynamic executables in /usr/bin");

    LibraryResolver resolver = LibraryResolver.builder().build();
    int compared = 0;
    int agreed = 0;
    List<String> differences = new ArrayList<>();
    for (Path program : programs) {
      LddResult expected = runLdd(program);
      if (expected == null) {
        continue;
      }
      compared++;
      ResolvedLibraries r = resolver.resolve(program);
      Set<String> actual = new TreeSet<>();
      for (ResolvedLibraries.FileEntry f : r.files()) {
        actual.add(f.hostPath().toRealPath().toString());
      }
      Set<String> actualMissing = new TreeSet<>(r.missing());
      if (actual.equals(expected.files) && actualMissing.equals(expected.missing)) {
        agreed++;
      } else {
        Set<String> onlyOurs = new TreeSet<>(actual);
        onlyOurs.removeAll(expected.files);
        Set<String> onlyLdd = new TreeSet<>(expected.files);
        onlyLdd.removeAll(actual);
        differences.add(program + ": only nanokit " + onlyOurs + ", only ldd " + onlyLdd
            + ", missing nanokit " + actualMissing + " ldd " + expected.missing);
      }
    }
    differences.forEach(d -> System.out.println("ldd difference: " + d));
    System.out.println("ldd agreement: " + agreed + " of " + compared + " executables");
    Assumptions.assumeTrue(compared > 0, "ldd produced no usable output");
    assertThat(agreed * 100.0 / compared).as("agreement %% (%s)", differences)
        .isGreaterThanOrEqualTo(98.0);
  }

  private static Architecture hostArch() {
    String a = System.getProperty("os.arch");
    return switch (a) {
      case "amd64", "x86_64" -> Architecture.X86_64;
      case "aarch64" -> Architecture.AARCH64;
      case "riscv64" -> Architecture.RISCV64;
      default -> Architecture.OTHER;
    };
  }

  private record LddResult(Set<String> files, Set<String> missing) {}

  private static LddResult runLdd(Path program) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder("ldd", program.toString()).redirectErrorStream(true);
    pb.environment().remove("LD_LIBRARY_PATH");
    pb.environment().remove("LD_PRELOAD");
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      return null;
    }
    Set<String> files = new TreeSet<>();
    Set<String> missing = new TreeSet<>();
    for (String raw : new String(out, StandardCharsets.UTF_8).split("\n")) {
      String line = raw.trim();
      if (line.isEmpty() || line.startsWith("linux-vdso.so") || line.contains("statically linked")) {
        continue;
      }
      if (line.contains("not found")) {
        missing.add(line.substring(0, line.indexOf(" =>")).trim());
        continue;
      }
      String path = line.contains("=>") ? line.substring(line.indexOf("=>") + 2).trim() : line;
      int paren = path.indexOf(" (");
      if (paren >= 0) {
        path = path.substring(0, paren);
      }
      if (!path.startsWith("/")) {
        continue;
      }
      files.add(Path.of(path).toRealPath().toString());
    }
    return new LddResult(files, missing);
  }
}
