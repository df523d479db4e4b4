package dev.nanokit.cli;

import dev.nanokit.core.FetchListener;
import java.net.URI;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar on stderr for a download; only created when stderr is a terminal (see {@link Progress}). */
final class TerminalDownloadProgress implements FetchListener {
  private final String task;
  private ProgressBar bar;

  TerminalDownloadProgress(String task) {
    this.task = task;
  }

  @Override
  public void downloadStarted(URI uri, long totalBytes) {
    // An unknown length (-1) shows as an indefinite bar.
    bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(totalBytes)
        .setStyle(ProgressBarStyle.ASCII).setUnit(" KiB", 1 << 10).setConsumer(
            new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err)).build();
  }

  @Override
  public void bytesDownloaded(long done, long total) {
    if (bar != null) {
      bar.stepTo(done);
    }
  }

  @Override
  public void extracting() {
    close();
  }

  /** Ends the bar, also when the download failed. */
  void close() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }
}
