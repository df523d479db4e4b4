package dev.nanokit.elf;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable summary of an ELF object: file header, program and section headers, the dynamic
 * section entries relevant to library resolution, and its notes (docs/formats/elf-deps.md, "2 ELF64 structures needed", "8 Architectures"). Symbol
 * tables are read only on request ({@link #readSymbols}).
 *
 * <p>Unlike the spec's ELF64-LE-only description, ELF32 and big-endian files are accepted too, so
 * that a resolver can recognise and skip wrong-class libraries ("8 Architectures") instead of failing on them.
 * Every offset and count is validated against the file size before use; malformed input yields
 * {@link ElfFormatException} and nothing else.
 *
 * <p>Limits against hostile input, part of the contract: no single structure larger than 16 MiB is
 * loaded (symbol string tables excepted, which are bounded by the file size); decoded dynamic
 * strings total at most 16 MiB; notes total at most {@link #MAX_NOTE_BYTES}; symbol tables hold at
 * most {@link #MAX_SYMBOLS} entries. Exceeding a limit is an {@link ElfFormatException}.
 */
public final class ElfFile {
  public static final int ET_REL = 1;
  public static final int ET_EXEC = 2;
  public static final int ET_DYN = 3;
  public static final int ET_CORE = 4;

  public static final long DF_ORIGIN = 0x1;
  public static final long DF_1_ORIGIN = 0x80;
  public static final long DF_1_NODEFLIB = 0x800;
  public static final long DF_1_PIE = 0x08000000L;

  /** Upper bound on the total size of note segments decoded by {@link #notes()}. */
  public static final int MAX_NOTE_BYTES = ElfParser.MAX_NOTE_BYTES;
  /** Upper bound on the entries of one symbol table read by {@link #readSymbols}. */
  public static final int MAX_SYMBOLS = SymbolReader.MAX_SYMBOLS;

  /** Which symbol table {@link #readSymbols} reads. */
  public enum SymbolTable {
    /** {@code .dynsym}: what the object exports and imports at run time; survives stripping. */
    DYNAMIC,
    /** {@code .symtab}: the link-time table, absent from stripped files. */
    STATIC
  }

  private final String name;
  private final int elfClass;
  private final ByteOrder byteOrder;
  private final int osAbi;
  private final int abiVersion;
  private final int type;
  private final int machine;
  private final long entry;
  private final int flags;
  private final List<ProgramHeader> programHeaders;
  private final List<SectionHeader> sectionHeaders;
  private final Optional<String> interpreter;
  private final boolean hasDynamicSection;
  private final List<String> needed;
  private final Optional<String> soname;
  private final Optional<String> rpath;
  private final Optional<String> runpath;
  private final long dynamicFlags;
  private final long dynamicFlags1;
  private final List<ElfNote> notes;
  private final long fileSize;

  ElfFile(ElfParser p) {
    this.name = p.name;
    this.elfClass = p.elfClass;
    this.byteOrder = p.byteOrder;
    this.osAbi = p.osAbi;
    this.abiVersion = p.abiVersion;
    this.type = p.type;
    this.machine = p.machine;
    this.entry = p.entry;
    this.flags = p.flags;
    this.programHeaders = List.copyOf(p.programHeaders);
    this.sectionHeaders = List.copyOf(p.sectionHeaders);
    this.interpreter = Optional.ofNullable(p.interpreter);
    this.hasDynamicSection = p.hasDynamicSection;
    this.needed = List.copyOf(p.needed);
    this.soname = Optional.ofNullable(p.soname);
    this.rpath = Optional.ofNullable(p.rpath);
    this.runpath = Optional.ofNullable(p.runpath);
    this.dynamicFlags = p.dynamicFlags;
    this.dynamicFlags1 = p.dynamicFlags1;
    this.notes = List.copyOf(p.notes);
    this.fileSize = p.fileSize;
  }

  /**
   * Whether the file at {@code path} starts with the ELF magic ({@code 7f 45 4c 46}): worth {@link #read}ing,
   * as opposed to a script, a text file or a kernel that is not ELF. Reads four bytes; validates nothing.
   */
  public static boolean hasElfMagic(Path path) throws IOException {
    try (java.io.InputStream in = Files.newInputStream(path)) {
      return hasElfMagic(in.readNBytes(4));
    }
  }

  /** Whether {@code start}, the first bytes of a file (or all of them), begins with the ELF magic. */
  public static boolean hasElfMagic(byte[] start) {
    return start.length >= 4 && start[0] == 0x7f && start[1] == 'E' && start[2] == 'L' && start[3] == 'F';
  }

  /** Reads and validates the ELF file at {@code path}; the path string names it in errors. */
  public static ElfFile read(Path path) throws IOException {
    try (SeekableByteChannel ch = Files.newByteChannel(path, StandardOpenOption.READ)) {
      return read(ch, path.toString());
    }
  }

  /**
   * Reads an ELF object from the channel (which is not closed; its position is changed).
   * {@code name}, which may be null, is used only in error messages.
   */
  public static ElfFile read(SeekableByteChannel channel, String name) throws IOException {
    Objects.requireNonNull(channel, "channel");
    return new ElfFile(ElfParser.parse(new ByteSource(channel, name)));
  }

  /** The name given when reading (usually the path); null if none was given. */
  public String name() {
    return name;
  }

  /** Size of the file in bytes when it was read. */
  public long fileSize() {
    return fileSize;
  }

  /** 32 or 64. */
  public int elfClass() {
    return elfClass;
  }

  public ByteOrder byteOrder() {
    return byteOrder;
  }

  /** EI_OSABI: 0 System V, 3 GNU/Linux, … */
  public int osAbi() {
    return osAbi;
  }

  public int abiVersion() {
    return abiVersion;
  }

  /** e_type: {@link #ET_EXEC}, {@link #ET_DYN}, … */
  public int type() {
    return type;
  }

  /** Raw e_machine. */
  public int machine() {
    return machine;
  }

  public Architecture architecture() {
    return Architecture.of(machine, elfClass);
  }

  /** e_entry (unsigned). */
  public long entry() {
    return entry;
  }

  /** e_flags (riscv: float ABI bits). */
  public int flags() {
    return flags;
  }

  public List<ProgramHeader> programHeaders() {
    return programHeaders;
  }

  /** Empty if the file has no section header table (e.g. sstrip'ed). */
  public List<SectionHeader> sectionHeaders() {
    return sectionHeaders;
  }

  /** The first section with this name, if any. */
  public Optional<SectionHeader> section(String sectionName) {
    return sectionHeaders.stream().filter(s -> s.name().equals(sectionName)).findFirst();
  }

  /** PT_INTERP path without its terminating NUL. */
  public Optional<String> interpreter() {
    return interpreter;
  }

  /** True if the file has a PT_DYNAMIC segment (also true for static-PIE). */
  public boolean hasDynamicSection() {
    return hasDynamicSection;
  }

  /** DT_NEEDED names in file order. */
  public List<String> needed() {
    return needed;
  }

  public Optional<String> soname() {
    return soname;
  }

  /** Raw DT_RPATH (unexpanded, {@code :}-separated). */
  public Optional<String> rpath() {
    return rpath;
  }

  /** Raw DT_RUNPATH (unexpanded, {@code :}-separated). */
  public Optional<String> runpath() {
    return runpath;
  }

  /** DT_FLAGS, 0 if absent. */
  public long dynamicFlags() {
    return dynamicFlags;
  }

  /** DT_FLAGS_1, 0 if absent. */
  public long dynamicFlags1() {
    return dynamicFlags1;
  }

  /** DF_1_NODEFLIB: the loader skips ld.so.cache and default directories for this object's deps. */
  public boolean isNoDefaultLib() {
    return (dynamicFlags1 & DF_1_NODEFLIB) != 0;
  }

  /**
   * True if running this object needs the dynamic loader: it has a PT_INTERP or any DT_NEEDED.
   * Static-PIE executables (PT_DYNAMIC but neither) are not dynamic (docs/formats/elf-deps.md, "9.8 Dynamic detection").
   */
  public boolean isDynamic() {
    return interpreter.isPresent() || !needed.isEmpty();
  }

  /**
   * True for a position-independent executable: ET_DYN marked DF_1_PIE, or ET_DYN with an
   * interpreter and no SONAME (older linkers do not set DF_1_PIE; libc.so.6 has PT_INTERP but also
   * a SONAME).
   */
  public boolean isPie() {
    if (type != ET_DYN) {
      return false;
    }
    return (dynamicFlags1 & DF_1_PIE) != 0 || (interpreter.isPresent() && soname.isEmpty());
  }

  /**
   * Whether the stack must be executable: PT_GNU_STACK flags, or true when the header is absent
   * (the historical default).
   */
  public boolean hasExecutableStack() {
    return programHeaders.stream()
        .filter(h -> h.type() == ProgramHeader.PT_GNU_STACK)
        .findFirst()
        .map(h -> (h.flags() & ProgramHeader.PF_X) != 0)
        .orElse(true);
  }

  /**
   * True for a static-PIE executable: ET_DYN with a dynamic section but neither an interpreter nor
   * DT_NEEDED, so it relocates itself and needs no file from the image besides itself.
   */
  public boolean isStaticPie() {
    return type == ET_DYN && hasDynamicSection && !isDynamic() && soname.isEmpty();
  }

  /** A shared library (ET_DYN with a DT_SONAME or not an executable by the rules of isPie). */
  public boolean isSharedLibrary() {
    return type == ET_DYN && !isPie() && !isStaticPie();
  }

  /**
   * All notes, in file order: from PT_NOTE segments, or from SHT_NOTE sections when the file has
   * no PT_NOTE segment.
   */
  public List<ElfNote> notes() {
    return notes;
  }

  /** NT_GNU_BUILD_ID descriptor as lower-case hex. */
  public Optional<String> buildId() {
    return note("GNU", ElfNote.NT_GNU_BUILD_ID).map(ElfNote::descriptorHex);
  }

  /** The GNU ABI tag (minimum kernel version), if present and well-formed (16 bytes). */
  public Optional<AbiTag> abiTag() {
    return note("GNU", ElfNote.NT_GNU_ABI_TAG).filter(n -> n.descriptorSize() == 16).map(n -> {
      java.nio.ByteBuffer b = n.buffer();
      return new AbiTag(b.getInt(0), b.getInt(4), b.getInt(8), b.getInt(12));
    });
  }

  /**
   * The Xen PVH 32-bit physical entry point (XEN_ELFNOTE_PHYS32_ENTRY), which hypervisors use to
   * boot a kernel directly; descriptor of 4 or 8 bytes in the file's byte order.
   */
  public OptionalLong pvhEntry() {
    Optional<ElfNote> n = note("Xen", ElfNote.XEN_ELFNOTE_PHYS32_ENTRY);
    if (n.isEmpty()) {
      return OptionalLong.empty();
    }
    java.nio.ByteBuffer b = n.get().buffer();
    switch (b.capacity()) {
      case 4:
        return OptionalLong.of(Integer.toUnsignedLong(b.getInt(0)));
      case 8:
        return OptionalLong.of(b.getLong(0));
      default:
        return OptionalLong.empty();
    }
  }

  private Optional<ElfNote> note(String owner, int type) {
    return notes.stream().filter(n -> n.is(owner, type)).findFirst();
  }

  /**
   * Reads a symbol table of this file from {@code channel}, which must hold the same bytes this
   * object was read from (checked by size). Located through the section headers, so a file without
   * them (sstrip'ed) yields an empty list, as does a table the file lacks. The null symbol at index
   * 0 is not returned.
   */
  public List<ElfSymbol> readSymbols(SymbolTable table, SeekableByteChannel channel)
      throws IOException {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(channel, "channel");
    ByteSource src = new ByteSource(channel, name);
    if (src.size() != fileSize) {
      throw new IllegalArgumentException("channel holds " + src.size() + " bytes but " + name
          + " had " + fileSize + " when it was read");
    }
    src.order(byteOrder);
    return SymbolReader.read(src, this, table);
  }

  /** {@link #readSymbols(SymbolTable, SeekableByteChannel)} on a file. */
  public List<ElfSymbol> readSymbols(SymbolTable table, Path path) throws IOException {
    try (SeekableByteChannel ch = Files.newByteChannel(path, StandardOpenOption.READ)) {
      return readSymbols(table, ch);
    }
  }

  @Override
  public String toString() {
    return "ElfFile[" + name + ", ELF" + elfClass + " " + byteOrder + " " + architecture()
        + " type=" + type + ", interp=" + interpreter.orElse("-") + ", needed=" + needed + "]";
  }
}
