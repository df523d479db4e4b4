package dev.nanokit.tfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanokit.manifest.StringValue;
import dev.nanokit.testing.manifest.RandomCases;
import dev.nanokit.testing.tfs.GoldenVolumes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TfsEditorTest {
  @TempDir Path tmp;

  private static List<String> find(Path image) throws IOException {
    try (TfsVolume v = TfsVolume.open(image)) {
      return find(v);
    }
  }

  private static List<String> find(TfsVolume v) throws IOException {
    List<String> out = new ArrayList<>();
    v.walk(v.root(), n -> out.add(n.type().letter() + " " + n.size() + " " + n.path()
        + (n.linkTarget() != null ? " -> " + n.linkTarget() : "")));
    return out;
  }

  private static String cat(Path image, String path) throws IOException {
    try (TfsVolume v = TfsVolume.open(image); InputStream in = v.lookup(path, true).orElseThrow().newInputStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * ops leaves no free space in a volume (docs/formats/disk-image.md, "7.2 ops"); like a larger virtual disk under the
   * kernel, extra bytes at the end give an edit room.
   */
  static Path grow(Path image, long bytes) throws IOException {
    try (FileChannel ch = FileChannel.open(image, java.nio.file.StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[1]), ch.size() + bytes - 1);
    }
    return image;
  }

  private Path hostFile(String name, String content) throws IOException {
    Path p = tmp.resolve("host").resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
    return p;
  }

  @ParameterizedTest
  @ValueSource(strings = {"mkfs-small", "ops-small", "ops-small-v4", "kernel-written", "kernel-written-compacted"})
  void editsEveryGoldenVolume(String name) throws Exception {
    Path image = grow(GoldenVolumes.unpack(name, tmp), 2 << 20);
    List<String> before = find(image);
    Path big = tmp.resolve("big.bin");
    byte[] bigBytes = new byte[70_000];
    new java.util.Random(7).nextBytes(bigBytes);
    Files.write(big, bigBytes);

    try (TfsEditor e = TfsEditor.open(image)) {
      e.mkdir("/new/deeper", true);
      e.put(hostFile("hello.txt", "hello, nanos\n"), "/new/deeper/hello.txt");
      e.put(big, "/new/big.bin");
      e.symlink("deeper/hello.txt", "/new/link");
      e.setRootKey("program", StringValue.of("/new/deeper/hello.txt"));
      e.commit();
    }
    List<String> after = find(image);
    assertThat(after).containsAll(before.stream().filter(l -> !l.startsWith("d 0 /\n")).toList());
    assertThat(after).contains("d 0 /new", "d 0 /new/deeper", "f 13 /new/deeper/hello.txt",
        "l 0 /new/link -> deeper/hello.txt", "f 70000 /new/big.bin");
    assertThat(cat(image, "/new/link")).isEqualTo("hello, nanos\n");
    try (TfsVolume v = TfsVolume.open(image); InputStream in = v.lookup("/new/big.bin", true).orElseThrow().newInputStream()) {
      assertThat(in.readAllBytes()).isEqualTo(bigBytes);
      assertThat(v.rootTuple().get("program")).isEqualTo(StringValue.of("/new/deeper/hello.txt"));
      if (name.equals("ops-small-v4")) {
        // The kernel never writes v4: the edit went into a fresh v5 extension.
        assertThat(v.info().extensions().get(v.info().extensions().size() - 1).version()).isEqualTo(5);
      }
    }

    try (TfsEditor e = TfsEditor.open(image)) {
      e.remove("/new", true);
      e.commit();
    }
    assertThat(find(image)).isEqualTo(before);
  }

  @Test
  void manyEditsOverflowIntoNewExtensions() throws Exception {
    Path image = GoldenVolumes.unpack("mkfs-small", tmp);
    int extensionsBefore;
    try (TfsVolume v = TfsVolume.open(image)) {
      extensionsBefore = v.info().extensions().size();
    }
    // 4,500 records of ~240 bytes: about twice what one 512 KiB extension holds.
    for (int batch = 0; batch < 3; batch++) {
      try (TfsEditor e = TfsEditor.open(image)) {
        for (int i = 0; i < 1500; i++) {
          e.mkdir("/many/" + "d".repeat(220) + "-" + batch + "-" + i, true);
        }
        e.commit();
      }
    }
    try (TfsVolume v = TfsVolume.open(image)) {
      assertThat(v.lookup("/many", false).orElseThrow().childNames()).hasSize(4500);
      assertThat(v.info().extensions().size()).isGreaterThan(extensionsBefore);
      assertThat(v.info().extensions()).allSatisfy(x -> assertThat(x.blocks()).isIn(1L, 1024L));
    }
  }

  @Test
  void reusesFreedBlocks() throws Exception {
    Path image = grow(GoldenVolumes.unpack("ops-small", tmp), 1 << 20);
    Path a = hostFile("a.bin", "a".repeat(5000));
    try (TfsEditor e = TfsEditor.open(image)) {
      e.put(a, "/a.bin");
      e.commit();
    }
    long offset;
    try (TfsVolume v = TfsVolume.open(image)) {
      offset = v.lookup("/a.bin", false).orElseThrow().extents().get(0).offset();
    }
    try (TfsEditor e = TfsEditor.open(image)) {
      e.remove("/a.bin", false);
      // Blocks freed in this batch are not reused before it commits.
      e.put(hostFile("b.bin", "b".repeat(5000)), "/b.bin");
      e.commit();
    }
    try (TfsVolume v = TfsVolume.open(image)) {
      assertThat(v.lookup("/b.bin", false).orElseThrow().extents().get(0).offset()).isNotEqualTo(offset);
    }
    try (TfsEditor e = TfsEditor.open(image)) {
      e.put(hostFile("c.bin", "c".repeat(5000)), "/c.bin");
      e.commit();
    }
    try (TfsVolume v = TfsVolume.open(image)) {
      assertThat(v.lookup("/c.bin", false).orElseThrow().extents().get(0).offset()).isEqualTo(offset);
    }
    assertThat(cat(image, "/c.bin")).isEqualTo("c".repeat(5000));
  }

  @Test
  void aFullVolumeFailsBeforeWritingAnything() throws Exception {
    Path image = GoldenVolumes.unpack("ops-small", tmp);
    byte[] before = Files.readAllBytes(image);
    Path huge = tmp.resolve("huge.bin");
    try (FileChannel ch = FileChannel.open(huge, java.nio.file.StandardOpenOption.CREATE_NEW,
        java.nio.file.StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[1]), 10L << 20);
    }
    try (TfsEditor e = TfsEditor.open(image)) {
      assertThatThrownBy(() -> e.put(huge, "/huge.bin"))
          .isInstanceOf(TfsNoSpaceException.class)
          .hasMessageMatching("/huge.bin: needs 10486272 bytes of free space, \\d+ more than the volume has");
    }
    assertThat(Files.readAllBytes(image)).isEqualTo(before);
  }

  @Test
  void refusesEditsThatMakeNoSense() throws Exception {
    Path image = GoldenVolumes.unpack("mkfs-small", tmp);
    try (TfsEditor e = TfsEditor.open(image)) {
      assertThatThrownBy(() -> e.mkdir("/etc", false)).hasMessage("/etc: already exists");
      assertThatThrownBy(() -> e.mkdir("/x/y", false)).hasMessage("/x: no such directory");
      assertThatThrownBy(() -> e.remove("/lib", false)).hasMessage("/lib: directory not empty")
          .isInstanceOfSatisfying(TfsEditException.class,
              x -> assertThat(x.condition()).isEqualTo(TfsEditException.Condition.DIRECTORY_NOT_EMPTY));
      assertThatThrownBy(() -> e.remove("/nope", false)).hasMessage("/nope: no such file or directory");
      assertThatThrownBy(() -> e.symlink("x", "/etc/passwd")).hasMessage("/etc/passwd: already exists");
      assertThatThrownBy(() -> e.put(tmp, "/etc/passwd")).hasMessage("/etc/passwd: not a directory");
      assertThatThrownBy(() -> e.mkdir("/a/../b", true)).hasMessageContaining("cannot be a file name");
    }
  }

  /**
   * An edit interrupted after N bytes (N seeded) leaves the old or the new state, never a corrupt
   * volume: the commit byte is written last.
   */
  @Test
  void anInterruptedEditReadsAsTheOldOrTheNewState() throws Exception {
    Path pristine = GoldenVolumes.unpack("mkfs-small", tmp);
    List<String> oldState = find(pristine);
    Path work = tmp.resolve("work.img");
    Files.copy(pristine, work);
    Path file = hostFile("f.bin", "x".repeat(3000));
    editFully(work, file);
    List<String> newState = find(work);
    assertThat(newState).isNotEqualTo(oldState);

    RandomCases.run("interrupted edit", 40, (r, i) -> {
      try {
        Files.copy(pristine, work, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        long failAfter = r.nextInt(700_000);
        try (TfsEditor e = TfsEditor.open(work, TfsReadOptions.defaults(), ch -> new FailingSink(ch, failAfter))) {
          stage(e, file);
          e.commit();
        } catch (IOException expected) {
          assertThat(expected).hasMessageContaining("simulated");
        }
        assertThat(find(work)).isIn(oldState, newState);
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    });
  }

  private static void stage(TfsEditor e, Path file) throws IOException {
    for (int i = 0; i < 400; i++) {
      e.mkdir("/crash/" + "n".repeat(200) + i, true);
    }
    e.put(file, "/crash/f.bin");
    e.remove("/etc/passwd", false);
  }

  private static void editFully(Path image, Path file) throws IOException {
    try (TfsEditor e = TfsEditor.open(image)) {
      stage(e, file);
      e.commit();
    }
  }

  /** Writes through to the file until {@code budget} bytes are spent, then fails. */
  private static final class FailingSink implements TfsEditor.Sink {
    private final FileChannel ch;
    private long budget;

    FailingSink(FileChannel ch, long budget) {
      this.ch = ch;
      this.budget = budget;
    }

    @Override
    public void write(long offset, ByteBuffer bytes) throws IOException {
      int n = (int) Math.min(bytes.remaining(), budget);
      ByteBuffer part = bytes.duplicate();
      part.limit(part.position() + n);
      while (part.hasRemaining()) {
        offset += ch.write(part, offset);
      }
      budget -= n;
      if (n < bytes.remaining()) {
        throw new IOException("simulated failure after the byte budget");
      }
      bytes.position(bytes.limit());
    }

    @Override
    public void force() throws IOException {
      ch.force(false);
    }
  }

}
