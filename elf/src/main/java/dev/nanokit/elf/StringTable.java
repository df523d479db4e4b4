package dev.nanokit.elf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A NUL-terminated string table loaded once into memory (docs/formats/elf-deps.md, "2.3 Dynamic section entries (16 bytes each)": strings are at
 * {@code strtab + d_val}).
 *
 * <p>Decoded strings are cached by offset and the total decoded size is capped, so a hostile file
 * with a million DT_NEEDED entries pointing at long strings cannot exhaust memory.
 */
final class StringTable {
  private static final long MAX_DECODED = 16L << 20;

  private final ByteSource src;
  private final long fileOffset;
  private final ByteBuffer data;
  private final String what;
  private final Map<Long, String> cache = new HashMap<>();
  private final long maxDecoded;
  private long decoded;

  StringTable(ByteSource src, long start, long end, String what) throws IOException {
    this(src, start, end, what, ByteSource.MAX_READ, MAX_DECODED);
  }

  /**
   * A table allowed up to {@code maxBytes} (symbol string tables of large libraries exceed the
   * default) and {@code maxDecoded} characters of decoded strings in total; both bounded by the
   * caller in terms of the file size so that the work stays linear in the input.
   */
  StringTable(ByteSource src, long start, long end, String what, int maxBytes, long maxDecoded)
      throws IOException {
    this.src = src;
    this.fileOffset = start;
    this.what = what;
    this.maxDecoded = maxDecoded;
    if (Long.compareUnsigned(end, start) < 0) {
      throw src.error(what + " table ends before it starts", start);
    }
    this.data = src.read(start, end - start, what + " table", maxBytes);
  }

  String get(long offset) throws ElfFormatException {
    String cached = cache.get(offset);
    if (cached != null) {
      return cached;
    }
    int limit = data.limit();
    if (offset < 0 || offset >= limit) {
      throw src.error(what + " offset " + Long.toUnsignedString(offset) + " outside its table of "
          + limit + " bytes", fileOffset);
    }
    int start = (int) offset;
    int end = start;
    // The scan itself is bounded by the remaining budget, so many distinct offsets into one long
    // unterminated run cannot make the total work quadratic.
    long maxEnd = Math.min(limit, start + (maxDecoded - decoded) + 1);
    while (end < maxEnd && data.get(end) != 0) {
      end++;
    }
    if (end == limit) {
      throw src.error(what + " not NUL-terminated", fileOffset + start);
    }
    if (end == maxEnd) {
      throw src.error(what + "s exceed " + maxDecoded + " bytes in total", fileOffset + start);
    }
    decoded += end - start;
    byte[] bytes = new byte[end - start];
    data.get(start, bytes);
    String s = new String(bytes, StandardCharsets.UTF_8);
    cache.put(offset, s);
    return s;
  }
}
