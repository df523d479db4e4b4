package dev.nanokit.core;

import dev.nanokit.core.run.ExitStatusMapping;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A Nanos image running under QEMU, started by {@link NanosRun#start()}. The VM's console is the
 * caller's standard input and output; QEMU's own messages go where {@link NanosRun#setQemuErrorOutput}
 * said.
 *
 * <p>Safe for use by several threads: one thread typically waits in {@link #waitFor()} while another
 * (a shutdown hook, a timeout) calls {@link #stop()}.
 */
public final class NanosVm implements AutoCloseable {
  /** How long QEMU gets to end after SIGTERM before it is killed. */
  private static final long STOP_GRACE_SECONDS = 5;

  private final Process process;
  private final String binaryName;
  private final String architecture;
  private final Optional<Path> extractedKernel;
  private final Thread errorPump;
  private volatile boolean qemuPrintedError;
  private volatile boolean stopped;
  private volatile boolean terminatedBySignal;

  NanosVm(Process process, String binaryName, String architecture, Optional<Path> extractedKernel, OutputStream qemuErrors) {
    this.process = process;
    this.binaryName = binaryName;
    this.architecture = architecture;
    this.extractedKernel = extractedKernel;
    if (qemuErrors != null) {
      errorPump = new Thread(() -> pump(process.getErrorStream(), qemuErrors), "qemu-stderr");
      errorPump.setDaemon(true);
      errorPump.start();
    } else {
      errorPump = null;
    }
  }

  /** The emulator's name ({@code qemu-system-x86_64}). */
  public String binaryName() {
    return binaryName;
  }

  /** The QEMU process id. */
  public long pid() {
    return process.pid();
  }

  /**
   * Waits for QEMU to end and says how the run ended. Removes the kernel file the run extracted.
   *
   * @throws InterruptedException if this thread is interrupted while waiting (the VM keeps running)
   */
  public RunExit waitFor() throws InterruptedException {
    int status = process.waitFor();
    if (errorPump != null) {
      errorPump.join();
    }
    removeExtractedKernel();
    if (stopped || terminatedBySignal) {
      return new RunExit(RunExit.Kind.STOPPED, status, status);
    }
    return ExitStatusMapping.map(architecture, status, qemuPrintedError);
  }

  /**
   * Stops the VM: QEMU gets SIGTERM (it ends the VM and restores the terminal), and is killed if it
   * has not ended after a few seconds. Returns when QEMU has ended; {@link #waitFor()} then reports
   * {@link RunExit.Kind#STOPPED}, as it does when QEMU says it ended on a signal (a Ctrl-C at the
   * terminal reaches QEMU as well as this process).
   */
  public void stop() {
    stopped = true;
    process.destroy();
    try {
      if (!process.waitFor(STOP_GRACE_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    removeExtractedKernel();
  }

  /** Stops the VM if it is still running. */
  @Override
  public void close() {
    if (process.isAlive()) {
      stop();
    }
    removeExtractedKernel();
  }

  private void removeExtractedKernel() {
    extractedKernel.ifPresent(k -> {
      try {
        Files.deleteIfExists(k);
      } catch (IOException e) {
        // A kernel copy left in the scratch directory is harmless; the next run replaces it.
      }
    });
  }

  /** Copies QEMU's error output as it comes and looks at each line for an error of QEMU's own. */
  private void pump(InputStream in, OutputStream out) {
    byte[] buf = new byte[8192];
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    try (in) {
      int n;
      while ((n = in.read(buf)) > 0) {
        try {
          out.write(buf, 0, n);
          out.flush();
        } catch (IOException e) {
          // The caller's stream is gone; keep reading so QEMU never blocks on a full pipe.
        }
        for (int i = 0; i < n; i++) {
          if (buf[i] == '\n') {
            check(line);
          } else if (line.size() < 4096) {
            line.write(buf[i]);
          }
        }
      }
      check(line);
    } catch (IOException e) {
      // QEMU ended; nothing more to copy.
    }
  }

  private void check(ByteArrayOutputStream line) {
    String text = line.toString(StandardCharsets.UTF_8).strip();
    if (ExitStatusMapping.isTermination(text)) {
      terminatedBySignal = true;
    } else if (ExitStatusMapping.isQemuError(text)) {
      qemuPrintedError = true;
    }
    line.reset();
  }
}
