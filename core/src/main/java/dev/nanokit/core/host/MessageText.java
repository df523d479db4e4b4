package dev.nanokit.core.host;

import java.nio.file.NoSuchFileException;

/**
 * How names from untrusted input (archive entries, image configs) and causes are written into the
 * one-line error messages nanokit promises: control characters escaped so a hostile name cannot break
 * the line or the terminal, multi-line library messages folded.
 */
public final class MessageText {
  private MessageText() {}

  /** {@code s} with control characters escaped, for an error line. */
  public static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      b.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
    }
    return b.toString();
  }

  /** An exception's message on one line (some JDK and library messages span several). */
  public static String oneLine(Throwable x) {
    String m = x.getMessage();
    if (m == null || m.isBlank()) {
      m = x.getClass().getSimpleName();
    } else if (x instanceof NoSuchFileException) {
      m = "no such file " + m;
    }
    return m.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }
}
