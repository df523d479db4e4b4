package dev.nanokit.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TupleFormatExceptionTest {

  @Test
  void theMessageNamesTheOffsetAndTheReasonStandsAlone() {
    TupleFormatException e = new TupleFormatException("bad type 7", 42);
    assertThat(e.getMessage()).isEqualTo("bad type 7 at byte offset 42");
    assertThat(e.reason()).isEqualTo("bad type 7");
    assertThat(e.offset()).isEqualTo(42);
  }
}
