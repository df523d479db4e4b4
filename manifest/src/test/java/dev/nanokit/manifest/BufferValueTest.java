package dev.nanokit.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class BufferValueTest {

  @Test
  void theOneZeroByteIsTheNullFlag() {
    assertThat(BufferValue.of(new byte[] {0})).isSameAs(BufferValue.NULL_FLAG);
    assertThat(BufferValue.wrap(new byte[] {0})).isSameAs(BufferValue.NULL_FLAG);
    assertThat(BufferValue.NULL_FLAG.isNullFlag()).isTrue();
    assertThat(BufferValue.NULL_FLAG.toString()).isEqualTo("<flag>");
    assertThat(BufferValue.of(new byte[] {1}).isNullFlag()).isFalse();
    assertThat(BufferValue.of(new byte[] {0, 0}).isNullFlag()).isFalse();
    assertThat(BufferValue.of(new byte[] {0, 0})).isNotSameAs(BufferValue.NULL_FLAG);
    assertThat(BufferValue.of(new byte[] {1})).isNotSameAs(BufferValue.NULL_FLAG);
    assertThat(BufferValue.wrap(new byte[] {0, 0}).isNullFlag()).isFalse();
    assertThat(BufferValue.wrap(new byte[] {7}).isNullFlag()).isFalse();
  }

  @Test
  void anEmptyBufferIsRefused() {
    assertThatThrownBy(() -> BufferValue.of(new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("an empty buffer is the deletion marker, not a value");
  }

  @Test
  void bytesAreCopiedInAndOut() {
    byte[] in = {1, (byte) 0xab};
    BufferValue b = BufferValue.of(in);
    in[0] = 9;
    assertThat(b.bytes()).containsExactly(1, 0xab);
    b.bytes()[0] = 9;
    assertThat(b.bytes()).containsExactly(1, 0xab);
    assertThat(b.length()).isEqualTo(2);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x55);
    b.writeTo(out);
    assertThat(out.toByteArray()).containsExactly(0x55, 1, 0xab);
    assertThat(b.toString()).isEqualTo("<buffer 01 ab>");
  }

  @Test
  void equalityFollowsTheBytes() {
    assertThat(BufferValue.of(new byte[] {1, 2})).isEqualTo(BufferValue.of(new byte[] {1, 2}))
        .hasSameHashCodeAs(BufferValue.of(new byte[] {1, 2}));
    assertThat(BufferValue.of(new byte[] {1, 2}).hashCode()).isEqualTo(java.util.Arrays.hashCode(new byte[] {1, 2}));
    assertThat(BufferValue.of(new byte[] {1, 2})).isNotEqualTo(BufferValue.of(new byte[] {1, 3}));
    assertThat(BufferValue.of(new byte[] {1})).isNotEqualTo(StringValue.ofBytes(new byte[] {1}));
  }
}
