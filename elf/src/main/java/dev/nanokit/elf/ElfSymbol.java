package dev.nanokit.elf;

/**
 * One entry of {@code .dynsym} or {@code .symtab}, widened to 64-bit fields for both ELF classes.
 * Read only on request ({@link ElfFile#readSymbols}) because symbol tables are the largest
 * metadata in a binary and the resolver never needs them.
 *
 * @param info raw {@code st_info}: binding in the high nibble, type in the low nibble
 * @param other raw {@code st_other}: visibility in the low two bits
 * @param sectionIndex {@code st_shndx}; 0 means undefined (imported)
 *
 * <p>Immutable and safe for use by any number of threads.
 */
public record ElfSymbol(String name, long value, long size, int info, int other, int sectionIndex) {
  public static final int STB_LOCAL = 0;
  public static final int STB_GLOBAL = 1;
  public static final int STB_WEAK = 2;
  public static final int STT_NOTYPE = 0;
  public static final int STT_OBJECT = 1;
  public static final int STT_FUNC = 2;
  public static final int STT_SECTION = 3;
  public static final int STT_FILE = 4;
  public static final int STT_TLS = 6;
  public static final int STT_GNU_IFUNC = 10;
  public static final int SHN_UNDEF = 0;

  public int binding() {
    return info >>> 4;
  }

  public int type() {
    return info & 0xF;
  }

  /** True if the symbol is imported from another object (st_shndx == SHN_UNDEF). */
  public boolean isUndefined() {
    return sectionIndex == SHN_UNDEF;
  }
}
