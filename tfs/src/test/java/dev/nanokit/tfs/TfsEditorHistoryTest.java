package dev.nanokit.tfs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanokit.manifest.IntegerValue;
import dev.nanokit.manifest.StringValue;
import dev.nanokit.manifest.Value;
import dev.nanokit.manifest.VectorValue;
import dev.nanokit.testing.manifest.RandomCases;
import dev.nanokit.testing.tfs.VolumeInvariants;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random edit histories (docs/formats/tfs.md, "5.5 Update semantics (replay)" update rules, "7.3 What the running kernel appends (read-write mount)" appends): create, overwrite, append,
 * delete, rename (remove + add), nested directories, symlinks and root keys (vectors, long strings
 * that split across extensions) are applied to an in-memory model and through {@link TfsEditor};
 * after every commit {@link TfsVolume} must read back exactly the model, byte for byte.
 */
class TfsEditorHistoryTest {
  /** Histories per seed and commits per history; shrunk under PIT (-Dnanokit.pit=true). */
  private static final boolean PIT = Boolean.getBoolean("nanokit.pit");
  private static final int HISTORIES = PIT ? 1 : 3;
  private static final int STEPS = PIT ? 40 : 170;
  private static final long VOLUME = 6L << 20;

  @TempDir Path tmp;
  private static int hostFiles;
  private static int maxExtensions;

  /** The model: path → file bytes, symlink target, or directory. */
  private sealed interface Node permits FileNode, LinkNode, DirNode {}

  private record FileNode(byte[] bytes) implements Node {}

  private record LinkNode(String target) implements Node {}

  private record DirNode() implements Node {}

  private static final class Model {
    final TreeMap<String, Node> nodes = new TreeMap<>();
    final TreeMap<String, Value> rootKeys = new TreeMap<>();
    long dataBytes;

    List<String> paths(Class<? extends Node> kind) {
      List<String> out = new ArrayList<>();
      for (Map.Entry<String, Node> e : nodes.entrySet()) {
        if (kind.isInstance(e.getValue())) {
          out.add(e.getKey());
        }
      }
      return out;
    }

    List<String> dirs() {
      List<String> out = new ArrayList<>(List.of("/"));
      out.addAll(paths(DirNode.class));
      return out;
    }

    void removeTree(String path) {
      Node n = nodes.remove(path);
      if (n instanceof FileNode f) {
        dataBytes -= f.bytes.length;
      }
      nodes.subMap(path + "/", path + "/\uffff").keySet().stream().toList().forEach(this::removeTree);
    }

    List<String> children(String dir) {
      String prefix = dir.equals("/") ? "/" : dir + "/";
      List<String> out = new ArrayList<>();
      for (String p : nodes.subMap(prefix, prefix + "\uffff").keySet()) {
        String rest = p.substring(prefix.length());
        if (!rest.isEmpty() && rest.indexOf('/') < 0) {
          out.add(rest);
        }
      }
      return out;
    }
  }

  private static final String[] NAMES = {"a", "b", "etc", "lib", "x.so", "\u00e9t\u00e9", "file-with-a-longer-name.txt",
      "Z", "0", "children", "extents", "filelength", "linktarget", "1"};

  @Test
  void everyCommitReadsBackAsTheModel() {
    int[] steps = {0};
    RandomCases.run("TfsEditor history", HISTORIES, (random, i) -> {
      try {
        steps[0] += history(random, tmp.resolve("h" + steps[0] + ".img"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    System.out.println("[TfsEditorHistoryTest] " + steps[0] + " committed steps checked against the model; up to "
        + maxExtensions + " log extensions");
    assertThat(steps[0]).isGreaterThan(0);
    // The long root values fill the first extension: appends continue in new ones (records split across them).
    if (!PIT) { // the shortened PIT histories do not fill an extension
      assertThat(maxExtensions).isGreaterThan(2);
    }
  }

  private int history(Random random, Path image) throws IOException {
    TfsWriter.create().setSize(VOLUME).setUuid(new byte[16]).writeTo(image);
    Model model = new Model();
    Path host = tmp.resolve("host.bin");
    int n = 0;
    for (int step = 0; step < STEPS; step++) {
      List<String> done = new ArrayList<>();
      try (TfsEditor editor = TfsEditor.open(image)) {
        int ops = 1 + random.nextInt(3);
        for (int k = 0; k < ops; k++) {
          done.add(edit(random, editor, model, host));
        }
        editor.commit();
      }
      try {
        check(image, model);
      } catch (AssertionError e) {
        throw new AssertionError("after step " + step + " " + done + ": " + e.getMessage(), e);
      }
      n++;
    }
    return n;
  }

  private static String childPath(String dir, String name) {
    return dir.equals("/") ? "/" + name : dir + "/" + name;
  }

  private static byte[] content(Random random) {
    int[] sizes = {0, 1, 511, 512, 513, 1024, 4096};
    int size = random.nextInt(3) == 0 ? sizes[random.nextInt(sizes.length)] : random.nextInt(9000);
    byte[] b = new byte[size];
    random.nextBytes(b);
    return b;
  }

  private static String edit(Random random, TfsEditor editor, Model model, Path host) throws IOException {
    List<String> files = model.paths(FileNode.class);
    int op = random.nextInt(10);
    String dir = model.dirs().get(random.nextInt(model.dirs().size()));
    String fresh = childPath(dir, NAMES[random.nextInt(NAMES.length)]);
    boolean free = !model.nodes.containsKey(fresh);
    if (op == 0 && free) {
      editor.mkdir(fresh, false);
      model.nodes.put(fresh, new DirNode());
      return "mkdir " + fresh;
    }
    if (op == 1 && free) {
      String target = random.nextBoolean() ? "/etc/hello.txt" : "../" + NAMES[random.nextInt(NAMES.length)];
      editor.symlink(target, fresh);
      model.nodes.put(fresh, new LinkNode(target));
      return "ln -s " + target + " " + fresh;
    }
    if ((op == 2 || op == 3) && (free || model.nodes.get(fresh) instanceof FileNode)) {
      byte[] bytes = content(random);
      if (model.dataBytes + bytes.length > VOLUME / 4) {
        return "skip (full)";
      }
      put(editor, model, host, fresh, bytes);
      return "put " + fresh + " " + bytes.length;
    }
    if (op == 4 && !files.isEmpty()) {
      String f = files.get(random.nextInt(files.size()));
      byte[] old = ((FileNode) model.nodes.get(f)).bytes;
      byte[] more = content(random);
      byte[] bytes = Arrays.copyOf(old, old.length + more.length);
      System.arraycopy(more, 0, bytes, old.length, more.length);
      if (model.dataBytes + more.length > VOLUME / 4) {
        return "skip (full)";
      }
      put(editor, model, host, f, bytes);
      return "append " + f + " " + more.length;
    }
    if (op == 5 && !model.nodes.isEmpty()) {
      List<String> all = new ArrayList<>(model.nodes.keySet());
      String victim = all.get(random.nextInt(all.size()));
      editor.remove(victim, true);
      model.removeTree(victim);
      return "rm -r " + victim;
    }
    if (op == 6 && !files.isEmpty() && free) {
      // rename = remove + add of the same bytes under a new name
      String f = files.get(random.nextInt(files.size()));
      byte[] bytes = ((FileNode) model.nodes.get(f)).bytes;
      editor.remove(f, false);
      model.removeTree(f);
      String to = fresh;
      if (model.nodes.containsKey(to) || !model.dirs().contains(dir)) {
        return "rm " + f;
      }
      put(editor, model, host, to, bytes);
      return "mv " + f + " " + to;
    }
    if (op == 7 || op == 8) {
      String key = random.nextBoolean() ? "environment-x" : "arguments";
      Value value;
      int kind = random.nextInt(4);
      if (kind == 0) {
        List<String> args = new ArrayList<>();
        for (int i = random.nextInt(5); i > 0; i--) {
          args.add("arg" + random.nextInt(100));
        }
        value = VectorValue.ofStrings(args);
      } else if (kind == 1) {
        // long enough that extensions fill and records split across them
        value = StringValue.of("v".repeat(2000 + random.nextInt(60000)));
      } else if (kind == 2) {
        value = IntegerValue.of(random.nextLong());
      } else {
        value = StringValue.of("s" + random.nextInt(1000));
      }
      editor.setRootKey(key, value);
      model.rootKeys.put(key, value);
      return "set " + key;
    }
    if (op == 9 && free) {
      // nested directories in one step
      String a = fresh;
      String b = a + "/" + NAMES[random.nextInt(NAMES.length)];
      editor.mkdir(b, true);
      model.nodes.put(a, new DirNode());
      model.nodes.put(b, new DirNode());
      return "mkdir -p " + b;
    }
    return "noop";
  }

  private static void put(TfsEditor editor, Model model, Path host, String path, byte[] bytes) throws IOException {
    // The editor reads host files at commit: every put gets its own.
    Path file = host.resolveSibling("host" + (++hostFiles) + ".bin");
    Files.write(file, bytes);
    editor.put(file, path);
    Node old = model.nodes.put(path, new FileNode(bytes));
    if (old instanceof FileNode f) {
      model.dataBytes -= f.bytes.length;
    }
    model.dataBytes += bytes.length;
  }

  private static void check(Path image, Model model) throws IOException {
    try (TfsVolume v = TfsVolume.open(image)) {
      for (Map.Entry<String, Value> e : model.rootKeys.entrySet()) {
        assertThat(v.rootTuple().get(e.getKey())).as("root key %s", e.getKey()).isEqualTo(e.getValue());
      }
      List<String> seen = new ArrayList<>();
      checkDir(v, v.root(), "/", model, seen);
      assertThat(seen).containsExactlyInAnyOrderElementsOf(model.nodes.keySet());
      maxExtensions = Math.max(maxExtensions, v.log().extensions().size());
      VolumeInvariants.Counts counts = VolumeInvariants.check(v);
      assertThat(counts.directories()).isEqualTo(1 + model.paths(DirNode.class).size());
      assertThat(counts.files()).isEqualTo(model.paths(FileNode.class).size());
      assertThat(counts.symlinks()).isEqualTo(model.paths(LinkNode.class).size());
      assertThat(counts.dataBytes()).isEqualTo(model.dataBytes);
    }
  }

  private static void checkDir(TfsVolume v, TfsNode dir, String path, Model model, List<String> seen)
      throws IOException {
    List<String> expected = new ArrayList<>(model.children(path));
    expected.sort(TfsNode.NAME_ORDER);
    assertThat(dir.childNames()).as("children of %s", path).containsExactlyElementsOf(expected);
    for (TfsNode child : dir.children()) {
      String p = childPath(path, child.name());
      assertThat(child.path()).isEqualTo(p);
      seen.add(p);
      Node want = model.nodes.get(p);
      if (want instanceof DirNode) {
        assertThat(child.type()).as(p).isEqualTo(TfsNodeType.DIRECTORY);
        checkDir(v, child, p, model, seen);
      } else if (want instanceof LinkNode l) {
        assertThat(child.type()).as(p).isEqualTo(TfsNodeType.SYMLINK);
        assertThat(child.linkTarget()).as(p).isEqualTo(l.target());
      } else {
        byte[] bytes = ((FileNode) want).bytes();
        assertThat(child.type()).as(p).isEqualTo(TfsNodeType.FILE);
        assertThat(child.size()).as(p).isEqualTo(bytes.length);
        long blocks = 0;
        for (TfsExtent x : child.extents()) {
          blocks += x.length();
        }
        assertThat(blocks * 512).as("%s blocks", p).isGreaterThanOrEqualTo(bytes.length);
        try (InputStream in = child.newInputStream()) {
          assertThat(in.readAllBytes()).as(p).isEqualTo(bytes);
        }
      }
    }
  }
}
