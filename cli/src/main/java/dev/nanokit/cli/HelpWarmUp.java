package dev.nanokit.cli;

import java.text.BreakIterator;
import java.util.function.Supplier;

/**
 * Loads, on a second thread, what {@code mkimage --help} needs and building the model does not need
 * at once: the machinery behind the first lambda in the process (picocli's option-name patterns meet it
 * soon), the line-break rules (found through the locale providers and read from the JDK's resources),
 * {@link java.util.Formatter} and the Unicode block table. The main thread meanwhile builds the model;
 * the help text is the same, since this only initialises what rendering initialises anyway.
 *
 * <p>Thread-safe: {@link #startIfHelp} may be called from any thread.
 */
final class HelpWarmUp implements Runnable {
  private HelpWarmUp() {}

  /**
   * Starts the warm-up if {@code args} ask for help ({@code -h} or {@code --help} anywhere, as picocli
   * reads them); returns the thread started, or null.
   */
  static Thread startIfHelp(String[] args) {
    for (String a : args) {
      if (a.equals("-h") || a.equals("--help")) {
        // A class, not a lambda or method reference: linking one is part of what this thread takes off main.
        Thread t = new Thread(new HelpWarmUp(), "help-warm-up");
        t.setDaemon(true);
        t.start();
        return t;
      }
    }
    return null;
  }

  @Override
  public void run() {
    try {
      Supplier<String> first = () -> "";
      first.get();
      BreakIterator.getLineInstance();
      String.format("%s%n", "");
      Character.UnicodeBlock.of('a');
    } catch (RuntimeException | Error e) {
      // Nothing to report from here: rendering meets the same failure on main, which reports it in one line.
    }
  }
}
