package dev.nanokit.elf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class ElfNoteTest {

  private static ElfNote note(String name, int type, byte[] desc, long offset) {
    return new ElfNote(name, type, desc, offset, ByteOrder.LITTLE_ENDIAN);
  }

  @Test
  void equalNotesAgreeOnNameTypeOffsetAndDescriptor() {
    ElfNote a = note("GNU", 3, new byte[] {1, 2}, 0x100);
    assertThat(a).isEqualTo(note("GNU", 3, new byte[] {1, 2}, 0x100)).hasSameHashCodeAs(note("GNU", 3, new byte[] {1, 2}, 0x100));
    assertThat(a).isNotEqualTo(note("Xen", 3, new byte[] {1, 2}, 0x100));
    assertThat(a).isNotEqualTo(note("GNU", 4, new byte[] {1, 2}, 0x100));
    assertThat(a).isNotEqualTo(note("GNU", 3, new byte[] {1, 3}, 0x100));
    assertThat(a).isNotEqualTo(note("GNU", 3, new byte[] {1, 2}, 0x104));
    assertThat(a).isNotEqualTo("GNU");
    assertThat(a.hashCode()).isNotEqualTo(note("GNU", 3, new byte[] {1, 3}, 0x100).hashCode());
    assertThat(a.toString()).isEqualTo("ElfNote[GNU, type=3, desc=0102]");
  }
}
