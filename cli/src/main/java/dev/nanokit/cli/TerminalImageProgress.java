package dev.nanokit.cli;

import dev.nanokit.core.ProgressEvent;
import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The {@code mkimage} bar on stderr: the root filesystem's bytes with percent and rate, then each
 * short phase after it by name, cleared when the image is written. Only created when stderr is a
 * terminal ({@link Progress}), so progressbar is loaded only then. Used by one build on one thread.
 */
final class TerminalImageProgress implements java.util.function.Consumer<ProgressEvent> {
  private final PrintStream err;
  private ProgressBar bar;

  TerminalImageProgress(PrintStream err) {
    this.err = err;
  }

  @Override
  public void accept(ProgressEvent e) {
    if (e.phase().equals("rootfs") && e.total() > 0) {
      if (bar == null) {
        bar = new ProgressBarBuilder().setTaskName("mkimage rootfs").setInitialMax(e.total())
            .setStyle(ProgressBarStyle.ASCII).setUnit(" MiB", 1 << 20).showSpeed()
            .setConsumer(new ConsoleProgressBarConsumer(err)).build();
      }
      bar.stepTo(e.done());
      if (e.done() >= e.total()) {
        bar.setExtraMessage(" finishing: log and flush");
      }
    } else if (e.isStart() && bar != null) {
      bar.setExtraMessage(" " + e.phase());
    }
  }

  /** Ends the bar and clears its line, also when the build failed. */
  void close() {
    if (bar != null) {
      bar.close();
      bar = null;
      err.print("\r\033[K");
      err.flush();
    }
  }
}
