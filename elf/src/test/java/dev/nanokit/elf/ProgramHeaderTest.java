package dev.nanokit.elf;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** docs/formats/elf-deps.md, "2.4 Virtual address → file offset": an address is file-backed in [p_vaddr, p_vaddr + p_filesz). */
class ProgramHeaderTest {

  private static ProgramHeader load(long vaddr, long filesz, long memsz) {
    return new ProgramHeader(ProgramHeader.PT_LOAD, ProgramHeader.PF_R, 0x1000, vaddr, vaddr, filesz, memsz, 0x1000);
  }

  @Test
  void mapsExactlyTheFileBackedAddresses() {
    ProgramHeader ph = load(0x400000, 0x100, 0x200);
    assertThat(ph.mapsAddress(0x400000)).isTrue();
    assertThat(ph.mapsAddress(0x4000FF)).isTrue();
    assertThat(ph.mapsAddress(0x400100)).isFalse(); // memory-only (bss) bytes have no file offset
    assertThat(ph.mapsAddress(0x3FFFFF)).isFalse();
    assertThat(ph.mapsAddress(0)).isFalse();
  }

  @Test
  void addressesAreUnsigned() {
    ProgramHeader high = load(0xFFFF_FFFF_FFFF_F000L, 0x1000, 0x1000);
    assertThat(high.mapsAddress(-1L)).isTrue();
    assertThat(high.mapsAddress(0xFFFF_FFFF_FFFF_F000L)).isTrue();
    assertThat(high.mapsAddress(0x1000)).isFalse();
    assertThat(load(0, 0, 0x1000).mapsAddress(0)).isFalse();
  }
}
