package dev.nanokit.paths;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link SymlinkWalk}: the kernel's path resolution (absolute targets restart at /, .. stops at /, 40 hops). */
class SymlinkWalkTest {
  private final Map<String, Object> entries = new HashMap<>(); // path → Kind or link target

  private final SymlinkWalk.Tree tree = new SymlinkWalk.Tree() {
    @Override
    public SymlinkWalk.Kind kind(String path) {
      Object o = entries.get(path);
      return o instanceof String ? SymlinkWalk.Kind.SYMLINK : (SymlinkWalk.Kind) o;
    }

    @Override
    public String linkTarget(String path) {
      return (String) entries.get(path);
    }
  };

  private SymlinkWalkTest dir(String p) {
    entries.put(p, SymlinkWalk.Kind.DIRECTORY);
    return this;
  }

  private SymlinkWalkTest file(String p) {
    entries.put(p, SymlinkWalk.Kind.FILE);
    return this;
  }

  private SymlinkWalkTest link(String p, String target) {
    entries.put(p, target);
    return this;
  }

  private String resolve(String p) throws Exception {
    return SymlinkWalk.resolve(p, tree);
  }

  @Test
  void relativeAndAbsoluteTargetsDotAndDotDot() throws Exception {
    dir("/usr").dir("/usr/lib").file("/usr/lib/libc.so.6").dir("/lib64")
        .link("/lib", "usr/lib").link("/lib64/ld.so", "/lib/../lib/./libc.so.6").link("/usr/lib/up", "../..");
    assertThat(resolve("/lib/libc.so.6")).isEqualTo("/usr/lib/libc.so.6");
    assertThat(resolve("/lib64/ld.so")).isEqualTo("/usr/lib/libc.so.6");
    assertThat(resolve("//usr/./lib/../lib/libc.so.6")).isEqualTo("/usr/lib/libc.so.6");
    assertThat(resolve("/../../usr")).isEqualTo("/usr");
    assertThat(resolve("/usr/lib/up/usr")).isEqualTo("/usr");
    assertThat(resolve("/")).isEqualTo("/");
  }

  @Test
  void missingEntriesAndFilesUsedAsDirectoriesAreNamed() {
    dir("/a").file("/a/f").link("/a/l", "/a/missing");
    assertThatThrownBy(() -> resolve("/a/nope/x")).isInstanceOf(SymlinkWalk.Unresolved.class)
        .hasMessage("/a/nope does not exist in the image");
    assertThatThrownBy(() -> resolve("/a/f/x")).isInstanceOf(SymlinkWalk.Unresolved.class)
        .hasMessage("/a/f is not a directory");
    assertThatThrownBy(() -> resolve("/a/l")).isInstanceOf(SymlinkWalk.Unresolved.class)
        .hasMessage("/a/missing does not exist in the image");
  }

  @Test
  void fortySymlinksAreFollowedAndTheFortyFirstIsALoop() throws Exception {
    file("/end");
    for (int i = 0; i < 40; i++) {
      link("/l" + i, i == 39 ? "/end" : "/l" + (i + 1));
    }
    assertThat(resolve("/l0")).isEqualTo("/end");
    link("/m", "/l0");
    assertThatThrownBy(() -> resolve("/m")).isInstanceOf(SymlinkWalk.Unresolved.class)
        .hasMessage("more than 40 symlinks (a loop?)");
    link("/self", "self");
    assertThatThrownBy(() -> resolve("/self")).hasMessage("more than 40 symlinks (a loop?)");
  }
}
