package dev.nanokit.manifest.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** docs/formats/tfs.md, "3.2 Extension header", "4.1 Header, version 5", "4.2 Header, version 4 (legacy, read support)": the version byte and the header layout it selects. */
class TupleEncodingTest {

  @Test
  void versionsFourAndFiveAreTheOnlyEncodings() {
    assertThat(TupleEncoding.forVersion(4)).isSameAs(TupleEncoding.V4);
    assertThat(TupleEncoding.forVersion(5)).isSameAs(TupleEncoding.V5);
    assertThat(TupleEncoding.forVersion(3)).isNull();
    assertThat(TupleEncoding.forVersion(6)).isNull();
    assertThat(TupleEncoding.forVersion(5L + (1L << 32))).isNull();
    assertThat(TupleEncoding.V4.version()).isEqualTo(4);
    assertThat(TupleEncoding.V5.version()).isEqualTo(5);
  }

  @Test
  void headerLengthFieldsAreFiveAndThreeBits() {
    assertThat(TupleEncoding.V4.lowBits()).isEqualTo(5);
    assertThat(TupleEncoding.V5.lowBits()).isEqualTo(3);
  }
}
