package dev.nanokit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanokit.testing.manifest.TestPrograms;
import dev.nanokit.testing.tfs.GoldenVolumes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** tfs resize, and tfs put/mkdir/ln/set growing an image that lacks room (--no-grow: the old error). */
class ResizeCommandTest {
  private static final long MIB = 1 << 20;
  @TempDir Path tmp;

  private Path threeMegabytes() throws Exception {
    byte[] b = new byte[3 * 1000 * 1000];
    new Random(3).nextBytes(b);
    return Files.write(tmp.resolve("three.bin"), b);
  }

  @ParameterizedTest
  @ValueSource(strings = {"mkfs-small", "ops-small"})
  void aThreeMegabytePutGrowsTheVolumeFirst(String name) throws Exception {
    Path image = GoldenVolumes.unpack(name, tmp);
    long size = Files.size(image);
    String before = Cli.tfs("find", "-l", image.toString()).out();
    Path three = threeMegabytes();

    Cli.Result refused = Cli.tfs("put", "--no-grow", image.toString(), three.toString(), "/three.bin");
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.errLine()).startsWith("tfs: " + image + ": /three.bin: needs 3000320 bytes of free space, ");
    assertThat(Files.size(image)).isEqualTo(size);

    Cli.Result put = Cli.tfs("put", image.toString(), three.toString(), "/three.bin");
    assertThat(put.exit()).as(put.err()).isZero();
    long grown = Files.size(image);
    assertThat(grown).isGreaterThan(size).isLessThanOrEqualTo(size + 4 * MIB);
    assertThat(put.errLine()).isEqualTo("tfs: note: " + image + " grown from " + size + " to " + grown
        + " bytes to make room (--no-grow fails instead)");
    assertThat(Cli.tfs("cat", image.toString(), "/three.bin").rawOut()).isEqualTo(Files.readAllBytes(three));
    // The tree is as it was, plus the new file.
    String after = Cli.tfs("find", "-l", image.toString()).out();
    assertThat(after.replace("f 3000000 /three.bin\n", "")).isEqualTo(before);
  }

  /** Fills the log's last extension of a volume without free blocks until not even a small record fits. */
  private static void fillTheLog(Path image) {
    int key = 0;
    for (int value : new int[] {10_000, 1_000, 100, 10}) {
      while (Cli.tfs("set", "--no-grow", image.toString(), "k" + key + "=" + "v".repeat(value)).exit() == 0) {
        key++;
      }
    }
  }

  @Test
  void setGrowsAnOpsVolumeForARecordItsLogCannotHold() throws Exception {
    Path image = GoldenVolumes.unpack("ops-small", tmp);
    long size = Files.size(image);
    Cli.Result refused = Cli.tfs("set", "--no-grow", image.toString(), "big=" + "x".repeat(600_000));
    assertThat(refused.errLine()).isEqualTo("tfs: " + image + ": no free run of 524288 bytes for a new log extension");
    assertThat(Files.size(image)).isEqualTo(size);
    Cli.Result set = Cli.tfs("set", image.toString(), "big=" + "x".repeat(600_000));
    assertThat(set.exit()).as(set.err()).isZero();
    assertThat(Files.size(image)).isGreaterThan(size);
    assertThat(Cli.tfs("manifest", image.toString()).out()).contains("big:" + "x".repeat(600_000));
  }

  @Test
  void mkdirAndLnGrowAVolumeWhoseLogIsFull() throws Exception {
    Path image = GoldenVolumes.unpack("ops-small", tmp);
    fillTheLog(image);
    long size = Files.size(image);
    byte[] full = Files.readAllBytes(image);
    String name = "/" + "d".repeat(200);
    Cli.Result refused = Cli.tfs("mkdir", "--no-grow", image.toString(), name);
    assertThat(refused.errLine()).isEqualTo("tfs: " + image + ": no free run of 524288 bytes for a new log extension");
    assertThat(Files.readAllBytes(image)).isEqualTo(full);
    Cli.Result mkdir = Cli.tfs("mkdir", image.toString(), name);
    assertThat(mkdir.exit()).as(mkdir.err()).isZero();
    assertThat(Files.size(image)).isEqualTo(size + MIB);
    assertThat(Cli.tfs("find", "-l", image.toString(), name).out()).isEqualTo("d 0 " + name + "\n");

    fillTheLog(image);
    long before = Files.size(image);
    Cli.Result ln = Cli.tfs("ln", "-s", image.toString(), name, "/" + "l".repeat(200));
    assertThat(ln.exit()).as(ln.err()).isZero();
    assertThat(ln.errLine()).startsWith("tfs: note: " + image + " grown from " + before + " to ");
    assertThat(Cli.tfs("find", "-l", image.toString(), "/" + "l".repeat(200)).out())
        .isEqualTo("l 0 /" + "l".repeat(200) + " -> " + name + "\n");
  }

  @Test
  void theBootFilesystemNeverGrows() throws Exception {
    Path kernel = TestPrograms.staticElf(tmp.resolve("k"));
    Path program = TestPrograms.staticElf(tmp.resolve("p"));
    Path disk = tmp.resolve("disk.img");
    assertThat(Cli.mkimage(Map.of(), tmp.resolve("home"), "--program", program.toString(), "--kernel", kernel.toString(),
        "-o", disk.toString()).exit()).isZero();
    byte[] big = new byte[13 << 20];
    Path file = Files.write(tmp.resolve("big.bin"), big);
    long size = Files.size(disk);
    Cli.Result r = Cli.tfs("put", "--boot", disk.toString(), file.toString(), "/big.bin");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.errLine()).startsWith("tfs: " + disk + ": /big.bin: needs ");
    assertThat(Files.size(disk)).isEqualTo(size);
  }

  @Test
  void noGrowKeepsTodaysErrorForAPut() throws Exception {
    Path image = GoldenVolumes.unpack("ops-small", tmp);
    byte[] before = Files.readAllBytes(image);
    Cli.Result r = Cli.tfs("put", "--no-grow", image.toString(), threeMegabytes().toString(), "/three.bin");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.errLine()).isEqualTo("tfs: " + image + ": /three.bin: needs 3000320 bytes of free space, 3000320 more"
        + " than the volume has");
    assertThat(Files.readAllBytes(image)).isEqualTo(before);
  }

  @Test
  void resizeGrowsByOrTo() throws Exception {
    Path image = GoldenVolumes.unpack("mkfs-small", tmp);
    long size = Files.size(image);
    Cli.Result plus = Cli.tfs("resize", image.toString(), "+16M");
    assertThat(plus.exit()).as(plus.err()).isZero();
    assertThat(plus.out()).isEqualTo(image + ": " + size + " -> " + (size + 16 * MIB) + " bytes\n");
    assertThat(Cli.tfs("info", image.toString()).out()).contains("size: " + (size + 16 * MIB) + "\n");
    Cli.Result to = Cli.tfs("resize", image.toString(), "64m");
    assertThat(to.out()).isEqualTo(image + ": " + (size + 16 * MIB) + " -> " + 64 * MIB + " bytes\n");
    assertThat(Files.size(image)).isEqualTo(64 * MIB);

    Cli.Result shrink = Cli.tfs("resize", image.toString(), "1M");
    assertThat(shrink.exit()).isEqualTo(1);
    assertThat(shrink.errLine()).isEqualTo("tfs: " + image + ": is " + 64 * MIB + " bytes; " + MIB
        + " would shrink it, and images never shrink");
    Cli.Result bad = Cli.tfs("resize", image.toString(), "lots");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.errLine()).isEqualTo("tfs: size 'lots': expected N or +N, with K, M, G or T for KiB, MiB, GiB, TiB"
        + " (see 'tfs resize --help')");
    assertThat(Cli.tfs("resize", tmp.resolve("absent.img").toString(), "+1M").errLine())
        .isEqualTo("tfs: " + tmp.resolve("absent.img") + ": no such file");
  }

  @Test
  void aDiskImageGrowsItsRootPartition() throws Exception {
    Path kernel = TestPrograms.staticElf(tmp.resolve("k"));
    Path program = TestPrograms.staticElf(tmp.resolve("p"));
    Path disk = tmp.resolve("disk.img");
    assertThat(Cli.mkimage(Map.of(), tmp.resolve("home"), "--program", program.toString(), "--kernel", kernel.toString(),
        "-o", disk.toString()).exit()).isZero();
    long size = Files.size(disk);
    String before = Cli.tfs("info", disk.toString()).out();
    String boot = before.lines().filter(l -> l.startsWith("  0 boot ")).findFirst().orElseThrow();
    String root = before.lines().filter(l -> l.startsWith("  1 root ")).findFirst().orElseThrow();
    long rootOffset = Long.parseLong(root.replaceAll(".* offset ([0-9]+) .*", "$1"));
    assertThat(root).endsWith(" length " + (size - rootOffset));
    assertThat(Cli.tfs("resize", disk.toString(), "+8M").exit()).isZero();
    String info = Cli.tfs("info", disk.toString()).out();
    assertThat(Files.size(disk)).isEqualTo(size + 8 * MIB);
    // The root entry's length follows the file; the boot filesystem's entry is untouched.
    assertThat(info).contains(boot + "\n", "  1 root type 83 offset " + rootOffset + " length " + (size + 8 * MIB - rootOffset) + "\n");
    assertThat(Cli.tfs("ls", "--boot", disk.toString(), "/").out()).isEqualTo("kernel\n");
    Path three = threeMegabytes();
    assertThat(Cli.tfs("put", disk.toString(), three.toString(), "/three.bin").exit()).isZero();
    assertThat(Cli.tfs("cat", disk.toString(), "/three.bin").rawOut()).isEqualTo(Files.readAllBytes(three));
  }
}
