package dev.nanokit.core.ops;

/**
 * The size syntax of ops' {@code BaseVolumeSz} (docs/formats/manifest.md, "5.2 Fields that influence the image", "7 Ambiguities and ops/Nanos differences" item 5): ASCII digits followed
 * by at most one unit letter {@code k}, {@code m} or {@code g} (either case, powers of 1024).
 * ops silently drops a value it cannot parse ({@code 1GB}); nanokit reports it, naming the field.
 */
public final class OpsSize {
  private OpsSize() {}

  /**
   * The size in bytes, exactly as written (ops rounds it up to a multiple of 512 when it uses it).
   *
   * @param field the setting's name for the error message, e.g. {@code BaseVolumeSz}
   * @throws IllegalArgumentException one line naming {@code field} when the text is not a size or
   *     the size does not fit in a signed 64-bit byte count
   */
  public static long parse(String field, String text) {
    int end = text.length();
    long unit = 1;
    if (end > 0) {
      switch (text.charAt(end - 1)) {
        case 'k', 'K' -> unit = 1L << 10;
        case 'm', 'M' -> unit = 1L << 20;
        case 'g', 'G' -> unit = 1L << 30;
        default -> unit = 1;
      }
      if (unit != 1) {
        end--;
      }
    }
    if (end == 0) {
      throw invalid(field, text);
    }
    long value = 0;
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        throw invalid(field, text);
      }
      try {
        value = Math.addExact(Math.multiplyExact(value, 10), c - '0');
      } catch (ArithmeticException e) {
        throw tooLarge(field, text);
      }
    }
    try {
      return Math.multiplyExact(value, unit);
    } catch (ArithmeticException e) {
      throw tooLarge(field, text);
    }
  }

  private static IllegalArgumentException invalid(String field, String text) {
    return new IllegalArgumentException(field + ": invalid size \"" + text
        + "\" (expected digits followed by an optional k, m or g)");
  }

  private static IllegalArgumentException tooLarge(String field, String text) {
    return new IllegalArgumentException(field + ": size \"" + text + "\" is too large");
  }
}
