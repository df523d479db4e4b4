package dev.nanokit.elf;

/**
 * One section header (docs/formats/elf-deps.md, "2.4 Virtual address → file offset" fallback), widened to 64-bit fields for both ELF classes.
 * {@code name} is resolved from the section-name string table, or empty if that is absent.
 *
 * <p>Immutable and safe for use by any number of threads.
 */
public record SectionHeader(
    String name,
    int type,
    long flags,
    long addr,
    long offset,
    long size,
    int link,
    int info,
    long addralign,
    long entsize) {
  public static final int SHT_NULL = 0;
  public static final int SHT_PROGBITS = 1;
  public static final int SHT_SYMTAB = 2;
  public static final int SHT_STRTAB = 3;
  public static final int SHT_NOTE = 7;
  public static final int SHT_DYNAMIC = 6;
  public static final int SHT_NOBITS = 8;
  public static final int SHT_DYNSYM = 11;
}
