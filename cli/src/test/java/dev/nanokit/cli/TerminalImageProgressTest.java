package dev.nanokit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanokit.core.ProgressEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TerminalImageProgressTest {
  @Test
  void theRootFilesystemBarShowsBytesPercentAndFinishingThenClearsItsLine() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    TerminalImageProgress bar = new TerminalImageProgress(err);
    bar.accept(new ProgressEvent("esp", 0, -1)); // before the root filesystem: no bar yet, nothing printed
    assertThat(bytes.size()).isZero();
    long total = 64L << 20;
    for (long done = 0; done <= total; done += 8L << 20) {
      bar.accept(new ProgressEvent("rootfs", done, total));
    }
    bar.accept(new ProgressEvent("partition table", 0, -1));
    bar.close();
    String shown = bytes.toString(StandardCharsets.UTF_8);
    assertThat(shown).contains("mkimage rootfs", "100%", "64/64 MiB", "partition table").endsWith("\r\033[K");
    bar.close(); // a second close (the finally after success) prints nothing more
    assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(shown);
  }
}
