package dev.nanokit.elf;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** e_machine plus class to architecture (docs/formats/elf-deps.md, "8 Architectures"). */
class ArchitectureTest {

  @Test
  void eachMachineNamesItsArchitectureOnlyInItsOwnClass() {
    assertThat(Architecture.of(Architecture.EM_X86_64, 64)).isEqualTo(Architecture.X86_64);
    assertThat(Architecture.of(Architecture.EM_X86_64, 32)).isEqualTo(Architecture.OTHER);
    assertThat(Architecture.of(Architecture.EM_AARCH64, 64)).isEqualTo(Architecture.AARCH64);
    assertThat(Architecture.of(Architecture.EM_AARCH64, 32)).isEqualTo(Architecture.OTHER);
    assertThat(Architecture.of(Architecture.EM_RISCV, 64)).isEqualTo(Architecture.RISCV64);
    assertThat(Architecture.of(Architecture.EM_RISCV, 32)).isEqualTo(Architecture.RISCV32);
    assertThat(Architecture.of(Architecture.EM_386, 32)).isEqualTo(Architecture.X86);
    assertThat(Architecture.of(Architecture.EM_386, 64)).isEqualTo(Architecture.OTHER);
    assertThat(Architecture.of(Architecture.EM_ARM, 32)).isEqualTo(Architecture.ARM);
    assertThat(Architecture.of(Architecture.EM_ARM, 64)).isEqualTo(Architecture.OTHER);
    assertThat(Architecture.of(Architecture.EM_PPC64, 64)).isEqualTo(Architecture.PPC64);
    assertThat(Architecture.of(Architecture.EM_PPC64, 32)).isEqualTo(Architecture.OTHER);
    assertThat(Architecture.of(Architecture.EM_PPC, 32)).isEqualTo(Architecture.PPC);
    assertThat(Architecture.of(Architecture.EM_PPC, 64)).isEqualTo(Architecture.OTHER);
    assertThat(Architecture.of(Architecture.EM_S390, 64)).isEqualTo(Architecture.S390X);
    assertThat(Architecture.of(Architecture.EM_S390, 32)).isEqualTo(Architecture.OTHER);
    assertThat(Architecture.of(Architecture.EM_MIPS, 32)).isEqualTo(Architecture.MIPS);
    assertThat(Architecture.of(Architecture.EM_MIPS, 64)).isEqualTo(Architecture.MIPS);
    assertThat(Architecture.of(Architecture.EM_LOONGARCH, 64)).isEqualTo(Architecture.LOONGARCH64);
    assertThat(Architecture.of(Architecture.EM_LOONGARCH, 32)).isEqualTo(Architecture.OTHER);
    assertThat(Architecture.of(0, 64)).isEqualTo(Architecture.OTHER);
  }
}
