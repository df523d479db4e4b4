package dev.nanokit.tfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanokit.NanokitException;
import dev.nanokit.manifest.StringValue;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every condition of {@link TfsEditException} is reachable from the editor's API and tells the case apart. */
class TfsEditExceptionTest {
  @TempDir Path tmp;
  Path image;

  private interface Edit {
    void apply(TfsEditor editor) throws Exception;
  }

  @BeforeEach
  void volume() throws Exception {
    image = tmp.resolve("v.img");
    TfsWriter.create().addFile("/etc/passwd", "root".getBytes()).addDirectory("/lib/x").addSymlink("/l", "/etc")
        .setMinimumFreeBytes(1 << 20).writeTo(image);
  }

  private void assertCondition(Edit edit, TfsEditException.Condition condition, String message) throws Exception {
    try (TfsEditor e = TfsEditor.open(image)) {
      assertThatThrownBy(() -> edit.apply(e))
          .isInstanceOf(NanokitException.class)
          .isInstanceOfSatisfying(TfsEditException.class, x -> assertThat(x.condition()).isEqualTo(condition))
          .hasMessage(message);
    }
  }

  @Test
  void eachConditionFromItsCall() throws Exception {
    Path host = Files.writeString(tmp.resolve("f"), "x");
    assertCondition(e -> e.remove(ImagePath.of("/nope"), false), TfsEditException.Condition.NOT_FOUND,
        "/nope: no such file or directory");
    assertCondition(e -> e.mkdir(ImagePath.of("/a/b"), false), TfsEditException.Condition.NOT_FOUND,
        "/a: no such directory");
    assertCondition(e -> e.put(host, ImagePath.of("/etc/passwd/x")), TfsEditException.Condition.NOT_A_DIRECTORY,
        "/etc/passwd: not a directory");
    assertCondition(e -> e.remove(ImagePath.of("/lib"), false), TfsEditException.Condition.DIRECTORY_NOT_EMPTY,
        "/lib: directory not empty");
    assertCondition(e -> e.mkdir(ImagePath.of("/etc"), false), TfsEditException.Condition.ALREADY_EXISTS,
        "/etc: already exists");
    assertCondition(e -> e.symlink("/x", ImagePath.of("/l")), TfsEditException.Condition.ALREADY_EXISTS,
        "/l: already exists");
    assertCondition(e -> e.put(host, ImagePath.of("/lib")), TfsEditException.Condition.IS_A_DIRECTORY,
        "/lib: is a directory");
    assertCondition(e -> e.setRootKey("children", StringValue.of("x")), TfsEditException.Condition.INVALID,
        "the root key 'children' is the directory tree and cannot be set");
    assertCondition(e -> e.remove(ImagePath.ROOT, true), TfsEditException.Condition.INVALID,
        "/: the root directory cannot be replaced or removed");
  }
}
