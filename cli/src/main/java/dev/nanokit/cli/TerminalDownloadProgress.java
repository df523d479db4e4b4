package dev.nanokit.cli;

import dev.nanokit.core.ProgressEvent;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar on stderr for a download; only created when stderr is a terminal (see {@link Progress}). */
final class TerminalDownloadProgress implements java.util.function.Consumer<ProgressEvent> {
  private final String task;
  private ProgressBar bar;

  TerminalDownloadProgress(String task) {
    this.task = task;
  }

  @Override
  public void accept(ProgressEvent e) {
    if (e.phase().equals("download") && e.isStart()) {
      // An unknown length (-1) shows as an indefinite bar.
      bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(e.total())
          .setStyle(ProgressBarStyle.ASCII).setUnit(" KiB", 1 << 10).setConsumer(
              new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err)).build();
    } else if (e.phase().equals("download") && bar != null) {
      bar.stepTo(e.done());
    } else if (e.phase().equals("extract")) {
      close();
    }
  }

  /** Ends the bar, also when the download failed. */
  void close() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }
}
