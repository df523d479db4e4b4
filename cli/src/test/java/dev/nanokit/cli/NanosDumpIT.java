package dev.nanokit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nanokit.testing.tfs.GoldenVolumes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Volumes written by Nanos mkfs and by ops (both with no room to spare), grown by {@code tfs put} of a 3 MB
 * file, then read by Nanos's own {@code dump}: it lists the new file and copies out the same bytes.
 * Runs when NANOS_DUMP names a dump binary built from the Nanos sources; skipped with the reason otherwise.
 */
class NanosDumpIT {
  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"mkfs-small", "ops-small", "ops-small-v4"})
  void aGrownVolumeReadsWholeInNanosDump(String golden) throws Exception {
    String dump = System.getenv("NANOS_DUMP");
    assumeTrue(dump != null, "NANOS_DUMP is not set");
    Path image = GoldenVolumes.unpack(golden, tmp);
    long before = Files.size(image);
    byte[] data = new byte[3_000_000];
    new Random(7).nextBytes(data);
    Path three = Files.write(tmp.resolve("three.bin"), data);

    Cli.Result put = Cli.tfs("put", image.toString(), three.toString(), "/three.bin");
    assertThat(put.exit()).as(put.err()).isZero();
    assertThat(Files.size(image)).isGreaterThan(before);

    Process tree = new ProcessBuilder(dump, "-t", image.toString()).redirectErrorStream(true).start();
    String listing = new String(tree.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(tree.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(tree.exitValue()).as(listing).isZero();
    assertThat(listing).contains("three.bin");

    Path out = tmp.resolve("out");
    Process copy = new ProcessBuilder(dump, "-d", out.toString(), image.toString()).redirectErrorStream(true).start();
    String copied = new String(copy.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(copy.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(copy.exitValue()).as(copied).isZero();
    assertThat(out.resolve("three.bin")).hasBinaryContent(data);
  }
}
