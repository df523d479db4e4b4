package dev.nanokit.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanokit.core.ImageEvent;
import dev.nanokit.core.ProgressEvent;
import dev.nanokit.elf.ResolvedLibraries;
import dev.nanokit.tfs.ImagePath;
import dev.nanokit.tfs.TfsVolume;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the embedding example end to end, as a library user's build would. */
class ImageTasksTest {
  @TempDir Path tmp;

  /** A minimal static x86-64 executable: ELF header and one loadable segment, nothing to resolve. */
  private Path staticProgram() throws Exception {
    ByteBuffer b = ByteBuffer.allocate(120).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0}).put(new byte[8]);
    b.putShort((short) 2).putShort((short) 62).putInt(1).putLong(0x401000).putLong(64).putLong(0);
    b.putInt(0).putShort((short) 64).putShort((short) 56).putShort((short) 1).putShort((short) 64)
        .putShort((short) 0).putShort((short) 0);
    // PT_LOAD, R+X, the whole file at 0x400000
    b.putInt(1).putInt(5).putLong(0).putLong(0x400000).putLong(0x400000).putLong(120).putLong(120).putLong(0x1000);
    Path p = tmp.resolve("hello");
    Files.write(p, b.array());
    return p;
  }

  @Test
  void buildReadEditResolve() throws Exception {
    Path program = staticProgram();
    Path data = Files.writeString(tmp.resolve("a:b (ü).txt"), "data with a colon in its name");
    Path kernel = Files.writeString(tmp.resolve("kernel.img"), "not a real kernel, enough for a layout");
    Path image = tmp.resolve("app.img");

    List<ImageEvent> events = ImageTasks.build(program, data, kernel, image);
    assertThat(events).filteredOn(e -> e instanceof ProgressEvent p && p.phase().equals("rootfs") && p.isStart())
        .hasSize(1);

    ImagePath stored = ImagePath.of("/data/a:b (ü).txt");
    assertThat(ImageTasks.read(image, stored)).hasValueSatisfying(
        bytes -> assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("data with a colon in its name"));
    byte[] programBytes = Files.readAllBytes(program);
    assertThat(ImageTasks.read(image, ImagePath.of(program.toString()))).hasValueSatisfying(
        bytes -> assertThat(bytes).isEqualTo(programBytes));

    Path extra = Files.writeString(tmp.resolve("x"), "added later");
    ImageTasks.put(image, extra, ImagePath.of("/x"));
    assertThat(ImageTasks.read(image, ImagePath.of("/x"))).hasValueSatisfying(
        bytes -> assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("added later"));
    assertThat(ImageTasks.read(image, stored)).isPresent();

    try (TfsVolume volume = TfsVolume.open(image)) {
      assertThat(volume.rootTuple().getTuple("environment").get("K").toString()).isEqualTo("\"V\"");
      // What the volume hands out cannot change it.
      assertThatThrownBy(() -> volume.rootTuple().remove("environment"))
          .isInstanceOf(UnsupportedOperationException.class);
      assertThat(volume.rootTuple().contains("environment")).isTrue();
    }

    ResolvedLibraries libraries = ImageTasks.libraries(program);
    assertThat(libraries.interpreter()).isEmpty();
    assertThat(libraries.entries()).isEmpty();
    assertThat(libraries.isComplete()).isTrue();
  }

  @Test
  void theCommandLineAndItsTerminalLibrariesAreNotOnALibraryUsersClasspath() {
    for (String cliClass : List.of("picocli.CommandLine", "me.tongfei.progressbar.ProgressBar",
        "org.jline.terminal.Terminal", "dev.nanokit.cli.TfsCommand")) {
      assertThatThrownBy(() -> Class.forName(cliClass)).as(cliClass).isInstanceOf(ClassNotFoundException.class);
    }
  }
}
