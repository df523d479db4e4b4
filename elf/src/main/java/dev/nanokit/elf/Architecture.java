package dev.nanokit.elf;

/**
 * Instruction set of an ELF object, derived from {@code e_machine} and the ELF class.
 *
 * <p>Only the architectures Nanos runs (docs/formats/elf-deps.md, "8 Architectures") and their common 32-bit siblings are named;
 * everything else is {@link #OTHER} and the raw value stays available via {@link
 * ElfFile#machine()}.
 *
 * <p>Immutable and safe for use by any number of threads.
 */
public enum Architecture {
  X86_64,
  AARCH64,
  RISCV64,
  X86,
  ARM,
  RISCV32,
  PPC64,
  PPC,
  S390X,
  MIPS,
  LOONGARCH64,
  OTHER;

  static final int EM_386 = 3;
  static final int EM_MIPS = 8;
  static final int EM_PPC = 20;
  static final int EM_PPC64 = 21;
  static final int EM_S390 = 22;
  static final int EM_ARM = 40;
  static final int EM_X86_64 = 62;
  static final int EM_AARCH64 = 183;
  static final int EM_RISCV = 243;
  static final int EM_LOONGARCH = 258;

  /** Maps a raw {@code e_machine} plus ELF class (32 or 64) to an architecture. */
  public static Architecture of(int machine, int elfClass) {
    boolean is64 = elfClass == 64;
    switch (machine) {
      case EM_X86_64:
        return is64 ? X86_64 : OTHER; // x32 ABI: distinct ABI, not plain x86-64
      case EM_AARCH64:
        return is64 ? AARCH64 : OTHER;
      case EM_RISCV:
        return is64 ? RISCV64 : RISCV32;
      case EM_386:
        return is64 ? OTHER : X86;
      case EM_ARM:
        return is64 ? OTHER : ARM;
      case EM_PPC64:
        return is64 ? PPC64 : OTHER;
      case EM_PPC:
        return is64 ? OTHER : PPC;
      case EM_S390:
        return is64 ? S390X : OTHER;
      case EM_MIPS:
        return MIPS;
      case EM_LOONGARCH:
        return is64 ? LOONGARCH64 : OTHER;
      default:
        return OTHER;
    }
  }
}
