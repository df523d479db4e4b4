package dev.nanokit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanokit.core.plan.ContentPlanner;
import dev.nanokit.core.plan.PlannerInputs;
import dev.nanokit.manifest.StringValue;
import dev.nanokit.manifest.Tuple;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagePlanTest {
  @TempDir Path tmp;

  @Test
  void dryRunTextForASmallImage() throws IOException {
    Path work = Files.createDirectories(tmp.resolve("w"));
    Files.writeString(work.resolve("hello"), "ELF");
    Files.createDirectories(work.resolve("www/empty"));
    Files.writeString(work.resolve("www/index.html"), "<html>");
    Files.createSymbolicLink(work.resolve("www/home.html"), Path.of("index.html"));
    OpsConfig c = OpsConfig.builder().dirs(List.of("www")).args(List.of("-p", "80")).build();
    ImagePlan plan = ContentPlanner.plan(new PlannerInputs().config(c).cwd(work)
        .program("./hello", "/hello", work.resolve("hello")).nanosVersion("0.1.52").imageName("hello"));
    String w = work.toString();
    assertThat(PlanText.of(plan)).isEqualTo(""
        + "/etc/\t\n"
        + "/etc/hostname\t(generated, 7 bytes)\n"
        + "/etc/passwd\t(generated, 33 bytes)\n"
        + "/etc/resolv.conf\t(generated, 20 bytes)\n"
        + "/hello\t" + w + "/hello\n"
        + "/proc/\t\n"
        + "/proc/sys/\t\n"
        + "/proc/sys/kernel/\t\n"
        + "/proc/sys/kernel/hostname\t(generated, 7 bytes)\n"
        + "/www/\t\n"
        + "/www/empty/\t\n"
        + "/www/home.html\t-> index.html\n"
        + "/www/index.html\t" + w + "/www/index.html\n"
        + "(\n"
        + "    program:\"/hello\"\n"
        + "    arguments:[\"./hello\" -p 80]\n"
        + "    environment:(\n"
        + "        USER:root\n"
        + "        PWD:\"/\"\n"
        + "        NANOS_VERSION:0.1.52\n"
        + "        NANOS_ARCH:amd64\n"
        + "        IMAGE_NAME:hello\n"
        + "    )\n"
        + ")\n");
  }

  @Test
  void pathOrderIsUtf8ByteOrder() {
    List<String> paths = new ArrayList<>(List.of("/a/b", "/a-c", "/a", "/a b", "/\uFFFD", "/\uD83D\uDE00", "/é", "/Z",
        "/a/b/c", "/ab"));
    paths.sort(ImagePlan.PATH_ORDER);
    assertThat(paths).containsExactly("/Z", "/a", "/a b", "/a-c", "/a/b", "/a/b/c", "/ab", "/é", "/\uFFFD",
        "/\uD83D\uDE00");
    // Plain String order would put U+FFFD after the surrogate pair.
    assertThat("/\uFFFD".compareTo("/\uD83D\uDE00")).isPositive();
  }

  @Test
  void planIsImmutable() throws IOException {
    TreeMap<String, ImageEntry> entries = new TreeMap<>(ImagePlan.PATH_ORDER);
    byte[] bytes = {1, 2, 3};
    entries.put("/etc", ImageEntry.directory("/etc"));
    entries.put("/etc/x", ImageEntry.generated("/etc/x", bytes));
    Tuple root = new Tuple().put("program", "/x").put("environment", new Tuple().put("A", "b"));
    ImagePlan plan = new ImagePlan(entries, root, List.of("note"), List.of());
    bytes[0] = 9;
    root.getTuple("environment").put("A", "changed");
    entries.clear();
    assertThat(plan.entries()).hasSize(2);
    assertThat(plan.entries().get("/etc/x").content()).containsExactly(1, 2, 3);
    plan.entries().get("/etc/x").content()[0] = 7;
    assertThat(plan.entries().get("/etc/x").content()).containsExactly(1, 2, 3);
    plan.rootConfig().getTuple("environment").put("A", "again");
    assertThat(plan.rootConfig().getTuple("environment").get("A")).isEqualTo(StringValue.of("b"));
    assertThatThrownBy(() -> plan.entries().put("/y", ImageEntry.directory("/y")))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> plan.notes().add("x")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> new ImagePlan(entries, new Tuple().put("children", new Tuple()), List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void imageEntryValidation() {
    assertThat(ImageEntry.generated("/a", new byte[] {1})).isEqualTo(ImageEntry.generated("/a", new byte[] {1}));
    assertThat(ImageEntry.generated("/a", new byte[] {1}).isGenerated()).isTrue();
    assertThat(ImageEntry.file("/a", Path.of("/h")).isGenerated()).isFalse();
    assertThat(ImageEntry.generated("/a", new byte[] {1}).hashCode())
        .isEqualTo(ImageEntry.generated("/a", new byte[] {1}).hashCode());
    assertThat(ImageEntry.symlink("/l", "t").toString()).isEqualTo("ImageEntry[/l -> t]");
    for (String bad : List.of("a", "/a/", "/a//b", "/a/./b", "/a/../b", "", "/a\0")) {
      assertThatThrownBy(() -> ImageEntry.directory(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> ImageEntry.file("/", Path.of("/h"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ImageEntry.symlink("/l", "")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ImageEntry("/f", ImageEntry.Kind.FILE, Path.of("/h"), new byte[0], null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ImageEntry("/d", ImageEntry.Kind.DIRECTORY, null, null, "t"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(ImageEntry.directory("/")).isNotNull();
  }

  @Test
  void cleanImagePathLikeGoPathJoin() throws IOException {
    assertThat(ContentPlanner.cleanImagePath("./x")).isEqualTo("/x");
    assertThat(ContentPlanner.cleanImagePath("../x")).isEqualTo("/x");
    assertThat(ContentPlanner.cleanImagePath("/a//b/./c/../d/")).isEqualTo("/a/b/d");
    assertThat(ContentPlanner.cleanImagePath("")).isEqualTo("/");
    assertThat(ContentPlanner.cleanImagePath("..")).isEqualTo("/");
  }
}
