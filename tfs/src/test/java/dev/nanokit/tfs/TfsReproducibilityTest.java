package dev.nanokit.tfs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanokit.manifest.IntegerValue;
import dev.nanokit.manifest.Tuple;
import dev.nanokit.manifest.Value;
import dev.nanokit.testing.tfs.WrittenLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Same input, same bytes: whatever the host's listing order, times, permissions; time only on request. */
class TfsReproducibilityTest {
  @TempDir Path tmp;

  /** name → contents (null = directory, "->x" = symlink to x), in the order they are created. */
  static final List<String[]> TREE = List.of(
      new String[] {"etc", null},
      new String[] {"etc/passwd", "root:x:0:0:root:/root:/bin/nobash"},
      new String[] {"etc/hostname", "box\n"},
      new String[] {"lib", null},
      new String[] {"lib/deep", null},
      new String[] {"lib/deep/big.bin", "B".repeat(70_000)},
      new String[] {"lib/deep/empty", ""},
      new String[] {"lib/rel", "->../etc/passwd"},
      new String[] {"with space", null},
      new String[] {"with space/héllo wörld.txt", "hello world\n"},
      new String[] {"abs", "->/etc/hostname"},
      new String[] {"empty-dir", null},
      new String[] {"Zeta", "z"},
      new String[] {"alpha", "a"});

  static Path build(Path dir, List<String[]> entries, long mtimeSeconds, String perms) throws IOException {
    Files.createDirectories(dir);
    for (String[] e : entries) {
      Path p = dir.resolve(e[0]);
      if (e[1] == null) {
        Files.createDirectories(p);
      } else if (e[1].startsWith("->")) {
        Files.createDirectories(p.getParent());
        Files.createSymbolicLink(p, Path.of(e[1].substring(2)));
      } else {
        Files.createDirectories(p.getParent());
        Files.writeString(p, e[1], StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
      }
    }
    // times last, deepest first, so creating children does not bump them again
    List<String[]> reversed = new ArrayList<>(entries);
    Collections.reverse(reversed);
    for (String[] e : reversed) {
      Path p = dir.resolve(e[0]);
      if (e[1] == null || !e[1].startsWith("->")) {
        Files.setLastModifiedTime(p, FileTime.from(Instant.ofEpochSecond(mtimeSeconds)));
      }
    }
    Files.setLastModifiedTime(dir, FileTime.from(Instant.ofEpochSecond(mtimeSeconds)));
    return dir;
  }

  static TfsWriter writer(Path hostTree) throws IOException {
    return TfsWriter.create().setLabel("repro").addTree("/", hostTree).setRootKey("program", "/etc/passwd");
  }

  @Test
  void theSameTreeWrittenTwiceGivesTheSameBytes() throws IOException {
    Path host = build(tmp.resolve("a"), TREE, 1_600_000_000L, "rw-r--r--");
    Path one = tmp.resolve("one.img");
    Path two = tmp.resolve("two.img");
    TfsWriteResult r1 = writer(host).writeTo(one);
    TfsWriteResult r2 = writer(host).writeTo(two);
    assertThat(Files.mismatch(one, two)).isEqualTo(-1);
    assertThat(r1).isEqualTo(r2);
  }

  @Test
  void listingOrderTimesAndPermissionsOfTheHostDoNotMatter() throws IOException {
    List<String[]> shuffled = new ArrayList<>(TREE);
    Collections.shuffle(shuffled, new Random(42));
    // parents must exist before children: sort by depth, keep the shuffled order otherwise
    shuffled.sort((x, y) -> Long.compare(x[0].chars().filter(c -> c == '/').count(),
        y[0].chars().filter(c -> c == '/').count()));
    Path a = build(tmp.resolve("a"), TREE, 1_600_000_000L, "rw-r--r--");
    Path b = build(tmp.resolve("b"), shuffled, 1_700_000_123L, "rwx------");
    Path one = tmp.resolve("one.img");
    Path two = tmp.resolve("two.img");
    writer(a).writeTo(one);
    writer(b).writeTo(two);
    assertThat(Files.mismatch(one, two)).isEqualTo(-1);

    // and the same tree added entry by entry, in reverse order, gives the same bytes too
    TfsWriter w = TfsWriter.create().setLabel("repro").setRootKey("program", "/etc/passwd");
    List<String[]> reversed = new ArrayList<>(TREE);
    Collections.reverse(reversed);
    for (String[] e : reversed) {
      if (e[1] == null) {
        w.addDirectory(e[0]);
      } else if (e[1].startsWith("->")) {
        w.addSymlink(e[0], e[1].substring(2));
      } else {
        w.addFile(e[0], e[1].getBytes(StandardCharsets.UTF_8));
      }
    }
    Path three = tmp.resolve("three.img");
    w.writeTo(three);
    assertThat(Files.mismatch(one, three)).isEqualTo(-1);
  }

  @Test
  void sourceDateEpochChangesOnlyTheTimes() throws IOException {
    Path host = build(tmp.resolve("a"), TREE, 1_600_000_000L, "rw-r--r--");
    Path none = tmp.resolve("none.img");
    Path e1 = tmp.resolve("e1.img");
    Path e2 = tmp.resolve("e2.img");
    byte[] uuid = TfsWriterTest.SPEC_UUID;
    writer(host).setUuid(uuid).writeTo(none);
    writer(host).setUuid(uuid).setTimestamps(TfsTimestamps.fromSourceDateEpoch(Map.of("SOURCE_DATE_EPOCH", "1000000000")))
        .writeTo(e1);
    writer(host).setUuid(uuid).setTimestamps(TfsTimestamps.fromSourceDateEpoch(Map.of("SOURCE_DATE_EPOCH", "2000000000")))
        .writeTo(e2);

    Tuple rootNone = WrittenLog.read(none).decode().root();
    Tuple root1 = WrittenLog.read(e1).decode().root();
    Tuple root2 = WrittenLog.read(e2).decode().root();
    assertThat(countMtimes(rootNone, 0)).isZero();
    int entries = 1 + TREE.size();
    assertThat(countMtimes(root1, 1_000_000_000L << 32)).isEqualTo(entries);
    assertThat(countMtimes(root2, 2_000_000_000L << 32)).isEqualTo(entries);
    stripMtimes(root1);
    stripMtimes(root2);
    assertThat(root1).isEqualTo(rootNone);
    assertThat(root2).isEqualTo(rootNone);

    // on disk: block 0 and the data are identical; only the log extension differs
    byte[] a = Files.readAllBytes(e1);
    byte[] b = Files.readAllBytes(e2);
    assertThat(a.length).isEqualTo(b.length);
    assertThat(Arrays.mismatch(a, 0, 512, b, 0, 512)).isEqualTo(-1);
    assertThat(Arrays.mismatch(a, 1025 * 512, a.length, b, 1025 * 512, b.length)).isEqualTo(-1);
    assertThat(Arrays.mismatch(a, 512, 1025 * 512, b, 512, 1025 * 512)).isNotEqualTo(-1);

    try (TfsVolume v = TfsVolume.open(e1)) {
      v.walk(v.root(), n -> assertThat(n.mtime()).as(n.path()).contains(Instant.ofEpochSecond(1_000_000_000L)));
    }
  }

  @Test
  void nameOrderIsUtf8ByteOrder() {
    Random rnd = new Random(7);
    int[] pool = {'a', 'B', '.', '-', 0x7f, 0xe9, 0x7ff, 0x800, 0xd7ff, 0xe000, 0xff21, 0xffff, 0x10000, 0x1f600};
    for (int i = 0; i < 2000; i++) {
      String x = randomName(rnd, pool);
      String y = randomName(rnd, pool);
      int want = Integer.signum(Arrays.compareUnsigned(x.getBytes(StandardCharsets.UTF_8), y.getBytes(StandardCharsets.UTF_8)));
      assertThat(Integer.signum(TfsReproducibility.NAME_ORDER.compare(x, y))).as(x + " vs " + y).isEqualTo(want);
    }
  }

  private static String randomName(Random rnd, int[] pool) {
    StringBuilder sb = new StringBuilder();
    int n = rnd.nextInt(4);
    for (int i = 0; i < n; i++) {
      sb.appendCodePoint(pool[rnd.nextInt(pool.length)]);
    }
    return sb.toString();
  }

  private static int countMtimes(Tuple t, long expected) {
    int n = 0;
    Value m = t.get("mtime");
    if (m != null) {
      assertThat(m).isEqualTo(IntegerValue.of(expected));
      n++;
    }
    Tuple children = t.getTuple("children");
    if (children != null) {
      for (Value v : children.entries().values()) {
        n += countMtimes((Tuple) v, expected);
      }
    }
    return n;
  }

  private static void stripMtimes(Tuple t) {
    t.remove("mtime");
    Tuple children = t.getTuple("children");
    if (children != null) {
      for (Value v : children.entries().values()) {
        stripMtimes((Tuple) v);
      }
    }
  }
}
