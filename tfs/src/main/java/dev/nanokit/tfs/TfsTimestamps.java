package dev.nanokit.tfs;

import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Which {@code mtime} {@link TfsWriter} gives entries (docs/formats/tfs.md, "6.5 Timestamps"). The host clock is never read.
 *
 * <ul>
 *   <li>{@link #none()} (the default, like mkfs and ops): no timestamps at all;
 *   <li>{@link #fixed(Instant)} / {@link #fromSourceDateEpoch(Map)}: every entry (root, directories,
 *       files, symlinks) gets the same {@code mtime};
 *   <li>{@link #fromFiles()}: entries taken from the host get their own modification time (symlinks
 *       their own, not their target's); entries with no host source get none;
 *   <li>{@link #clampedTo(Instant)}: as {@code fromFiles()}, but no time later than the limit, and
 *       entries with no host source get the limit (the reproducible-builds "clamp" rule).
 * </ul>
 *
 * <p>Immutable and safe for use by any number of threads.
 */
public final class TfsTimestamps {
  private enum Mode { NONE, FIXED, FILES }

  private static final TfsTimestamps NONE = new TfsTimestamps(Mode.NONE, null);
  private static final TfsTimestamps FILES = new TfsTimestamps(Mode.FILES, null);

  private final Mode mode;
  private final Instant limit; // FIXED: the time; FILES: the clamp, or null

  private TfsTimestamps(Mode mode, Instant limit) {
    this.mode = mode;
    this.limit = limit;
    if (limit != null) {
      TfsReproducibility.toFixedPoint(limit); // range check up front
    }
  }

  public static TfsTimestamps none() {
    return NONE;
  }

  public static TfsTimestamps fixed(Instant time) {
    return new TfsTimestamps(Mode.FIXED, Objects.requireNonNull(time, "time"));
  }

  /**
   * {@link #fixed} at {@code SOURCE_DATE_EPOCH} from {@code environment} (pass {@code System.getenv()}).
   *
   * @throws IllegalArgumentException if the variable is unset or malformed
   */
  public static TfsTimestamps fromSourceDateEpoch(Map<String, String> environment) {
    return fixed(TfsReproducibility.sourceDateEpoch(environment).orElseThrow(() ->
        new IllegalArgumentException(TfsReproducibility.SOURCE_DATE_EPOCH + " is not set")));
  }

  public static TfsTimestamps fromFiles() {
    return FILES;
  }

  /** The source files' own times, none later than {@code max}; entries without a host time get {@code max}. */
  public TfsTimestamps clampedTo(Instant max) {
    return new TfsTimestamps(Mode.FILES, Objects.requireNonNull(max, "max"));
  }

  /** Whether any entry gets a timestamp. */
  public boolean enabled() {
    return mode != Mode.NONE;
  }

  /** The 32.32 {@code mtime} for an entry whose host time is {@code hostTime} (null: none known). */
  OptionalLong mtimeFor(FileTime hostTime) {
    switch (mode) {
      case FIXED:
        return OptionalLong.of(TfsReproducibility.toFixedPoint(limit));
      case FILES:
        if (hostTime == null) {
          return limit == null ? OptionalLong.empty() : OptionalLong.of(TfsReproducibility.toFixedPoint(limit));
        }
        Instant t = hostTime.toInstant();
        if (limit != null && t.isAfter(limit)) {
          t = limit;
        }
        if (t.getEpochSecond() < 0) {
          t = Instant.EPOCH; // a pre-1970 host time cannot be stored; 0 is also what "missing" reads as
        }
        return OptionalLong.of(TfsReproducibility.toFixedPoint(t));
      default:
        return OptionalLong.empty();
    }
  }

  @Override
  public String toString() {
    return switch (mode) {
      case NONE -> "none";
      case FIXED -> "fixed " + limit;
      case FILES -> limit == null ? "from files" : "from files, clamped to " + limit;
    };
  }
}
