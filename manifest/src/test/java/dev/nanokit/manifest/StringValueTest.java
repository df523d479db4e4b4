package dev.nanokit.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class StringValueTest {

  @Test
  void holdsTheBytesAndDecodesThemLeniently() {
    StringValue s = StringValue.ofBytes(new byte[] {'a', (byte) 0xff});
    assertThat(s.length()).isEqualTo(2);
    assertThat(s.text()).isEqualTo("a\uFFFD");
    assertThat(StringValue.of("é").length()).isEqualTo(2);
    assertThat(StringValue.of("é").bytes()).containsExactly(0xc3, 0xa9);
  }

  @Test
  void bytesAreCopiedInAndOut() {
    byte[] in = {'x', 'y'};
    StringValue s = StringValue.ofBytes(in);
    in[0] = 'z';
    s.bytes()[1] = 'z';
    assertThat(s.text()).isEqualTo("xy");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write('>');
    s.writeTo(out);
    assertThat(out.toByteArray()).containsExactly('>', 'x', 'y');
  }

  @Test
  void equalityFollowsTheBytesAndToStringQuotes() {
    assertThat(StringValue.of("ab")).isEqualTo(StringValue.ofBytes(new byte[] {'a', 'b'}))
        .hasSameHashCodeAs(StringValue.of("ab"));
    assertThat(StringValue.of("ab").hashCode()).isEqualTo(java.util.Arrays.hashCode(new byte[] {'a', 'b'}));
    assertThat(StringValue.of("ab")).isNotEqualTo(StringValue.of("ac"));
    assertThat(StringValue.of("a\"b\\c").toString()).isEqualTo("\"a\\\"b\\\\c\"");
    assertThat(IntegerValue.of(-5).toString()).isEqualTo("-5");
  }
}
