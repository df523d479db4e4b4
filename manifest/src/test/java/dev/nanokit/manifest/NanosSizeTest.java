package dev.nanokit.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NanosSizeTest {
  @ParameterizedTest
  @CsvSource(quoteCharacter = '`', value = {
      "1, 1",
      "64M, 67108864",
      "64m, 67108864",
      "64MB, 67108864",
      "64Mwhatever, 67108864",
      "1k, 1024",
      "1K, 1024",
      "2g, 2147483648",
      "2G, 2147483648",
      "0x10, 16",
      "0X1fk, 31744",
      "010, 8",
      "010k, 8192",
      "` 5`, 5",
      "`\t\n5`, 5",
      "+5, 5",
      "1073741824, 1073741824",
  })
  void parsesStrtollWithAutomaticBaseAndSuffix(String text, long bytes) {
    assertThat(NanosSize.parse("imagesize", text)).isEqualTo(bytes);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "0", "-5", "5x", "5 ", "0x", "0xg", "08", "k", "M", "- 5", "5e3", "1.5g", "-0x10"})
  void rejectsWhatMkfsRejects(String text) {
    assertThatThrownBy(() -> NanosSize.parse("imagesize", text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("imagesize: invalid size \"");
  }

  @Test
  void stopsAtNulLikeACString() {
    assertThat(NanosSize.parse("imagesize", "5\0junk")).isEqualTo(5);
    assertThatThrownBy(() -> NanosSize.parse("-s", "\0" + "5"))
        .hasMessage("-s: invalid size \"\\u00005\" (expected a positive number, optionally 0x hex or 0 octal, "
            + "then an optional k, m or g)");
  }

  @Test
  void overflowIsAnErrorInsteadOfWrapping() {
    assertThatThrownBy(() -> NanosSize.parse("imagesize", "9223372036854775808"))
        .hasMessage("imagesize: size \"9223372036854775808\" is too large");
    assertThatThrownBy(() -> NanosSize.parse("coredumplimit", "0x7fffffffffffffffk"))
        .hasMessage("coredumplimit: size \"0x7fffffffffffffffk\" is too large");
    assertThatThrownBy(() -> NanosSize.parse("imagesize", "-9223372036854775809"))
        .hasMessageStartingWith("imagesize: invalid size");
    assertThat(NanosSize.parse("imagesize", "9223372036854775807")).isEqualTo(Long.MAX_VALUE);
  }
}
