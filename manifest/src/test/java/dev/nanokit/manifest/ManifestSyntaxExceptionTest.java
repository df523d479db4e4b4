package dev.nanokit.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class ManifestSyntaxExceptionTest {
  @Test
  void messageIsFileLineColumnReason() {
    ManifestSyntaxException e = new ManifestSyntaxException("manifest.txt", 3, 14, "unterminated quoted string");
    assertThat(e).isInstanceOf(IOException.class);
    assertThat(e.getMessage()).isEqualTo("manifest.txt:3:14: unterminated quoted string");
    assertThat(new ManifestSyntaxException(null, 1, 2, "x").getMessage()).isEqualTo("1:2: x");
  }
}
