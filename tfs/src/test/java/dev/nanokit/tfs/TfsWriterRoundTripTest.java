package dev.nanokit.tfs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanokit.testing.tfs.GoldenVolumes;
import dev.nanokit.testing.tfs.Listing;
import dev.nanokit.testing.tfs.VolumeInvariants;
import dev.nanokit.testing.tfs.WrittenLog;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Write → read with the package's reader: the golden small tree (taken out of each reference
 * writer's volume onto the host, then written again) must list exactly as {@code small-tree.expected}.
 */
class TfsWriterRoundTripTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @CsvSource({"mkfs-small, 5", "mkfs-small, 4", "ops-small, 5", "ops-small-v4, 4"})
  void theGoldenSmallTreeSurvivesAWriteAndARead(String golden, int version) throws IOException {
    Path image = GoldenVolumes.unpack(golden, tmp);
    Path host = tmp.resolve("host");
    try (TfsVolume v = TfsVolume.open(image)) {
      copyOut(v, host);
    }
    Path out = tmp.resolve("again.img");
    TfsWriteResult r = TfsWriter.create().setVersion(version).setLabel("golden").addTree("/", host).writeTo(out);
    try (TfsVolume v = TfsVolume.open(out)) {
      assertThat(Listing.of(v)).isEqualTo(GoldenVolumes.expected("small-tree"));
      TfsVolumeInfo info = v.info();
      assertThat(info.version()).isEqualTo(version);
      assertThat(info.label()).isEqualTo("golden");
      assertThat(info.files()).isEqualTo(r.files());
      assertThat(info.directories()).isEqualTo(r.directories());
      assertThat(info.symlinks()).isEqualTo(r.symlinks());
      assertThat(info.usedBytes()).isEqualTo(r.usedBlocks() * 512);
    }
    TfsWriterTest.assertNamesDefinedOnce(WrittenLog.read(out).decode());
  }

  static void copyOut(TfsVolume v, Path host) throws IOException {
    Files.createDirectories(host);
    v.walk(v.root(), n -> {
      if (n.path().equals("/")) {
        return;
      }
      Path p = host.resolve(n.path().substring(1));
      switch (n.type()) {
        case DIRECTORY -> Files.createDirectories(p);
        case SYMLINK -> Files.createSymbolicLink(p, Path.of(n.linkTarget()));
        case FILE -> {
          try (InputStream in = n.newInputStream()) {
            Files.copy(in, p);
          }
        }
        default -> throw new AssertionError(n);
      }
    });
  }

  /**
   * Differential: random trees (nested directories, files of edge and random sizes, symlinks, names
   * in and out of ASCII) given to the writer are what the reader lists and returns, byte for byte,
   * and the volume passes every {@link VolumeInvariants} check.
   */
  @org.junit.jupiter.api.Test
  void randomTreesReadBackAsWritten() {
    int cases = Boolean.getBoolean("nanokit.pit") ? 5 : 25;
    String[] names = {"a", "b", "lib", "x.so.1", "\u00e9t\u00e9", "Z", "0", "children", "long-" + "n".repeat(200)};
    dev.nanokit.testing.manifest.RandomCases.run("TfsWriter random trees", cases, (random, c) -> {
      java.util.TreeMap<String, Object> want = new java.util.TreeMap<>(); // path -> byte[] | String | Boolean(dir)
      java.util.List<String> dirs = new java.util.ArrayList<>(java.util.List.of("/"));
      TfsWriter w = TfsWriter.create().setVersion(random.nextBoolean() ? 5 : 4).setUuid(new byte[16]);
      int n = random.nextInt(40);
      for (int i = 0; i < n; i++) {
        String dir = dirs.get(random.nextInt(dirs.size()));
        String path = (dir.equals("/") ? "/" : dir + "/") + names[random.nextInt(names.length)];
        if (want.containsKey(path)) {
          continue;
        }
        switch (random.nextInt(3)) {
          case 0 -> {
            w.addDirectory(path);
            want.put(path, Boolean.TRUE);
            dirs.add(path);
          }
          case 1 -> {
            int[] sizes = {0, 1, 511, 512, 513, 65536 * 512 + 1};
            int size = random.nextInt(4) == 0 ? sizes[random.nextInt(sizes.length - (random.nextInt(8) == 0 ? 0 : 1))]
                : random.nextInt(20000);
            byte[] b = new byte[size];
            random.nextBytes(b);
            w.addFile(path, b);
            want.put(path, digest(b)); // a digest, not the bytes: a case may hold several 32 MiB files
          }
          default -> {
            String target = random.nextBoolean() ? "/" + names[random.nextInt(names.length)] : "../x";
            w.addSymlink(path, target);
            want.put(path, target);
          }
        }
      }
      try {
        Path out = tmp.resolve("r" + c + ".img");
        TfsWriteResult r = w.writeTo(out);
        try (TfsVolume v = TfsVolume.open(out)) {
          VolumeInvariants.Counts counts = VolumeInvariants.check(v);
          assertThat(counts.files()).isEqualTo(r.files());
          java.util.TreeMap<String, Object> got = new java.util.TreeMap<>();
          v.walk(v.root(), node -> {
            if (node.path().equals("/")) {
              return;
            }
            switch (node.type()) {
              case DIRECTORY -> got.put(node.path(), Boolean.TRUE);
              case SYMLINK -> got.put(node.path(), node.linkTarget());
              default -> {
                try (java.io.InputStream in = node.newInputStream()) {
                  java.security.MessageDigest md = sha256();
                  byte[] buffer = new byte[1 << 16];
                  for (int k; (k = in.read(buffer)) > 0; ) {
                    md.update(buffer, 0, k);
                  }
                  got.put(node.path(), java.util.HexFormat.of().formatHex(md.digest()));
                }
              }
            }
          });
          assertThat(got.keySet()).containsExactlyElementsOf(want.keySet());
          for (String k : want.keySet()) {
            assertThat(got.get(k)).as(k).isEqualTo(want.get(k));
          }
        }
        java.nio.file.Files.delete(out);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  private static java.security.MessageDigest sha256() {
    try {
      return java.security.MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private static String digest(byte[] b) {
    return java.util.HexFormat.of().formatHex(sha256().digest(b));
  }
}
