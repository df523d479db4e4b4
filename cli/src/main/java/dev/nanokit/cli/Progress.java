package dev.nanokit.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Progress for long work: a bar on stderr only when stderr is a terminal (docs/cli), otherwise
 * nothing. The bar lives in {@link TerminalProgress}, so progressbar and JLine are loaded only then.
 */
final class Progress {
  private Progress() {}

  static boolean stderrIsTerminal() {
    if ("true".equals(System.getenv("CI"))) {
      return false;
    }
    try {
      // Linux: where fd 2 points. Elsewhere fall back to the console, which needs stdin and stdout too.
      Path fd2 = Path.of("/proc/self/fd/2");
      if (Files.isSymbolicLink(fd2)) {
        String target = Files.readSymbolicLink(fd2).toString();
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
      }
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
    return System.console() != null;
  }
}
