package dev.nanokit.tfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A host tree listed on two threads is the tree, and fails where a walk in listing order fails first. */
class HostTreeWalkerTest {
  @TempDir Path tmp;

  @Test
  void listsDirectoriesFilesAndSymlinksInNameOrder() throws IOException {
    Path root = tmp.resolve("root");
    for (int d = 0; d < 30; d++) {
      Path dir = Files.createDirectories(root.resolve("d" + d).resolve("sub"));
      Files.write(dir.resolve("f.txt"), new byte[d]);
      Files.createSymbolicLink(root.resolve("d" + d).resolve("link"), Path.of("sub/f.txt"));
    }
    Files.write(root.resolve("top"), new byte[] {1, 2, 3});
    TfsWriterTree.Dir tree = HostTreeWalker.walk(root, Files.readAttributes(root, BasicFileAttributes.class));
    assertThat(describe(tree, "")).isEqualTo(serialDescription(root, ""));
    assertThat(tree.children.firstKey()).isEqualTo("d0");
    TfsWriterTree.Dir d7 = (TfsWriterTree.Dir) tree.children.get("d7");
    assertThat(((TfsWriterTree.Symlink) d7.children.get("link")).target).isEqualTo("sub/f.txt");
    TfsWriterTree.File f = (TfsWriterTree.File) ((TfsWriterTree.Dir) d7.children.get("sub")).children.get("f.txt");
    assertThat(f.length).isEqualTo(7);
    assertThat(f.content.origin()).isEqualTo(root.resolve("d7/sub/f.txt").toString());
    assertThat(f.hostTime).isNotNull();
  }

  @Test
  void theFailureIsTheOneAWalkInListingOrderMeetsFirst() throws Exception {
    Path root = tmp.resolve("fifos");
    for (int d = 0; d < 12; d++) {
      Path dir = Files.createDirectories(root.resolve("d" + d));
      Files.write(dir.resolve("ok"), new byte[1]);
      if (d % 3 == 1) {
        mkfifo(dir.resolve("pipe"));
      }
    }
    String expected = firstSerialFailure(root);
    assertThat(expected).isNotNull();
    for (int run = 0; run < 10; run++) {
      assertThatThrownBy(() -> HostTreeWalker.walk(root, Files.readAttributes(root, BasicFileAttributes.class)))
          .isInstanceOf(IOException.class)
          .hasMessage(expected + ": not a regular file, directory or symlink (TFS stores no devices, FIFOs or sockets)");
    }
  }

  private static void mkfifo(Path p) throws Exception {
    Process mk;
    try {
      mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
    } catch (IOException e) {
      Assumptions.abort("no mkfifo on this machine: " + e.getMessage());
      return;
    }
    assertThat(mk.waitFor()).isZero();
  }

  /** The path of the first FIFO a one-thread depth-first walk in listing order meets. */
  private static String firstSerialFailure(Path dir) throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (a.isDirectory()) {
          String inner = firstSerialFailure(p);
          if (inner != null) {
            return inner;
          }
        } else if (a.isOther()) {
          return p.toString();
        }
      }
    }
    return null;
  }

  private static String describe(TfsWriterTree.Dir dir, String path) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, TfsWriterTree.Node> e : dir.children.entrySet()) {
      String p = path + "/" + e.getKey();
      if (e.getValue() instanceof TfsWriterTree.Dir d) {
        sb.append("d ").append(p).append('\n').append(describe(d, p));
      } else if (e.getValue() instanceof TfsWriterTree.File f) {
        sb.append("f ").append(p).append(' ').append(f.length).append('\n');
      } else if (e.getValue() instanceof TfsWriterTree.Symlink s) {
        sb.append("l ").append(p).append(" -> ").append(s.target).append('\n');
      }
    }
    return sb.toString();
  }

  private static String serialDescription(Path dir, String path) throws IOException {
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      entries.forEach(children::add);
    }
    children.sort((a, b) -> TfsReproducibility.NAME_ORDER.compare(a.getFileName().toString(), b.getFileName().toString()));
    StringBuilder sb = new StringBuilder();
    for (Path c : children) {
      String p = path + "/" + c.getFileName();
      if (Files.isSymbolicLink(c)) {
        sb.append("l ").append(p).append(" -> ").append(Files.readSymbolicLink(c)).append('\n');
      } else if (Files.isDirectory(c)) {
        sb.append("d ").append(p).append('\n').append(serialDescription(c, p));
      } else {
        sb.append("f ").append(p).append(' ').append(Files.size(c)).append('\n');
      }
    }
    return sb.toString();
  }
}
