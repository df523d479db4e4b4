package dev.nanokit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanokit.manifest.Tuple;
import dev.nanokit.manifest.codec.TupleEncoder;
import dev.nanokit.manifest.codec.TupleEncoding;
import dev.nanokit.testing.tfs.GoldenVolumes;
import dev.nanokit.testing.tfs.RawVolume;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TfsCommandTest {
  @TempDir static Path shared;
  static Path golden;
  static String expected;

  @TempDir Path tmp;

  @BeforeAll
  static void unpackGolden() throws IOException {
    golden = GoldenVolumes.unpack("mkfs-small", shared);
    expected = GoldenVolumes.expected("small-tree");
  }

  /** Files that are not volumes are named for what they are: one line, exit 1. */
  /** tfs --help lists each command by its first description line: a whole sentence, never cut. */
  @Test
  void everyCommandSummaryIsAWholeSentenceAndAnUnknownCommandIsNamed() {
    for (Object main : new Object[] {new TfsCommand(), new NanokitCommand()}) {
      picocli.CommandLine cl = CommandRunner.commandLine(main, new String[0]);
      cl.getSubcommands().forEach((name, sub) -> assertThat(sub.getCommandSpec().usageMessage().description()[0])
          .as(name).endsWith("."));
    }
    Cli.Result bogus = Cli.tfs("bogus", "x.img");
    assertThat(bogus.exit()).isEqualTo(2);
    assertThat(bogus.err()).startsWith("tfs: unknown command 'bogus' (commands: ls, tree, find, cat, ").endsWith(
        ", set, resize) (see 'tfs --help')\n");
    assertThat(Cli.tfs("ls", "--bogus", "x.img").errLine()).startsWith("tfs: Unknown option: '--bogus'");
  }

  @Test
  void aDirectoryAnEmptyFileCompressedDataAndJsonSayWhatTheyAre() throws Exception {
    Path dir = java.nio.file.Files.createDirectories(tmp.resolve("a-dir"));
    Cli.Result onDir = Cli.tfs("ls", dir.toString());
    assertThat(onDir.exit()).isEqualTo(1);
    assertThat(onDir.err()).isEqualTo("tfs: " + dir + ": is a directory, not a TFS volume\n");
    Path empty = java.nio.file.Files.createFile(tmp.resolve("empty.img"));
    assertThat(Cli.tfs("info", empty.toString()).err()).isEqualTo("tfs: " + empty + ": empty file, not a TFS volume at byte offset 0\n");
    Path gz = tmp.resolve("golden.img.gz");
    try (java.io.OutputStream out = new java.util.zip.GZIPOutputStream(java.nio.file.Files.newOutputStream(gz))) {
      java.nio.file.Files.copy(golden, out);
    }
    assertThat(Cli.tfs("ls", gz.toString()).err())
        .isEqualTo("tfs: " + gz + ": not a TFS volume: gzip-compressed data (decompress it first) at byte offset 0\n");
    Path json = java.nio.file.Files.writeString(tmp.resolve("config.json"), "{\"Args\": [\"x\"]}\n");
    Cli.Result mkfs = Cli.tfs("mkfs", "--manifest", json.toString(), tmp.resolve("m.img").toString());
    assertThat(mkfs.exit()).isEqualTo(1);
    assertThat(mkfs.errLine()).endsWith(json + ":1:1: this looks like JSON (an ops config?), not manifest text: a manifest"
        + " starts with '('");
  }

  @Test
  void findListsEveryPathInByteOrder() {
    Cli.Result r = Cli.tfs("find", "-l", golden.toString());
    assertThat(r.exit()).isZero();
    String withoutHashes = expected.lines().map(l -> l.replaceAll(" sha256=[0-9a-f]+$", ""))
        .collect(Collectors.joining("\n", "", "\n"));
    assertThat(r.out()).isEqualTo(withoutHashes);
    assertThat(r.err()).isEmpty();

    assertThat(Cli.tfs("find", golden.toString(), "lib").out())
        .isEqualTo("/lib\n/lib/deep\n/lib/deep/er\n/lib/deep/er/still\n/lib/deep/er/still/m1.bin\n/lib/rel-link\n");
  }

  @Test
  void lsListsNamesAndLongForm() throws Exception {
    assertThat(Cli.tfs("ls", golden.toString(), "/etc").out()).isEqualTo("passwd\n");
    assertThat(Cli.tfs("ls", "-l", golden.toString(), "lib").out())
        .isEqualTo("d 0 - deep\nl 0 - rel-link -> ../b512.bin\n");
    Cli.Result json = Cli.tfs("ls", "--json", golden.toString(), "/with space");
    JsonNode array = new ObjectMapper().readTree(json.out());
    assertThat(array).hasSize(1);
    assertThat(array.get(0).get("name").asText()).isEqualTo("héllo wörld.txt");
    assertThat(array.get(0).get("size").asLong()).isEqualTo(13);
    assertThat(array.get(0).get("type").asText()).isEqualTo("file");
    // ls follows a symlink to a directory, as ls(1) does without -l.
    assertThat(Cli.tfs("ls", golden.toString(), "/dir-link").out()).isEqualTo("er\n");
  }

  @Test
  void treeIndentsEntries() {
    Cli.Result r = Cli.tfs("tree", golden.toString(), "/lib");
    assertThat(r.out()).isEqualTo("/lib\n├── deep/\n│   └── er/\n│       └── still/\n│           └── m1.bin\n└── rel-link -> ../b512.bin\n");
  }

  @Test
  void catWritesBytesAndFollowsSymlinks() {
    assertThat(new String(Cli.tfs("cat", golden.toString(), "/abs-link").rawOut()))
        .isEqualTo("root:x:0:0:root:/root:/bin/nobash\n");
    Cli.Result dir = Cli.tfs("cat", golden.toString(), "/etc");
    assertThat(dir.exit()).isEqualTo(1);
    assertThat(dir.errLine()).isEqualTo("tfs: " + golden + ": /etc: is a directory");
  }

  @Test
  void cpCopiesATreeOutWithSymlinksAsSymlinks() throws Exception {
    Path dest = tmp.resolve("out");
    Files.createDirectory(dest);
    Cli.Result r = Cli.tfs("cp", "-r", golden.toString(), "/", dest.toString());
    assertThat(r.err()).isEmpty();
    assertThat(r.exit()).isZero();
    for (String line : expected.split("\n")) {
      String[] f = line.split(" ", 3);
      Path p = dest.resolve(f[2].substring(1).replaceAll(" (sha256=|-> ).*$", ""));
      switch (f[0]) {
        case "f" -> assertThat(line).endsWith("sha256=" + sha256(p));
        case "l" -> assertThat(line).endsWith("-> " + Files.readSymbolicLink(p));
        default -> assertThat(p).isDirectory();
      }
    }
    Cli.Result noRecursion = Cli.tfs("cp", golden.toString(), "/etc", tmp.toString());
    assertThat(noRecursion.exit()).isEqualTo(1);
    assertThat(noRecursion.errLine()).isEqualTo("tfs: " + golden + ": /etc: is a directory (use -r)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a/b", "nul\0", "", "../x"})
  void cpRefusesNamesThatCouldEscape(String name) throws Exception {
    Tuple root = new Tuple().put("children", new Tuple().put("d", new Tuple().put("children",
        new Tuple().put(name, new Tuple().put("extents", new Tuple())))));
    byte[] image = new RawVolume(1100, "", 5).tuple(new TupleEncoder(TupleEncoding.V5).encodeRecord(root)).build();
    Path img = tmp.resolve("evil.img");
    Files.write(img, image);
    Path dest = tmp.resolve("dest");
    Files.createDirectory(dest);
    Cli.Result r = Cli.tfs("cp", "-r", img.toString(), "/d", dest.toString());
    assertThat(r.exit()).isEqualTo(1);
    // A name with '/' (or none) is not one component: the reader refuses it before cp looks at it.
    assertThat(r.errLine()).startsWith("tfs: " + img + ": /d").containsAnyOf("refusing unsafe entry name",
        "is empty or contains '/' at byte offset ");
    try (var s = Files.list(tmp)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("evil.img", "dest");
    }
  }

  /** A link already in DEST never redirects a write: directories refuse it, files replace the link itself. */
  @Test
  void cpNeverWritesThroughSymlinksAlreadyInDest() throws Exception {
    Path outside = Files.createDirectory(tmp.resolve("outside"));
    Path victim = Files.writeString(outside.resolve("passwd"), "keep me");
    Path dest = Files.createDirectory(tmp.resolve("dest"));
    Files.createSymbolicLink(dest.resolve("etc"), outside);
    Cli.Result dir = Cli.tfs("cp", "-r", golden.toString(), "/etc", dest.toString());
    assertThat(dir.exit()).isEqualTo(1);
    assertThat(dir.errLine()).isEqualTo("tfs: " + dest.resolve("etc") + ": refusing to write through a symlink");
    Files.createSymbolicLink(dest.resolve("one.bin"), victim);
    assertThat(Cli.tfs("cp", golden.toString(), "/one.bin", dest.toString()).exit()).isZero();
    assertThat(Files.isSymbolicLink(dest.resolve("one.bin"))).isFalse();
    assertThat(Files.readString(victim)).isEqualTo("keep me");
  }

  /** "." and ".." are never stored (docs/formats/tfs.md, "6.2 Directories"): a reader ignores them, so cp copies nothing for them. */
  @ParameterizedTest
  @ValueSource(strings = {"..", "."})
  void cpIgnoresDotEntries(String name) throws Exception {
    Tuple root = new Tuple().put("children", new Tuple().put("d", new Tuple().put("children",
        new Tuple().put(name, new Tuple().put("linktarget", "/etc")))));
    Path img = tmp.resolve("dots.img");
    Files.write(img, new RawVolume(1100, "", 5).tuple(new TupleEncoder(TupleEncoding.V5).encodeRecord(root)).build());
    Path dest = tmp.resolve("dest");
    Files.createDirectory(dest);
    Cli.Result r = Cli.tfs("cp", "-r", img.toString(), "/d", dest.toString());
    assertThat(r.exit()).isZero();
    try (var s = Files.list(dest.resolve("d"))) {
      assertThat(s).isEmpty();
    }
  }

  @Test
  void findJsonListsWhatFindLongListsInTheSameOrder() throws Exception {
    Cli.Result r = Cli.tfs("find", "--json", golden.toString());
    assertThat(r.exit()).isZero();
    JsonNode rows = new ObjectMapper().readTree(r.out());
    StringBuilder asLong = new StringBuilder();
    for (JsonNode row : rows) {
      String type = row.get("type").asText();
      asLong.append(type.charAt(0) == 'd' ? 'd' : type.charAt(0) == 'f' ? 'f' : 'l').append(' ')
          .append(row.get("size").asLong()).append(' ').append(row.get("path").asText());
      if (row.has("target")) {
        asLong.append(" -> ").append(row.get("target").asText());
      }
      asLong.append('\n');
    }
    assertThat(asLong.toString()).isEqualTo(Cli.tfs("find", "-l", golden.toString()).out());
  }

  @Test
  void statAndInfoDescribeTheVolume() throws Exception {
    Cli.Result stat = Cli.tfs("stat", "--json", golden.toString(), "/lib/deep/er/still/m1.bin");
    JsonNode o = new ObjectMapper().readTree(stat.out());
    assertThat(o.get("path").asText()).isEqualTo("/lib/deep/er/still/m1.bin");
    assertThat(o.get("size").asLong()).isEqualTo(1048583);
    long blocks = 0;
    for (JsonNode x : o.get("extents")) {
      blocks += x.get("length").asLong();
    }
    assertThat(blocks).isEqualTo((1048583 + 511) / 512);
    // The text form says what the extent numbers count.
    JsonNode first = o.get("extents").get(0);
    long offset = first.get("offset").asLong();
    long length = first.get("length").asLong();
    assertThat(Cli.tfs("stat", golden.toString(), "/lib/deep/er/still/m1.bin").out())
        .contains("size: 1048583 bytes\n", "extents: " + o.get("extents").size() + " (in 512-byte blocks)\n",
            "  file block 0: volume block " + offset + " (byte offset " + offset * 512 + "), " + length + " blocks ("
                + length * 512 + " bytes), " + first.get("allocated").asLong() + " allocated\n");

    Cli.Result info = Cli.tfs("info", golden.toString());
    assertThat(info.out()).contains("version: 5\n", "label: golden\n", "files: 9\n", "symlinks: 3\n", "directories: 8\n");
    JsonNode infoJson = new ObjectMapper().readTree(Cli.tfs("info", "--json", golden.toString()).out());
    assertThat(infoJson.get("logExtensions").get(1).get("blocks").asInt()).isEqualTo(1024);
  }

  @Test
  void usageErrorsExitTwoWithOneLine() {
    Cli.Result unknown = Cli.tfs("ls", "--bogus", golden.toString());
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.errLine()).startsWith("tfs: Unknown option: '--bogus'");
    Cli.Result missing = Cli.tfs("cat", golden.toString());
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.errLine()).contains("Missing required parameter");
    Cli.Result noCommand = Cli.tfs();
    assertThat(noCommand.exit()).isEqualTo(2);
    assertThat(noCommand.errLine()).isEqualTo("tfs: missing command (see 'tfs --help')");
    assertThat(Cli.tfs("frobnicate").exit()).isEqualTo(2);
  }

  @Test
  void failuresExitOneWithOneLineAndTheOffset() throws Exception {
    Path corrupt = tmp.resolve("corrupt.img");
    byte[] bytes = Files.readAllBytes(golden);
    bytes[512 + 9] = 0x09;
    Files.write(corrupt, bytes);
    Cli.Result r = Cli.tfs("ls", corrupt.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.errLine()).isEqualTo("tfs: " + corrupt + ": unknown log record type 0x09 at byte offset 521");

    Cli.Result withTrace = Cli.tfs("ls", "--stacktrace", corrupt.toString());
    assertThat(withTrace.err()).contains("at dev.nanokit.tfs.log.LogReader");

    Cli.Result absent = Cli.tfs("info", tmp.resolve("absent.img").toString());
    assertThat(absent.exit()).isEqualTo(1);
    assertThat(absent.errLine()).isEqualTo("tfs: " + tmp.resolve("absent.img") + ": no such file");

    Cli.Result noPath = Cli.tfs("stat", golden.toString(), "/nope");
    assertThat(noPath.errLine()).isEqualTo("tfs: " + golden + ": /nope: no such file or directory");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ls", "tree", "find", "cat", "cp", "stat", "info", "manifest", "put", "mkdir", "rm", "ln", "set"})
  void everySubcommandHasHelp(String sub) {
    Cli.Result r = Cli.tfs(sub, "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith("Usage: tfs " + sub);
  }

  @Test
  void versionAndHelp() {
    assertThat(Cli.tfs("--version").out()).startsWith("nanokit ");
    assertThat(Cli.tfs("--help").out()).contains("Usage: tfs", "find");
    assertThat(Cli.mkimage("--help").out()).contains("Usage: mkimage", "--no-boot");
  }

  private static String sha256(Path p) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
  }
}
