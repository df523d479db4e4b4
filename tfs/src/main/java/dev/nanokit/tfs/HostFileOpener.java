package dev.nanokit.tfs;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Opens the host files of a write ahead of the thread that copies them, on a thread of its own. For a
 * tree of small files, opening (a path lookup, a channel object, a cleaner) is about a third of the
 * copying thread's time; another processor does it meanwhile. Files come in layout order
 * ({@link DataLayout#forEachFile}); content that is not a host file (a caller's stream) is opened by the
 * copying thread itself, so no caller code runs on this thread. At most {@value #AHEAD} files are open
 * ahead; what {@link #close} finds unused is closed.
 *
 * <p>Files are handed over {@value #BATCH} at a time: handed over one by one, each small file cost a
 * wake-up of the other thread, and the copying thread spent a third of the write waiting for files that
 * were opened but not yet passed on.
 *
 * <p>Not thread-safe: one copying thread calls {@link #open} and {@link #close}.
 */
final class HostFileOpener implements AutoCloseable {
  private static final int BATCH = 8;
  private static final int AHEAD = 128;

  /** A host file opened, or what opening it threw. */
  private record Opened(TfsWriterTree.File file, ReadableByteChannel channel, Exception failure) {}

  /** Put after the last file, or when the thread stops early. */
  private static final Opened END = new Opened(null, null, null);

  private final BlockingQueue<List<Opened>> ahead = new ArrayBlockingQueue<>(AHEAD / BATCH);
  private final Thread thread;
  private volatile boolean stopped;
  /** The batch the opening thread is filling; only that thread touches it. */
  private List<Opened> filling = new ArrayList<>(BATCH);
  /** What the copying thread has taken and not used yet. */
  private final ArrayDeque<Opened> taken = new ArrayDeque<>(BATCH);

  HostFileOpener(TfsWriterTree tree) {
    thread = new Thread(() -> openAll(tree), "tfs-data-opener");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * The channel of {@code file}, the next non-empty file in layout order; throws what opening it threw.
   * The caller closes it.
   */
  ReadableByteChannel open(TfsWriterTree.File file) throws IOException {
    if (!file.content.isHostFile()) {
      return file.content.open();
    }
    try {
      while (taken.isEmpty()) {
        taken.addAll(ahead.take());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while opening " + file.content.origin());
    }
    Opened o = taken.poll();
    if (o.file != file) {
      closeQuietly(o.channel);
      throw new IllegalStateException("opened " + (o == END ? "nothing" : o.file.content.origin()) + " for "
          + file.content.origin());
    }
    if (o.failure instanceof IOException e) {
      throw e;
    } else if (o.failure instanceof RuntimeException e) {
      throw e;
    }
    return o.channel;
  }

  /** Stops opening and closes what was opened and not taken. */
  @Override
  public void close() {
    stopped = true;
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        List<Opened> batch = ahead.poll(10, TimeUnit.MILLISECONDS); // makes room if the thread waits to put
        if (batch != null) {
          taken.addAll(batch);
        }
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    for (List<Opened> batch; (batch = ahead.poll()) != null; ) {
      taken.addAll(batch);
    }
    for (Opened o; (o = taken.poll()) != null; ) {
      closeQuietly(o.channel);
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void openAll(TfsWriterTree tree) {
    try {
      DataLayout.<InterruptedException>forEachFile(tree, (directory, name, file) -> {
        if (stopped || !file.content.isHostFile()) {
          return;
        }
        ReadableByteChannel channel = null;
        Exception failure = null;
        try {
          channel = file.content.open();
        } catch (IOException | RuntimeException e) {
          failure = e;
        }
        filling.add(new Opened(file, channel, failure));
        if (filling.size() == BATCH) {
          ahead.put(filling);
          filling = new ArrayList<>(BATCH);
        }
      });
    } catch (InterruptedException e) {
      // not interrupted by this class; the copying thread then meets END
    } finally {
      filling.add(END);
      try {
        ahead.put(filling); // room is made by the copying thread, or by close() draining
      } catch (InterruptedException e) {
        // not interrupted by this class
      }
    }
  }

  private static void closeQuietly(ReadableByteChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // a file only read from: nothing was lost
      }
    }
  }
}
