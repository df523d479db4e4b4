package dev.nanokit.manifest.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanokit.testing.manifest.Hex;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VarintTest {
  /** The table of docs/formats/tfs.md, "2 Varint". */
  @ParameterizedTest
  @CsvSource({
    "0, 00",
    "1, 01",
    "5, 05",
    "127, 7F",
    "128, 81 00",
    "1024, 88 00",
    "1025, 88 01",
    "3073, 98 01",
    "16384, 81 80 00",
    "17025, 81 85 01",
    "0x6592008000000000, E5 C9 80 90 80 80 80 80 00",
  })
  void encodesTheSpecTable(String value, String hex) {
    long v = Long.decode(value);
    assertThat(Hex.format(Varint.encode(v))).isEqualTo(hex);
    assertThat(Varint.length(v)).isEqualTo(Hex.bytes(hex).length);
  }

  @ParameterizedTest
  @CsvSource({"-1, 81 FF FF FF FF FF FF FF FF 7F"})
  void encodesTheFull64BitsInTenBytes(long value, String hex) {
    assertThat(Hex.format(Varint.encode(value))).isEqualTo(hex);
  }
}
