package dev.nanokit.tfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Host files opened ahead of the copy: in layout order, failures where they belong, nothing left open or running. */
class HostFileOpenerTest {
  @TempDir Path tmp;

  @Test
  void filesComeInLayoutOrderWithStreamsOpenedByTheCaller() throws IOException {
    TfsWriterTree tree = new TfsWriterTree();
    Map<TfsWriterTree.File, String> texts = new IdentityHashMap<>();
    for (int i = 0; i < 100; i++) {
      Path host = Files.writeString(tmp.resolve("f" + i), "file " + i);
      TfsWriterTree.File f = new TfsWriterTree.File(Files.size(host), TfsWriterTree.hostFile(host));
      tree.put(String.format("/d%d/f%03d", i % 7, i), f);
      texts.put(f, "file " + i);
    }
    byte[] streamed = "from a stream".getBytes(StandardCharsets.UTF_8);
    TfsWriterTree.File s = new TfsWriterTree.File(streamed.length,
        TfsWriterTree.stream(() -> new ByteArrayInputStream(streamed), "/d3/s"));
    tree.put("/d3/s", s);
    texts.put(s, "from a stream");

    List<TfsWriterTree.File> files = new ArrayList<>();
    DataLayout.forEachFile(tree, (directory, name, file) -> files.add(file));
    List<String> read = new ArrayList<>();
    try (HostFileOpener opener = new HostFileOpener(tree)) {
      for (TfsWriterTree.File f : files) {
        try (ReadableByteChannel ch = opener.open(f)) {
          read.add(contents(ch));
        }
      }
    }
    assertThat(read).isEqualTo(files.stream().map(texts::get).toList()).contains("from a stream").hasSize(101);
    assertThat(openerThreads()).isEmpty();
  }

  @Test
  void aFileThatCannotBeOpenedFailsWhereItIsInLayoutOrder() throws IOException {
    TfsWriterTree tree = new TfsWriterTree();
    for (int i = 0; i < 10; i++) {
      Path host = tmp.resolve("f" + i);
      if (i != 4 && i != 7) {
        Files.writeString(host, "x");
      }
      tree.put("/f" + i, new TfsWriterTree.File(1, TfsWriterTree.hostFile(host)));
    }
    List<TfsWriterTree.File> files = new ArrayList<>();
    DataLayout.forEachFile(tree, (directory, name, file) -> files.add(file));
    try (HostFileOpener opener = new HostFileOpener(tree)) {
      for (int i = 0; i < 4; i++) {
        opener.open(files.get(i)).close();
      }
      assertThatThrownBy(() -> opener.open(files.get(4))).isInstanceOf(NoSuchFileException.class)
          .hasMessageContaining("f4");
    }
    assertThat(openerThreads()).as("closed with files still opened ahead").isEmpty();
  }

  @Test
  void closingEarlyClosesEveryFileOpenedAhead() throws IOException {
    Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs /proc/self/fd to see open files");
    TfsWriterTree tree = new TfsWriterTree();
    for (int i = 0; i < 100; i++) {
      tree.put("/e" + i, new TfsWriterTree.File(1, TfsWriterTree.hostFile(Files.writeString(tmp.resolve("e" + i), "x"))));
    }
    List<TfsWriterTree.File> files = new ArrayList<>();
    DataLayout.forEachFile(tree, (directory, name, file) -> files.add(file));
    try (HostFileOpener opener = new HostFileOpener(tree)) {
      opener.open(files.get(0)).close();
      opener.open(files.get(1)).close();
      assertThat(openUnder(tmp)).as("files opened ahead").isNotEmpty();
    }
    assertThat(openUnder(tmp)).isEmpty();
    assertThat(openerThreads()).isEmpty();
  }

  /** The files under {@code dir} this process has open. */
  private static List<Path> openUnder(Path dir) throws IOException {
    List<Path> open = new ArrayList<>();
    try (var fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : fds.toList()) {
        try {
          Path target = Files.readSymbolicLink(fd);
          if (target.startsWith(dir)) {
            open.add(target);
          }
        } catch (IOException closedMeanwhile) {
          // the listing's own descriptor, or one closed since
        }
      }
    }
    return open;
  }

  @Test
  void aWriterWhoseFileVanishedFailsAndLeavesNoOpenerRunning() throws IOException {
    TfsWriter w = TfsWriter.create();
    for (int i = 0; i < 200; i++) {
      w.addFile("/d/f" + i, Files.writeString(tmp.resolve("w" + i), "data " + i));
    }
    Files.delete(tmp.resolve("w7"));
    assertThatThrownBy(() -> w.writeTo(tmp.resolve("out.img"))).isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("w7");
    assertThat(tmp.resolve("out.img")).doesNotExist();
    assertThat(openerThreads()).isEmpty();
  }

  private static String contents(ReadableByteChannel ch) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(64);
    while (ch.read(b) >= 0 && b.hasRemaining()) {
      // until the end
    }
    return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
  }

  private static List<String> openerThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
        .filter(n -> n.startsWith("tfs-data-opener")).toList();
  }
}
