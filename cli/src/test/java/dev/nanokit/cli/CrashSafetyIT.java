package dev.nanokit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanokit.testing.tfs.GoldenVolumes;
import dev.nanokit.tfs.TfsVolume;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills {@code tfs put} and {@code mkimage} in a child JVM ({@code destroyForcibly}) at seeded random
 * moments: the edited volume must read as its old or its new state, and OUT must be the previous
 * complete image or the new one — never anything in between. A full disk (the file-size limit of
 * {@code ulimit -f}, which makes writes past it fail with EFBIG as a full disk fails them with ENOSPC)
 * gives exit 1, one line on stderr and the previous state.
 */
class CrashSafetyIT {
  private static final Path JAR = Path.of("target", "nanokit.jar").toAbsolutePath();
  private static final long SEED = Long.getLong("nanokit.seed", System.nanoTime());
  @TempDir static Path tmp;
  static Path hostTree;

  @BeforeAll
  static void hostTree() throws IOException {
    System.out.println("[CrashSafetyIT] seed " + SEED + " (replay with -Dnanokit.seed=" + SEED + ")");
    hostTree = tmp.resolve("tree");
    Random r = new Random(1);
    for (int i = 0; i < 150; i++) {
      Path f = hostTree.resolve("d" + (i % 7)).resolve("f" + i + ".bin");
      Files.createDirectories(f.getParent());
      byte[] b = new byte[50_000 + r.nextInt(100_000)];
      r.nextBytes(b);
      Files.write(f, b);
    }
  }

  private static Process start(String main, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-cp", JAR.toString(), main));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
  }

  private static int run(String main, String... args) throws Exception {
    Process p = start(main, args);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return p.exitValue();
  }

  private static void killAfter(Process p, long millis) throws InterruptedException {
    if (!p.waitFor(millis, TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** Paths, types, sizes and content hashes: a volume's state as a string. */
  private static String state(Path image) throws Exception {
    StringBuilder sb = new StringBuilder();
    try (TfsVolume v = TfsVolume.open(image)) {
      v.walk(v.root(), n -> {
        sb.append(n.type().letter()).append(' ').append(n.size()).append(' ').append(n.path());
        if (n.type() == dev.nanokit.tfs.TfsNodeType.FILE) {
          try (InputStream in = n.newInputStream()) {
            sb.append(' ').append(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes())));
          } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
          }
        }
        sb.append('\n');
      });
    }
    return sb.toString();
  }

  private static Path golden(String name) throws IOException {
    Path out = GoldenVolumes.unpack("mkfs-small", Files.createTempDirectory(tmp, name));
    try (FileChannel ch = FileChannel.open(out, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[1]), ch.size() + (40L << 20));
    }
    return out;
  }

  @Test
  void aKilledPutLeavesTheOldOrTheNewState() throws Exception {
    Path pristine = golden("pristine.img");
    String oldState = state(pristine);
    Path done = tmp.resolve("done.img");
    Files.copy(pristine, done);
    assertThat(run("dev.nanokit.cli.TfsMain", "put", done.toString(), hostTree.toString(), "/")).isZero();
    String newState = state(done);
    assertThat(newState).isNotEqualTo(oldState);

    Random r = new Random(SEED);
    int sawOld = 0;
    int sawNew = 0;
    for (int i = 0; i < 10; i++) {
      Path work = tmp.resolve("work" + i + ".img");
      Files.copy(pristine, work);
      long killAt = 150 + r.nextInt(900);
      killAfter(start("dev.nanokit.cli.TfsMain", "put", work.toString(), hostTree.toString(), "/"), killAt);
      String s = state(work);
      assertThat(s).as("state after a kill at %d ms (seed %d)", killAt, SEED).isIn(oldState, newState);
      if (s.equals(oldState)) {
        sawOld++;
      } else {
        sawNew++;
      }
      Files.delete(work);
    }
    System.out.println("[CrashSafetyIT] put: " + sawOld + " old, " + sawNew + " new");
  }

  @Test
  void aKilledMkimageLeavesThePreviousImageOrTheNewOne() throws Exception {
    Path program = staticProgram();
    Path out = tmp.resolve("out.img");
    // Same file name: the image name is part of the content (IMAGE_NAME).
    Path expected = Files.createDirectories(tmp.resolve("expected")).resolve("out.img");
    String[] args = {"--no-boot", "--program", program.toString(), "--dir", hostTree + ":/data", "-o", null};
    args[args.length - 1] = expected.toString();
    assertThat(run("dev.nanokit.cli.MkimageMain", args)).isZero();
    byte[] newBytes = Files.readAllBytes(expected);
    byte[] previous = "previous image".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    Random r = new Random(SEED ^ 0x5eed);
    for (int i = 0; i < 10; i++) {
      Files.write(out, previous);
      args[args.length - 1] = out.toString();
      long killAt = 100 + r.nextInt(900);
      killAfter(start("dev.nanokit.cli.MkimageMain", args), killAt);
      byte[] now = Files.readAllBytes(out);
      assertThat(java.util.Arrays.equals(now, previous) || java.util.Arrays.equals(now, newBytes))
          .as("OUT after a kill at %d ms (seed %d) is neither the previous nor the new image", killAt, SEED).isTrue();
    }
  }

  /** Runs {@code main} under {@code ulimit -f kib}; returns exit status and stderr. */
  private static String[] runLimited(long kib, String main, String... args) throws Exception {
    StringBuilder cmd = new StringBuilder("ulimit -f " + kib + " && exec");
    List<String> words = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-cp", JAR.toString(), main));
    words.addAll(List.of(args));
    for (String w : words) {
      cmd.append(" '").append(w.replace("'", "'\\''")).append('\'');
    }
    Process p = new ProcessBuilder("bash", "-c", cmd.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    String err = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new String[] {String.valueOf(p.exitValue()), err};
  }

  private static boolean haveBash() {
    return dev.nanokit.testing.manifest.TestTools.onPath("bash").isPresent();
  }

  @Test
  void aFullDiskFailsMkimageWithOneLineAndLeavesThePreviousImage() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(haveBash(), "bash (for ulimit -f) is not installed");
    Path dir = Files.createDirectories(tmp.resolve("full"));
    Path out = dir.resolve("out.img");
    byte[] previous = "previous image".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    Random r = new Random(SEED ^ 0xf011);
    for (int i = 0; i < 4; i++) {
      Files.write(out, previous);
      long kib = 1 + r.nextInt(20_000);
      String[] res = runLimited(kib, "dev.nanokit.cli.MkimageMain", "--no-boot", "--program", staticProgram().toString(),
          "--dir", hostTree + ":/data", "-o", out.toString());
      assertThat(res[0]).as("exit status under ulimit -f %d (seed %d): %s", kib, SEED, res[1]).isEqualTo("1");
      assertThat(res[1]).matches("mkimage: .*out\\.img: File too large\n");
      assertThat(Files.readAllBytes(out)).isEqualTo(previous);
      try (java.util.stream.Stream<Path> left = Files.list(dir)) {
        assertThat(left).containsExactly(out);
      }
    }
  }

  @Test
  void aFullDiskFailsPutWithOneLineAndLeavesTheOldState() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(haveBash(), "bash (for ulimit -f) is not installed");
    Path pristine = golden("pristine-full.img");
    String oldState = state(pristine);
    long size = Files.size(pristine);
    Random r = new Random(SEED ^ 0xf012);
    int succeeded = 0;
    for (int i = 0; i < 4; i++) {
      Path work = tmp.resolve("full" + i + ".img");
      Files.copy(pristine, work);
      // Below the volume's size: a write into its tail (new data or a log extension) fails.
      long kib = i == 0 ? 64 : 64 + r.nextInt((int) (size >> 10) - 64);
      String[] res = runLimited(kib, "dev.nanokit.cli.TfsMain", "put", work.toString(), hostTree.toString(), "/");
      if (res[0].equals("0")) {
        assertThat(state(work)).isNotEqualTo(oldState);
        succeeded++;
      } else {
        assertThat(res[0]).as("exit status under ulimit -f %d (seed %d): %s", kib, SEED, res[1]).isEqualTo("1");
        assertThat(res[1]).as("stderr").matches("tfs: .*File too large\n");
        assertThat(state(work)).as("state after a failed put under ulimit -f %d (seed %d)", kib, SEED).isEqualTo(oldState);
      }
      Files.delete(work);
    }
    System.out.println("[CrashSafetyIT] put under ulimit -f: " + (4 - succeeded) + " failed cleanly, " + succeeded
        + " fitted");
    assertThat(succeeded).as("the 64 KiB limit must make one put fail").isLessThan(4);
  }

  private static Path staticProgram() throws IOException {
    return dev.nanokit.testing.manifest.TestPrograms.staticElf(tmp.resolve("hello-static"));
  }
}
