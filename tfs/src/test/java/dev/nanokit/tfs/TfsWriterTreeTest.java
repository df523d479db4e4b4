package dev.nanokit.tfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The writer's tree: a path put by its text (reusing the last parent found) lands where its parts would. */
class TfsWriterTreeTest {
  @Test
  void aPathPutByItsTextLandsWhereItsPartsWouldEvenWhereTheRememberedParentDoesNotApply() {
    long seed = System.nanoTime();
    System.out.println("TfsWriterTreeTest seed " + seed);
    Random random = new Random(seed);
    String[] names = {"a", "b", "c", "a-b", "\u00e9"};
    for (int round = 0; round < 200; round++) {
      TfsWriterTree byText = new TfsWriterTree();
      TfsWriterTree byParts = new TfsWriterTree();
      for (int i = 0; i < 30; i++) {
        StringBuilder path = new StringBuilder();
        int depth = 1 + random.nextInt(3);
        for (int d = 0; d < depth; d++) {
          path.append(random.nextInt(8) == 0 ? "//" : "/").append(names[random.nextInt(names.length)]);
        }
        String p = path.toString();
        boolean dir = random.nextInt(3) == 0;
        String a = outcome(() -> byText.put(p, dir ? new TfsWriterTree.Dir() : new TfsWriterTree.Symlink(p)));
        String b = outcome(() -> byParts.put(TfsWriterTree.split(p), dir ? new TfsWriterTree.Dir() : new TfsWriterTree.Symlink(p)));
        assertThat(a).as("seed %d, %s", seed, p).isEqualTo(b);
      }
      assertThat(shape(byText.root, "")).as("seed %d", seed).isEqualTo(shape(byParts.root, ""));
    }
  }

  @Test
  void badNamesAndTheRootAreRefusedOnTheShortWayToo() {
    TfsWriterTree tree = new TfsWriterTree();
    tree.put("/d/a", new TfsWriterTree.Symlink("x"));
    assertThatThrownBy(() -> tree.put("/d/..", new TfsWriterTree.Symlink("x"))).hasMessageContaining("invalid entry name '..'");
    assertThatThrownBy(() -> tree.put("/d/a\0", new TfsWriterTree.Symlink("x"))).hasMessageContaining("invalid entry name");
    assertThatThrownBy(() -> tree.put("/d/a/b", new TfsWriterTree.Symlink("x"))).hasMessageContaining("/d/a exists and is not a directory");
    assertThatThrownBy(() -> tree.put("/", new TfsWriterTree.Symlink("x"))).hasMessageContaining("is the root directory");
  }

  private static String outcome(Runnable put) {
    try {
      put.run();
      return "ok";
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  private static List<String> shape(TfsWriterTree.Dir dir, String path) {
    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, TfsWriterTree.Node> e : dir.children.entrySet()) {
      String p = path + "/" + e.getKey();
      if (e.getValue() instanceof TfsWriterTree.Dir d) {
        lines.add(p + "/");
        lines.addAll(shape(d, p));
      } else {
        lines.add(p + " -> " + ((TfsWriterTree.Symlink) e.getValue()).target);
      }
    }
    return lines;
  }
}
