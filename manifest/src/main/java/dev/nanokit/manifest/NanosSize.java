package dev.nanokit.manifest;

/**
 * The size syntax of Nanos {@code mkfs} for {@code imagesize}, {@code coredumplimit} and {@code -s}
 * (manifest.md §2.2, mkfs {@code parse_size}): C {@code strtoll} with automatic base (leading
 * whitespace and a sign allowed; {@code 0x} hex, leading {@code 0} octal, else decimal), then
 * either the end of the text or a unit letter {@code k}/{@code K}, {@code m}/{@code M},
 * {@code g}/{@code G} (powers of 1024) after which anything is ignored. The result must be
 * positive. Where C would overflow silently, this reports an error instead.
 */
public final class NanosSize {
  private NanosSize() {}

  /**
   * The size in bytes.
   *
   * @param field the key's name for the error message, e.g. {@code imagesize}
   * @throws IllegalArgumentException one line naming {@code field} when mkfs would reject the text,
   *     or the size does not fit in a signed 64-bit byte count
   */
  public static long parse(String field, String text) {
    // mkfs hands the value to C as a NUL-terminated string.
    int nul = text.indexOf('\0');
    String s = nul >= 0 ? text.substring(0, nul) : text;
    int i = 0;
    while (i < s.length() && isCSpace(s.charAt(i))) {
      i++;
    }
    boolean negative = false;
    if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
      negative = s.charAt(i) == '-';
      i++;
    }
    int base = 10;
    if (i + 2 < s.length() && s.charAt(i) == '0' && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')
        && Character.digit(s.charAt(i + 2), 16) >= 0) {
      base = 16;
      i += 2;
    } else if (i < s.length() && s.charAt(i) == '0') {
      base = 8;
    }
    long value = 0;
    boolean overflow = false;
    int digitsStart = i;
    while (i < s.length()) {
      char c = s.charAt(i);
      int d = c < 128 ? Character.digit(c, base) : -1;
      if (d < 0) {
        break;
      }
      if (!overflow) {
        try {
          value = Math.addExact(Math.multiplyExact(value, base), d);
        } catch (ArithmeticException e) {
          overflow = true;
        }
      }
      i++;
    }
    if (overflow) {
      // strtoll clamps; a clamped negative value is still not a size.
      throw negative ? invalid(field, text) : tooLarge(field, text);
    }
    // strtoll with no digits leaves the end pointer at the start of the text and returns 0.
    if (i == digitsStart) {
      value = 0;
      i = 0;
    }
    if (negative) {
      value = -value;
    }
    if (value <= 0) {
      throw invalid(field, text);
    }
    long unit;
    char suffix = i < s.length() ? s.charAt(i) : '\0';
    switch (suffix) {
      case 'k', 'K' -> unit = 1L << 10;
      case 'm', 'M' -> unit = 1L << 20;
      case 'g', 'G' -> unit = 1L << 30;
      case '\0' -> unit = 1;
      default -> throw invalid(field, text);
    }
    try {
      return Math.multiplyExact(value, unit);
    } catch (ArithmeticException e) {
      throw tooLarge(field, text);
    }
  }

  private static boolean isCSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == 0x0b || c == '\f' || c == '\r';
  }

  private static IllegalArgumentException invalid(String field, String text) {
    return new IllegalArgumentException(field + ": invalid size \"" + printable(text)
        + "\" (expected a positive number, optionally 0x hex or 0 octal, then an optional k, m or g)");
  }

  private static IllegalArgumentException tooLarge(String field, String text) {
    return new IllegalArgumentException(field + ": size \"" + printable(text) + "\" is too large");
  }

  private static String printable(String text) {
    StringBuilder sb = new StringBuilder();
    text.codePoints().forEach(c -> sb.append(ManifestCursor.display(c)));
    return sb.toString();
  }
}
