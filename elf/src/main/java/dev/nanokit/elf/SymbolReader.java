package dev.nanokit.elf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes {@code .dynsym} / {@code .symtab} (ELF gABI "Symbol Table"; not needed by docs/formats/elf-deps.md,
 * which only uses the dynamic section). Reads in bounded chunks so that a symbol table larger than
 * {@link ByteSource#MAX_READ} never needs one large buffer, and caps the entry count so that the
 * decoded list stays proportional to a sane file.
 */
final class SymbolReader {
  static final int MAX_SYMBOLS = 1 << 22;
  private static final int CHUNK_ENTRIES = 4096;

  private SymbolReader() {}

  static List<ElfSymbol> read(ByteSource src, ElfFile elf, ElfFile.SymbolTable table)
      throws IOException {
    int wanted = table == ElfFile.SymbolTable.DYNAMIC ? SectionHeader.SHT_DYNSYM
        : SectionHeader.SHT_SYMTAB;
    List<SectionHeader> sections = elf.sectionHeaders();
    int index = -1;
    for (int i = 0; i < sections.size(); i++) {
      if (sections.get(i).type() == wanted) {
        index = i;
        break;
      }
    }
    if (index < 0) {
      return List.of();
    }
    SectionHeader sym = sections.get(index);
    boolean is64 = elf.elfClass() == 64;
    int minEnt = is64 ? 24 : 16;
    if (sym.entsize() != 0 && sym.entsize() < minEnt) {
      throw src.error("symbol table " + sym.name() + " entry size " + sym.entsize()
          + " smaller than " + minEnt, sym.offset());
    }
    long entsize = sym.entsize() == 0 ? minEnt : sym.entsize();
    src.check(sym.offset(), sym.size(), "symbol table " + sym.name());
    long count = sym.size() / entsize;
    if (count > MAX_SYMBOLS) {
      throw src.error("symbol table " + sym.name() + " has " + count + " entries, more than "
          + MAX_SYMBOLS, sym.offset());
    }
    int link = sym.link();
    if (link <= 0 || link >= sections.size()
        || sections.get(link).type() != SectionHeader.SHT_STRTAB) {
      throw src.error("symbol table " + sym.name() + " links to section " + link
          + ", which is not a string table", sym.offset());
    }
    SectionHeader str = sections.get(link);
    src.check(str.offset(), str.size(), "symbol string table " + str.name());
    if (str.size() > Integer.MAX_VALUE - 16) {
      throw src.error("symbol string table too large (" + str.size() + " bytes)", str.offset());
    }
    // Decoding budget: every distinct offset decoded once, at most a few times the table itself.
    long budget = Math.max(16L << 20, 4 * str.size());
    StringTable strings = new StringTable(src, str.offset(), str.offset() + str.size(),
        "symbol name", (int) str.size(), budget);

    List<ElfSymbol> out = new ArrayList<>((int) Math.min(count, CHUNK_ENTRIES));
    for (long first = 1; first < count; first += CHUNK_ENTRIES) {
      int n = (int) Math.min(CHUNK_ENTRIES, count - first);
      long at = sym.offset() + first * entsize;
      ByteBuffer b = src.read(at, n * entsize, "symbol table " + sym.name());
      for (int i = 0; i < n; i++) {
        int p = (int) (i * entsize);
        long nameOff;
        long value;
        long size;
        int info;
        int other;
        int shndx;
        if (is64) {
          nameOff = Integer.toUnsignedLong(b.getInt(p));
          info = b.get(p + 4) & 0xFF;
          other = b.get(p + 5) & 0xFF;
          shndx = Short.toUnsignedInt(b.getShort(p + 6));
          value = b.getLong(p + 8);
          size = b.getLong(p + 16);
        } else {
          nameOff = Integer.toUnsignedLong(b.getInt(p));
          value = Integer.toUnsignedLong(b.getInt(p + 4));
          size = Integer.toUnsignedLong(b.getInt(p + 8));
          info = b.get(p + 12) & 0xFF;
          other = b.get(p + 13) & 0xFF;
          shndx = Short.toUnsignedInt(b.getShort(p + 14));
        }
        String name = nameOff == 0 ? "" : strings.get(nameOff);
        out.add(new ElfSymbol(name, value, size, info, other, shndx));
      }
    }
    return List.copyOf(out);
  }
}
