package dev.nanokit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class OpsConfigExceptionTest {
  @Test
  void messageIsSourceLineColumnReason() {
    OpsConfigException e = new OpsConfigException("config.json", 1, 12, "field \"Args\" must be an array of strings");
    assertThat(e).isInstanceOf(IOException.class);
    assertThat(e.getMessage()).isEqualTo("config.json:1:12: field \"Args\" must be an array of strings");
    assertThat(new OpsConfigException(null, 2, 3, "x").getMessage()).isEqualTo("2:3: x");
    assertThat(new OpsConfigException("c.json", 0, 0, "x").getMessage()).isEqualTo("c.json: x");
    assertThat(new OpsConfigException(null, 0, 0, "x").getMessage()).isEqualTo("x");
  }
}
