package dev.nanokit.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanokit.core.ImageEntry;
import dev.nanokit.core.ImagePlan;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The planner's tree: nodes found by name and by path, entries listed in path order. */
class PlannedTreeTest {
  @Test
  void nodesAreFoundByPathAndKeepWhoPutThem() {
    PlannedTree tree = new PlannedTree();
    PlannedTree.Node etc = tree.put(tree.root(), "etc", ImageEntry.directory("/etc"), "a");
    tree.put(etc, "passwd", ImageEntry.generated("/etc/passwd", new byte[1]), "b");

    assertThat(tree.get("/etc")).isSameAs(etc);
    assertThat(tree.get("/etc/passwd").source()).isEqualTo("b");
    assertThat(tree.get("/etc/passwd").isDirectory()).isFalse();
    assertThat(tree.get("/etc/passwd/x")).as("below a file").isNull();
    assertThat(tree.get("/etc/group")).isNull();
    assertThat(tree.get("/")).as("the root is no entry").isNull();
    assertThat(etc.child("passwd")).isSameAs(tree.get("/etc/passwd"));
  }

  @Test
  void aReplacedEntryIsListedOnceWithItsNewValue() {
    PlannedTree tree = new PlannedTree();
    tree.put(tree.root(), "f", ImageEntry.file("/f", Path.of("/one")), "a");
    assertThat(tree.entries().get("/f").hostPath()).isEqualTo(Path.of("/one"));
    tree.put(tree.root(), "f", ImageEntry.file("/f", Path.of("/two")), "b");

    assertThat(tree.entries()).containsOnlyKeys("/f");
    assertThat(tree.entries().get("/f").hostPath()).isEqualTo(Path.of("/two"));
    assertThat(tree.get("/f").source()).isEqualTo("b");
  }

  /** Depth-first order differs from path order where a name holds a byte below '/'. */
  @Test
  void entriesAreInPathOrderWhereDepthFirstOrderIsNot() {
    PlannedTree tree = new PlannedTree();
    PlannedTree.Node a = tree.put(tree.root(), "a", ImageEntry.directory("/a"), "s");
    tree.put(a, "z", ImageEntry.directory("/a/z"), "s");
    tree.put(tree.root(), "a-b", ImageEntry.directory("/a-b"), "s");
    tree.put(tree.root(), "a.txt", ImageEntry.generated("/a.txt", new byte[0]), "s");
    tree.put(tree.root(), "\uD83D\uDE00", ImageEntry.directory("/\uD83D\uDE00"), "s");
    tree.put(tree.root(), "\uFFFD", ImageEntry.directory("/\uFFFD"), "s");

    assertThat(tree.entries().keySet()).containsExactly("/a", "/a-b", "/a.txt", "/a/z", "/\uFFFD", "/\uD83D\uDE00");
  }

  @Test
  void randomTreesListTheSameEntriesInTheSameOrderAsASortedMap() {
    long seed = System.nanoTime();
    System.out.println("PlannedTreeTest seed " + seed);
    Random random = new Random(seed);
    String[] names = {"a", "a-b", "a.b", "a/", "b", "ab", "a b", "\u00e9", "\uD83D\uDE00", "Z", "0"};
    for (int round = 0; round < 50; round++) {
      PlannedTree tree = new PlannedTree();
      TreeMap<String, ImageEntry> expected = new TreeMap<>(ImagePlan.PATH_ORDER);
      List<PlannedTree.Node> dirs = new ArrayList<>(List.of(tree.root()));
      List<String> dirPaths = new ArrayList<>(List.of("/"));
      for (int i = 0; i < 60; i++) {
        if (i == 30) {
          // Listed midway too: directories sorted then must be sorted again once they gain a child.
          assertThat(tree.entries()).as("seed %d", seed).containsExactlyEntriesOf(expected);
        }
        int d = random.nextInt(dirs.size());
        String name = names[random.nextInt(names.length)].replace("/", "");
        String parent = dirPaths.get(d);
        String path = parent.equals("/") ? "/" + name : parent + "/" + name;
        if (dirs.get(d).child(name) != null) {
          continue;
        }
        if (random.nextBoolean()) {
          ImageEntry e = ImageEntry.directory(path);
          dirs.add(tree.put(dirs.get(d), name, e, "s"));
          dirPaths.add(path);
          expected.put(path, e);
        } else {
          ImageEntry e = ImageEntry.symlink(path, "t" + i);
          tree.put(dirs.get(d), name, e, "s");
          expected.put(path, e);
        }
      }
      SortedMap<String, ImageEntry> listed = tree.entries();
      assertThat(listed).as("seed %d", seed).containsExactlyEntriesOf(expected);
      assertThat(List.copyOf(listed.keySet())).as("seed %d", seed).isEqualTo(List.copyOf(expected.keySet()));
      assertThat(tree.inPathOrder()).as("seed %d", seed).containsExactlyElementsOf(expected.values());
    }
  }
}
