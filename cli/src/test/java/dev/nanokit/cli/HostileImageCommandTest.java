package dev.nanokit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanokit.manifest.IntegerValue;
import dev.nanokit.testing.manifest.RandomCases;
import dev.nanokit.tfs.HostileVolumes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The hostile classes of {@link HostileVolumes} through every reading command, as a user meets
 * them: each command ends with exit 0 and nothing on stderr, or exit 1 and exactly one line
 * {@code tfs: IMAGE: …}; a volume the reader must refuse makes the commands that walk it exit 1;
 * {@code cp -r} writes nothing outside DEST and {@code export} and {@code manifest} write no more
 * than a stated multiple of the image (file bytes the size limit lets through aside).
 */
class HostileImageCommandTest {
  static final int CASES_PER_SEED = 3;
  /** export writes headers and padding: at most this many times the image, plus the file bytes. */
  static final long OUTPUT_FACTOR = 8;

  @TempDir Path tmp;

  @ParameterizedTest
  @EnumSource(HostileVolumes.Kind.class)
  void everyCommandEndsWithExitZeroOrOneLineAndExitOne(HostileVolumes.Kind kind) {
    RandomCases.run("hostile cli " + kind, CASES_PER_SEED, (r, i) -> {
      try {
        runCase(HostileVolumes.generate(kind, r), kind + "-" + i);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  private void runCase(HostileVolumes.Case c, String id) throws IOException {
    Path dir = Files.createDirectory(tmp.resolve(id + "-" + System.nanoTime()));
    Path img = dir.resolve("image.img");
    Files.write(img, c.image());
    Path dest = Files.createDirectory(dir.resolve("dest"));
    String limit = Long.toString(HostileVolumes.MAX_FILE_BYTES);
    List<Cli.Result> walking = new ArrayList<>();
    Cli.Result info = check(c, img, Cli.tfs("info", img.toString()));
    walking.add(check(c, img, Cli.tfs("find", "-l", img.toString())));
    Cli.Result tree = check(c, img, Cli.tfs("tree", img.toString()));
    walking.add(check(c, img, Cli.tfs("cp", "-r", "--max-file-size", limit, img.toString(), "/", dest.toString())));
    Path tar = dir.resolve("out.tar");
    walking.add(check(c, img, Cli.tfs("export", "--max-file-size", limit, "-o", tar.toString(), img.toString())));
    Cli.Result manifest = check(c, img, Cli.tfs("manifest", "--all", img.toString()));
    check(c, img, Cli.tfs("stat", img.toString(), "/big"));
    Cli.Result cat = check(c, img, Cli.tfs("cat", "--max-file-size", limit, img.toString(), "/big"));

    if (c.refusal() != null && !c.refusal().isEmpty()) {
      if (c.refusal().equals("(maxFileBytes)")) {
        assertThat(cat.exit()).as("%s: cat", c).isEqualTo(1);
        assertThat(cat.errLine()).contains("--max-file-size raises it");
      } else {
        assertThat(walking).as("%s: find, cp and export", c).allMatch(x -> x.exit() == 1);
      }
      if (!c.refusal().startsWith("(maxFileBytes)") && !c.refusal().startsWith("does not fit")) {
        assertThat(info.exit()).as("%s: info walks the tree too", c).isEqualTo(1);
        assertThat(tree.exit()).as("%s: so does tree", c).isEqualTo(1);
      }
    }
    if (c.refusal() == null) {
      walking.add(info);
      walking.add(tree);
      assertThat(walking).as("%s must read", c).allMatch(x -> x.exit() == 0);
    }
    // Nothing outside DEST: the case directory holds only what the commands were told to write.
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString())).isSubsetOf("image.img", "dest", "out.tar");
    }
    long fileBytes = 0;
    try (Stream<Path> s = Files.walk(dest)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        assertThat(p.toAbsolutePath().normalize()).startsWith(dest.toAbsolutePath().normalize());
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          fileBytes += Files.size(p);
        }
      }
    }
    long bound = OUTPUT_FACTOR * c.image().length + fileBytes;
    if (Files.exists(tar)) {
      assertThat(Files.size(tar)).as("%s: export size", c).isLessThanOrEqualTo(bound + HostileVolumes.MAX_FILE_BYTES);
    }
    assertThat((long) manifest.out().length()).as("%s: manifest size", c)
        .isLessThanOrEqualTo(ManifestCommand.MANIFEST_CHARS_PER_METADATA_BYTE * c.image().length
            + ManifestCommand.MANIFEST_CHARS_FLOOR + 4096);
  }

  private static Cli.Result check(HostileVolumes.Case c, Path img, Cli.Result r) {
    assertThat(r.exit()).as("%s: exit of %s", c, r.err()).isIn(0, 1);
    if (r.exit() == 0) {
      assertThat(r.err()).as("%s: stderr", c).isEmpty();
    } else {
      assertThat(r.errLine()).as("%s", c).startsWith("tfs: " + img + ": ");
    }
    return r;
  }

  /** The example: 2^62 bytes behind one extent of a small volume; the default limit refuses it. */
  @Test
  void aFileOfTwoToTheSixtySecondBytesIsRefusedByDefaultAndCpKeepsHolesSparse() throws Exception {
    Path img = tmp.resolve("big.img");
    Files.write(img, HostileVolumes.fileOfLength(IntegerValue.of(1L << 62), new Random(1)));
    for (String[] args : new String[][] {{"cat", img.toString(), "/big"},
        {"cp", img.toString(), "/big", tmp.resolve("big").toString()},
        {"export", "-o", tmp.resolve("big.tar").toString(), img.toString()}}) {
      Cli.Result r = Cli.tfs(args);
      assertThat(r.exit()).as(args[0]).isEqualTo(1);
      assertThat(r.errLine()).matches(java.util.regex.Pattern.quote("tfs: " + img + ": /big: file of 4611686018427387904"
          + " bytes exceeds the limit of 1099511627776 bytes (maxFileBytes) at byte offset ") + "[0-9]+"
          + java.util.regex.Pattern.quote("; --max-file-size raises it"));
    }
    assertThat(tmp.resolve("big.tar")).doesNotExist();

    // 1 GiB that is one block of data and a hole: cp writes the block and seeks over the hole.
    Path holey = tmp.resolve("holey.img");
    Files.write(holey, HostileVolumes.fileOfLength(IntegerValue.of(1L << 30), new Random(2)));
    Cli.Result cp = Cli.tfs("cp", holey.toString(), "/big", tmp.resolve("out").toString());
    assertThat(cp.err()).isEmpty();
    assertThat(Files.size(tmp.resolve("out"))).isEqualTo(1L << 30);
    Process stat = new ProcessBuilder("stat", "-c", "%b %B", tmp.resolve("out").toString()).start();
    String[] blocks = new String(stat.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII)
        .trim().split(" ");
    assertThat(stat.waitFor()).isZero();
    assertThat(Long.parseLong(blocks[0]) * Long.parseLong(blocks[1])).as("bytes allocated on the host")
        .isLessThan(1L << 20);
  }

  @Test
  void aDecimalLengthBeyondSixtyFourBitsIsRefusedAtFindAndExport() throws Exception {
    Path img = tmp.resolve("wrap.img");
    Files.write(img, HostileVolumes.fileOfLength(dev.nanokit.manifest.StringValue.of("9223372036854775808"),
        new Random(3)));
    for (String[] args : new String[][] {{"find", "-l", img.toString()},
        {"export", "-o", tmp.resolve("w.tar").toString(), img.toString()}}) {
      Cli.Result r = Cli.tfs(args);
      assertThat(r.exit()).as(args[0]).isEqualTo(1);
      assertThat(r.errLine()).matches(java.util.regex.Pattern.quote("tfs: " + img + ": /big: filelength"
          + " \"9223372036854775808\" does not fit in 64 signed bits at byte offset ") + "[0-9]+");
    }
  }

  /** A config that names no program is a bad input file (exit 1), not a usage error (exit 2). */
  @Test
  void aConfigWithANullProgramIsABadInputFile() throws Exception {
    Path cfg = tmp.resolve("config.json");
    Files.writeString(cfg, "{\"Program\": null}");
    Cli.Result r = Cli.mkimage("-c", cfg.toString(), "--no-boot", "-o", tmp.resolve("x.img").toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.errLine()).isEqualTo("mkimage: " + cfg + ": no Program (null, empty or missing); give one there or"
        + " --program PATH");
  }

  /**
   * e_phnum = PN_XNUM with section 0's sh_info = 0: no program headers, so nothing to load; Linux
   * answers ENOEXEC, and mkimage must not build an image around it.
   */
  @Test
  void anElfWithNoLoadableSegmentIsRefused() throws Exception {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(128).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0}).put(new byte[8]);
    b.putShort((short) 2).putShort((short) 62).putInt(1).putLong(0x401000).putLong(64).putLong(64);
    b.putInt(0).putShort((short) 64).putShort((short) 56).putShort((short) 0xFFFF).putShort((short) 64)
        .putShort((short) 1).putShort((short) 0);
    // Section header 0 at 64: all zero, so sh_info (the real program header count) is 0.
    Path program = tmp.resolve("noload");
    Files.write(program, b.array());
    Path out = tmp.resolve("noload.img");
    Cli.Result r = Cli.mkimage("--no-boot", "--program", program.toString(), "-o", out.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.errLine()).startsWith("mkimage: ").endsWith(program + ": no loadable segment (PT_LOAD): not a program"
        + " Linux or Nanos can run");
    assertThat(out).doesNotExist();
  }

  /** A chain deeper than the walk's limit, built one record per level: cp -r refuses it before writing. */
  @Test
  void cpRecursiveAppliesTheDepthLimitAndWritesNothing() throws Exception {
    dev.nanokit.manifest.codec.TupleEncoder enc = new dev.nanokit.manifest.codec.TupleEncoder(
        dev.nanokit.manifest.codec.TupleEncoding.V5);
    dev.nanokit.manifest.Tuple children = new dev.nanokit.manifest.Tuple();
    dev.nanokit.testing.tfs.RawVolume v = new dev.nanokit.testing.tfs.RawVolume(300, "", 5, 256)
        .tuple(enc.encodeRecord(new dev.nanokit.manifest.Tuple().put("children", children)));
    for (int i = 0; i < 600; i++) {
      dev.nanokit.manifest.Tuple next = new dev.nanokit.manifest.Tuple();
      children.put("d", new dev.nanokit.manifest.Tuple().put("children", next));
      v.tuple(enc.encodeRecord(children));
      children = next;
    }
    Path img = tmp.resolve("deep.img");
    Files.write(img, v.build());
    Path dest = Files.createDirectory(tmp.resolve("dest"));
    Cli.Result r = Cli.tfs("cp", "-r", img.toString(), "/", dest.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.errLine()).startsWith("tfs: " + img + ": /d/d/d/").containsPattern(": directories nested deeper than 512"
        + " \\(maxTupleDepth\\) at byte offset [0-9]+$").hasSizeLessThan(600);
    try (Stream<Path> s = Files.list(dest)) {
      assertThat(s).isEmpty();
    }
  }

  /** A root configuration that contains itself cannot be printed; the one line names the image. */
  @Test
  void aCyclicRootConfigurationIsRefusedNamingTheImage() throws Exception {
    dev.nanokit.manifest.Tuple env = new dev.nanokit.manifest.Tuple();
    env.put("self", env);
    dev.nanokit.manifest.Tuple root = new dev.nanokit.manifest.Tuple().put("children", new dev.nanokit.manifest.Tuple())
        .put("environment", env);
    Path img = tmp.resolve("cycle.img");
    Files.write(img, new dev.nanokit.testing.tfs.RawVolume(HostileVolumes.BLOCKS, "", 5, HostileVolumes.EXTENSION_BLOCKS)
        .tuple(new dev.nanokit.manifest.codec.TupleEncoder(dev.nanokit.manifest.codec.TupleEncoding.V5).encodeRecord(root)).build());
    Cli.Result r = Cli.tfs("manifest", img.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.errLine()).isEqualTo("tfs: " + img + ": root tuple: value graph contains a cycle; it cannot be written"
        + " as a manifest");
  }
}
