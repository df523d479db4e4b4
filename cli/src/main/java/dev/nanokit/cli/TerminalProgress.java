package dev.nanokit.cli;

import dev.nanokit.tfs.TfsWriteListener;
import dev.nanokit.tfs.TfsWriteResult;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar on stderr for data being written; only created when stderr is a terminal. */
final class TerminalProgress implements TfsWriteListener {
  private final String task;
  private ProgressBar bar;

  TerminalProgress(String task) {
    this.task = task;
  }

  @Override
  public void planned(long sizeBytes, long dataBytes, long files, int logExtensions) {
    bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(Math.max(1, dataBytes))
        .setStyle(ProgressBarStyle.ASCII).setUnit(" KiB", 1 << 10).setConsumer(
            new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err)).build();
  }

  @Override
  public void bytesWritten(long doneBytes, long totalBytes) {
    if (bar != null) {
      bar.stepTo(doneBytes);
    }
  }

  @Override
  public void finished(TfsWriteResult result) {
    if (bar != null) {
      bar.close();
    }
  }
}
