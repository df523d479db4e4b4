package dev.nanokit.cli;

import dev.nanokit.tfs.TfsImageGrowth;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** How the tfs commands grow an image: the sizes users write and the note they get. */
final class ImageGrowth {
  private static final long MIB = 1 << 20;
  /** Room for a new log extension (512 KiB) that the same edit may need once its data fits. */
  private static final long EXTENSION_ROOM = 512 * 1024;

  private ImageGrowth() {}

  /** Grows {@code image} by what an edit lacked plus room for a log extension, in whole MiB, and says so. */
  static void grow(Path image, long missingBytes, PrintWriter err) throws IOException {
    long old = Files.size(image);
    long by = (missingBytes + EXTENSION_ROOM + MIB - 1) / MIB * MIB;
    long now = TfsImageGrowth.growTo(image, old + by);
    err.println("tfs: note: " + image + " grown from " + old + " to " + now + " bytes to make room"
        + " (--no-grow fails instead)");
  }

  /**
   * The new size {@code text} asks for: {@code +N} more than {@code current}, or {@code N}; N is bytes,
   * or with K, M, G or T (powers of 1024).
   *
   * @throws IllegalArgumentException if it is neither
   */
  static long size(String text, long current) {
    boolean relative = text.startsWith("+");
    String n = relative ? text.substring(1) : text;
    long unit = 1;
    if (!n.isEmpty()) {
      switch (n.substring(n.length() - 1).toUpperCase(Locale.ROOT)) {
        case "K" -> unit = 1L << 10;
        case "M" -> unit = 1L << 20;
        case "G" -> unit = 1L << 30;
        case "T" -> unit = 1L << 40;
        default -> unit = 1;
      }
    }
    String digits = unit == 1 ? n : n.substring(0, n.length() - 1);
    if (!digits.matches("[0-9]{1,13}")) {
      throw new IllegalArgumentException("size '" + text + "': expected N or +N, with K, M, G or T for KiB, MiB, GiB, TiB");
    }
    long bytes = Math.multiplyExact(Long.parseLong(digits), unit);
    return relative ? Math.addExact(current, bytes) : bytes;
  }
}
