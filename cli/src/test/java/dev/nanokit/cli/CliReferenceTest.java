package dev.nanokit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Model.CommandSpec;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Keeps the generated command-line reference in {@code docs/cli/} in step with the picocli model.
 *
 * <p>The reference is picocli-codegen's {@link ManPageGenerator} output (one AsciiDoc page per command
 * and subcommand) for {@code tfs}, {@code mkimage} and {@code nanokit}, with the lines that would make it depend on the
 * build (the project version, and any date) removed. The test regenerates it into a temporary
 * directory and fails, naming the file, when {@code docs/cli/} differs. To rewrite {@code docs/cli/}:
 *
 * <pre>
 * mvn -B -o -pl cli -am test -Dtest=CliReferenceTest -Dsurefire.failIfNoSpecifiedTests=false -Dnanokit.updateDocs=true
 * </pre>
 */
class CliReferenceTest {
  static final String REGENERATE =
      "mvn -B -o -pl cli -am test -Dtest=CliReferenceTest -Dsurefire.failIfNoSpecifiedTests=false"
          + " -Dnanokit.updateDocs=true";

  /** The checked-in reference: {@code docs/cli/} of the project root (surefire runs in the cli module). */
  static Path docsDir() {
    String basedir = System.getProperty("basedir", System.getProperty("user.dir"));
    return Paths.get(basedir).toAbsolutePath().getParent().resolve("docs").resolve("cli");
  }

  /** Generates every page into {@code dir} and returns file name → normalised contents. */
  static TreeMap<String, String> generate(Path dir) throws IOException {
    Files.createDirectories(dir);
    CommandSpec tfs = CommandRunner.commandLine(new TfsCommand(), new String[0]).getCommandSpec();
    CommandSpec mkimage = CommandRunner.commandLine(new MkimageCommand(), new String[0]).getCommandSpec();
    CommandSpec nanokit = CommandRunner.commandLine(new NanokitCommand(), new String[0]).getCommandSpec();
    int rc = ManPageGenerator.generateManPage(dir.toFile(), null, new boolean[0], true, tfs, mkimage, nanokit);
    assertThat(rc).as("ManPageGenerator exit code").isZero();
    TreeMap<String, String> pages = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.sorted().collect(Collectors.toList())) {
        pages.put(f.getFileName().toString(), normalise(Files.readString(f, StandardCharsets.UTF_8)));
      }
    }
    return pages;
  }

  /**
   * Removes what changes without the commands changing: {@code :mansource:} carries the project version
   * (from the version provider), which becomes plain {@code nanokit}; {@code :revdate:} and
   * {@code :revnumber:} lines (a date or version, should a generator add them) are dropped. Lines end with LF.
   */
  static String normalise(String page) {
    List<String> kept = new ArrayList<>();
    for (String line : page.replace("\r\n", "\n").split("\n", -1)) {
      if (line.startsWith(":revdate:") || line.startsWith(":revnumber:")) {
        continue;
      }
      kept.add(line.startsWith(":mansource:") ? ":mansource: nanokit" : line);
    }
    return String.join("\n", kept);
  }

  @Test
  void docsCliMatchesThePicocliModel(@TempDir Path tmp) throws IOException {
    TreeMap<String, String> generated = generate(tmp);
    assertThat(generated).containsKeys("tfs.adoc", "mkimage.adoc", "tfs-ls.adoc");
    Path docs = docsDir();
    if (Boolean.getBoolean("nanokit.updateDocs")) {
      Files.createDirectories(docs);
      try (Stream<Path> old = Files.list(docs)) {
        for (Path f : old.filter(p -> p.toString().endsWith(".adoc")).collect(Collectors.toList())) {
          Files.delete(f);
        }
      }
      for (var e : generated.entrySet()) {
        Files.writeString(docs.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
      }
      return;
    }
    List<String> problems = new ArrayList<>();
    String[] present = docs.toFile().list((d, n) -> n.endsWith(".adoc"));
    List<String> checkedIn = present == null ? List.of() : Arrays.stream(present).sorted().toList();
    for (String name : checkedIn) {
      if (!generated.containsKey(name)) {
        problems.add("docs/cli/" + name + " is not generated any more (no such command)");
      }
    }
    for (var e : generated.entrySet()) {
      Path f = docs.resolve(e.getKey());
      if (!Files.exists(f)) {
        problems.add("docs/cli/" + e.getKey() + " is missing");
      } else if (!Files.readString(f, StandardCharsets.UTF_8).equals(e.getValue())) {
        problems.add("docs/cli/" + e.getKey() + " is stale");
      }
    }
    assertThat(problems)
        .as("The CLI reference in " + docs + File.separator + " differs from the picocli model. Regenerate it"
            + " with:%n  " + REGENERATE + "%nand commit docs/cli/.")
        .isEmpty();
  }

  @Test
  void generationIsDeterministic(@TempDir Path tmp) throws IOException {
    assertThat(generate(tmp.resolve("a"))).isEqualTo(generate(tmp.resolve("b")));
  }
}
