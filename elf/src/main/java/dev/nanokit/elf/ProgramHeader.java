package dev.nanokit.elf;

/**
 * One program header (docs/formats/elf-deps.md, "2.2 Program header (56 bytes each, at e_phoff + i × e_phentsize)"), widened to 64-bit fields for both ELF classes. Offsets,
 * addresses and sizes are unsigned values held in {@code long}.
 *
 * <p>Immutable and safe for use by any number of threads.
 */
public record ProgramHeader(
    int type, int flags, long offset, long vaddr, long paddr, long filesz, long memsz, long align) {
  public static final int PT_NULL = 0;
  public static final int PT_LOAD = 1;
  public static final int PT_DYNAMIC = 2;
  public static final int PT_INTERP = 3;
  public static final int PT_NOTE = 4;
  public static final int PT_PHDR = 6;
  public static final int PT_TLS = 7;
  public static final int PT_GNU_EH_FRAME = 0x6474E550;
  public static final int PT_GNU_STACK = 0x6474E551;
  public static final int PT_GNU_RELRO = 0x6474E552;

  public static final int PF_X = 1;
  public static final int PF_W = 2;
  public static final int PF_R = 4;

  /** True if the unsigned address lies in the file-backed part of this segment. */
  boolean mapsAddress(long addr) {
    return Long.compareUnsigned(addr, vaddr) >= 0 && Long.compareUnsigned(addr - vaddr, filesz) < 0;
  }
}
