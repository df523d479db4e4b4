package dev.nanokit.cli;

import dev.nanokit.tfs.TfsWriteEvent;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar on stderr for data being written; only created when stderr is a terminal. */
final class TerminalProgress implements java.util.function.Consumer<TfsWriteEvent> {
  private final String task;
  private ProgressBar bar;

  TerminalProgress(String task) {
    this.task = task;
  }

  @Override
  public void accept(TfsWriteEvent event) {
    if (event instanceof TfsWriteEvent.Planned p) {
      planned(p.dataBytes());
    } else if (event instanceof TfsWriteEvent.BytesWritten b && bar != null) {
      bar.stepTo(b.done());
      if (b.done() >= b.total()) {
        // The data is in; the log and the forced flush still take a while on a large volume.
        bar.setExtraMessage(" finishing: writing the log");
      }
    } else if (event instanceof TfsWriteEvent.LogWritten && bar != null) {
      bar.setExtraMessage(" finishing: flushing to disk");
    } else if (event instanceof TfsWriteEvent.Finished && bar != null) {
      bar.close();
    }
  }

  private void planned(long dataBytes) {
    bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(Math.max(1, dataBytes))
        .setStyle(ProgressBarStyle.ASCII).setUnit(" KiB", 1 << 10).setConsumer(
            new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err)).build();
  }
}
