package dev.nanokit.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IntegerValueTest {
  @Test
  void ofGivesTheValueOnBothSidesOfTheSharedSmallOnes() {
    for (long v : new long[] {Long.MIN_VALUE, -1, 0, 1, 1023, 1024, Long.MAX_VALUE}) {
      IntegerValue x = IntegerValue.of(v);
      assertThat(x.value()).isEqualTo(v);
      assertThat(x).isEqualTo(new IntegerValue(v)).hasSameHashCodeAs(new IntegerValue(v));
      assertThat(x.toString()).isEqualTo(Long.toString(v));
    }
    assertThat(IntegerValue.of(7)).isSameAs(IntegerValue.of(7));
    assertThat(IntegerValue.of(7)).isNotEqualTo(IntegerValue.of(8));
  }
}
