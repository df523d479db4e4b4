package dev.nanokit.core.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OpsSizeTest {
  @ParameterizedTest
  @CsvSource({
      "0, 0",
      "512, 512",
      "1000, 1000",
      "1k, 1024",
      "1K, 1024",
      "64m, 67108864",
      "64M, 67108864",
      "2g, 2147483648",
      "2G, 2147483648",
      "007, 7",
      "8589934591g, 9223372035781033984",
  })
  void parsesDigitsAndOneUnit(String text, long bytes) {
    assertThat(OpsSize.parse("BaseVolumeSz", text)).isEqualTo(bytes);
  }

  /** "7 Ambiguities and ops/Nanos differences" item 5: what ops silently drops, nanokit reports. */
  @ParameterizedTest
  @ValueSource(strings = {"", "k", "1GB", "1kb", "1.5g", "-1", "+1", " 1", "1 ", "0x10", "1t", "١", "1kk", "g1"})
  void rejectsEverythingElseNamingTheField(String text) {
    assertThatThrownBy(() -> OpsSize.parse("BaseVolumeSz", text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("BaseVolumeSz: invalid size \"" + text + "\" (expected digits followed by an optional k, m or g)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"9223372036854775808", "8589934592g", "99999999999999999999999m"})
  void rejectsSizesThatDoNotFitInALong(String text) {
    assertThatThrownBy(() -> OpsSize.parse("BaseVolumeSz", text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("BaseVolumeSz: size \"" + text + "\" is too large");
  }
}
