package dev.nanokit.tfs;

import dev.nanokit.tfs.log.TfsFormat;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;

/**
 * What makes {@link TfsWriter} output a function of its input only — the same tree gives the same
 * bytes on every host, every run:
 *
 * <ul>
 *   <li><b>order</b>: directory entries are written in {@link #NAME_ORDER} (UTF-8 byte order), never in
 *       host listing order; file data is laid out in that same depth-first order;
 *   <li><b>UUID</b>: unless one is given, it is {@link #derivedUuid derived from the content} — a
 *       SHA-256 over the version, label, volume size, the encoded root tuple and the SHA-256 of every
 *       file's bytes in layout order — never random;
 *   <li><b>time</b>: the host clock is never read. No {@code mtime} is written unless a
 *       {@link TfsTimestamps} policy asks for one: a fixed instant (e.g. {@link #sourceDateEpoch
 *       SOURCE_DATE_EPOCH}) or the source files' own times;
 *   <li>nothing else of the host (owner, permissions, inode numbers, listing order) reaches the image.
 * </ul>
 *
 * <p>Stateless: safe for use by any number of threads.
 */
public final class TfsReproducibility {
  private TfsReproducibility() {}

  /** Name of the environment variable of the reproducible-builds convention. */
  public static final String SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH";

  /**
   * UTF-8 byte order of names (the same as code point order, unlike {@link String#compareTo} for
   * characters outside the BMP).
   */
  public static final Comparator<String> NAME_ORDER = TfsReproducibility::compareUtf8;

  private static final byte[] UUID_DOMAIN = "nanokit tfs volume uuid v1\0".getBytes(StandardCharsets.US_ASCII);

  static int compareUtf8(String a, String b) {
    // UTF-16 order is code point order until a surrogate differs: compare chars (every name of a
    // listing is compared this way, many times over) and hand the rare surrogate to the full loop.
    int n = Math.min(a.length(), b.length());
    for (int k = 0; k < n; k++) {
      char ca = a.charAt(k);
      char cb = b.charAt(k);
      if (ca != cb) {
        if (Character.isSurrogate(ca) || Character.isSurrogate(cb)) {
          return compareCodePoints(a, b);
        }
        return Integer.compare(ca, cb);
      }
    }
    return Integer.compare(a.length(), b.length());
  }

  private static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  /**
   * The instant named by {@code SOURCE_DATE_EPOCH} in {@code environment} (pass {@code System.getenv()}),
   * or empty if it is unset or blank.
   *
   * @throws IllegalArgumentException if it is set but is not a non-negative decimal number of seconds
   */
  public static Optional<Instant> sourceDateEpoch(Map<String, String> environment) {
    String value = environment.get(SOURCE_DATE_EPOCH);
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String v = value.strip();
    if (!v.chars().allMatch(c -> c >= '0' && c <= '9') || v.length() > 18) {
      throw new IllegalArgumentException(SOURCE_DATE_EPOCH + " must be a whole number of seconds since 1970, got '"
          + value + "'");
    }
    return Optional.of(Instant.ofEpochSecond(Long.parseLong(v)));
  }

  /**
   * {@code t} as TFS stores {@code mtime}/{@code atime}: unsigned 32.32 fixed-point seconds since the
   * epoch (docs/formats/tfs.md, "6.5 Timestamps"), the fraction truncated.
   *
   * <p>The format has 32 bits of seconds (to 2106), but values from 2^63 on do not fit the signed
   * {@code IntegerValue} of the tuple model, so times from 2038-01-19T03:14:08Z on are refused.
   *
   * @throws IllegalArgumentException before 1970 or from 2038-01-19T03:14:08Z on
   */
  public static long toFixedPoint(Instant t) {
    long seconds = t.getEpochSecond();
    if (seconds < 0 || seconds > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("time " + t + " does not fit TFS 32.32 fixed-point seconds");
    }
    long fraction = ((long) t.getNano() << 32) / 1_000_000_000L;
    return seconds << 32 | fraction;
  }

  /**
   * The UUID derived from a content digest: its first 16 bytes, marked as an RFC 9562 version-8
   * (custom) UUID so it is never mistaken for a random one.
   */
  static byte[] derivedUuid(byte[] sha256) {
    byte[] u = Arrays.copyOf(sha256, TfsFormat.UUID_LENGTH);
    u[6] = (byte) ((u[6] & 0x0f) | 0x80);
    u[8] = (byte) ((u[8] & 0x3f) | 0x80);
    return u;
  }

  /** The digest {@link #derivedUuid} is taken from, primed with everything but the file digests. */
  static MessageDigest uuidDigest(int version, byte[] label, long sizeBytes, byte[] encodedRoot) {
    MessageDigest md = sha256();
    md.update(UUID_DOMAIN);
    md.update((byte) version);
    md.update((byte) label.length);
    md.update(label);
    md.update(longBytes(sizeBytes));
    md.update(longBytes(encodedRoot.length));
    md.update(encodedRoot);
    return md;
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JVM has SHA-256", e);
    }
  }

  private static byte[] longBytes(long v) {
    byte[] b = new byte[8];
    for (int i = 7; i >= 0; i--) {
      b[i] = (byte) v;
      v >>>= 8;
    }
    return b;
  }

  /** Lowercase text form of a 16-byte UUID (docs/formats/tfs.md, "3.2 Extension header": on-disk byte order, no GUID swapping). */
  static String uuidText(byte[] u) {
    StringBuilder sb = new StringBuilder(36);
    for (int i = 0; i < u.length; i++) {
      if (i == 4 || i == 6 || i == 8 || i == 10) {
        sb.append('-');
      }
      sb.append(Character.forDigit((u[i] >> 4) & 0xf, 16)).append(Character.forDigit(u[i] & 0xf, 16));
    }
    return sb.toString();
  }
}
