package dev.nanokit.tfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** docs/formats/tfs.md, "6.5 Timestamps": which 32.32 mtime each policy gives an entry. */
class TfsTimestampsTest {
  private static final Instant T5 = Instant.ofEpochSecond(5);
  private static final Instant T9 = Instant.ofEpochSecond(9, 500_000_000);

  @Test
  void noneGivesNothing() {
    assertThat(TfsTimestamps.none().enabled()).isFalse();
    assertThat(TfsTimestamps.none().mtimeFor(FileTime.from(T5))).isEmpty();
    assertThat(TfsTimestamps.none().toString()).isEqualTo("none");
  }

  @Test
  void fixedGivesEveryEntryTheSameTime() {
    TfsTimestamps fixed = TfsTimestamps.fixed(T9);
    assertThat(fixed.enabled()).isTrue();
    assertThat(fixed.mtimeFor(null)).hasValue(9L << 32 | 0x8000_0000L);
    assertThat(fixed.mtimeFor(FileTime.from(T5))).hasValue(9L << 32 | 0x8000_0000L);
    assertThat(fixed.toString()).isEqualTo("fixed " + T9);
    assertThat(TfsTimestamps.fromSourceDateEpoch(Map.of("SOURCE_DATE_EPOCH", "5")).mtimeFor(null)).hasValue(5L << 32);
    assertThatThrownBy(() -> TfsTimestamps.fromSourceDateEpoch(Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("SOURCE_DATE_EPOCH is not set");
    assertThatThrownBy(() -> TfsTimestamps.fixed(Instant.ofEpochSecond(-1))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void fromFilesUsesTheHostTimeAndNothingWithoutOne() {
    TfsTimestamps files = TfsTimestamps.fromFiles();
    assertThat(files.enabled()).isTrue();
    assertThat(files.mtimeFor(FileTime.from(T9))).hasValue(9L << 32 | 0x8000_0000L);
    assertThat(files.mtimeFor(null)).isEmpty();
    // Before 1970 cannot be stored: 0, which is also what a missing time reads as.
    assertThat(files.mtimeFor(FileTime.from(Instant.ofEpochSecond(-10)))).hasValue(0);
    assertThat(files.mtimeFor(FileTime.from(Instant.EPOCH))).hasValue(0);
    assertThat(files.toString()).isEqualTo("from files");
  }

  @Test
  void clampedTimesNeverPassTheLimitAndFillInMissingOnes() {
    TfsTimestamps clamped = TfsTimestamps.fromFiles().clampedTo(T5);
    assertThat(clamped.enabled()).isTrue();
    assertThat(clamped.mtimeFor(FileTime.from(T9))).hasValue(5L << 32);
    assertThat(clamped.mtimeFor(FileTime.from(T5))).hasValue(5L << 32);
    assertThat(clamped.mtimeFor(FileTime.from(Instant.ofEpochSecond(4)))).hasValue(4L << 32);
    assertThat(clamped.mtimeFor(null)).isEqualTo(OptionalLong.of(5L << 32));
    assertThat(clamped.toString()).isEqualTo("from files, clamped to " + T5);
    assertThatThrownBy(() -> TfsTimestamps.fromFiles().clampedTo(null)).isInstanceOf(NullPointerException.class).hasMessage("max");
    assertThatThrownBy(() -> TfsTimestamps.fixed(null)).isInstanceOf(NullPointerException.class).hasMessage("time");
  }
}
