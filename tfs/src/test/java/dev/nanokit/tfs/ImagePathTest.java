package dev.nanokit.tfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImagePathTest {
  @Test
  void segmentsParentFileNameAndResolve() {
    ImagePath p = ImagePath.of("/data/a:b (1)/é.txt");
    assertThat(p.segments()).containsExactly("data", "a:b (1)", "é.txt");
    assertThat(p.fileName()).isEqualTo("é.txt");
    assertThat(p.parent()).isEqualTo(ImagePath.of("/data/a:b (1)"));
    assertThat(p.parent().parent().parent()).isEqualTo(ImagePath.ROOT);
    assertThat(ImagePath.ROOT.parent()).isNull();
    assertThat(ImagePath.ROOT.fileName()).isNull();
    assertThat(ImagePath.ROOT.resolve("etc").resolve("passwd")).isEqualTo(ImagePath.of("/etc/passwd"));
    assertThat(p.toString()).isEqualTo("/data/a:b (1)/é.txt");
    assertThat(ImagePath.of("/")).isSameAs(ImagePath.ROOT).hasToString("/");
    assertThat(p.startsWith(ImagePath.of("/data"))).isTrue();
    assertThat(p.startsWith(ImagePath.of("/dat"))).isFalse();
    assertThatThrownBy(() -> p.segments().add("x")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void equalityIsBySegments() {
    assertThat(ImagePath.of("/a/b")).isEqualTo(ImagePath.ROOT.resolve("a").resolve("b"))
        .hasSameHashCodeAs(ImagePath.clean("a//./b/"));
    assertThat(ImagePath.of("/a/b")).isNotEqualTo(ImagePath.of("/a/b/c"));
  }

  @Test
  void ofRefusesNonCanonicalPathsNamingTheBadValue() {
    assertThatThrownBy(() -> ImagePath.of("etc")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"etc\"");
    assertThatThrownBy(() -> ImagePath.of("/a//b")).hasMessageContaining("\"/a//b\"");
    assertThatThrownBy(() -> ImagePath.of("/a/")).hasMessageContaining("\"/a/\"");
    assertThatThrownBy(() -> ImagePath.of("/a/../b")).hasMessageContaining("\"..\"");
    assertThatThrownBy(() -> ImagePath.of("/a\0b")).hasMessageContaining("a\\0b");
    assertThatThrownBy(() -> ImagePath.ROOT.resolve("x/y")).hasMessageContaining("\"x/y\"");
    assertThatThrownBy(() -> ImagePath.clean("/a\0")).hasMessageContaining("NUL");
  }

  @Test
  void cleanFollowsOpsPathJoin() {
    assertThat(ImagePath.clean("./x")).isEqualTo(ImagePath.of("/x"));
    assertThat(ImagePath.clean("../../x/./y/..")).isEqualTo(ImagePath.of("/x"));
    assertThat(ImagePath.clean("")).isEqualTo(ImagePath.ROOT);
    assertThat(ImagePath.clean("a:b")).isEqualTo(ImagePath.of("/a:b"));
  }

  @Test
  void orderIsByUtf8BytesSegmentBySegment() {
    List<ImagePath> paths = new ArrayList<>(List.of(ImagePath.of("/b"), ImagePath.of("/a/z"), ImagePath.of("/a"),
        ImagePath.of("/\uD83D\uDE00"), ImagePath.of("/\uFFFD")));
    paths.sort(null);
    assertThat(paths).containsExactly(ImagePath.of("/a"), ImagePath.of("/a/z"), ImagePath.of("/b"),
        ImagePath.of("/\uFFFD"), ImagePath.of("/\uD83D\uDE00"));
  }
}
