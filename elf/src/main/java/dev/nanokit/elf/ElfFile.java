package dev.nanokit.elf;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * An immutable summary of an ELF object: file header, program and section headers, the dynamic
 * section entries relevant to library resolution and the GNU build-id (elf-deps.md §2).
 *
 * <p>Unlike the spec's ELF64-LE-only description, ELF32 and big-endian files are accepted too, so
 * that a resolver can recognise and skip wrong-class libraries (§8) instead of failing on them.
 * Every offset and count is validated against the file size before use; malformed input yields
 * {@link ElfFormatException} and nothing else.
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
  private final Optional<String> buildId;

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
    this.buildId = Optional.ofNullable(p.buildId).map(b -> HexFormat.of().formatHex(b));
  }

  /** Reads and validates the ELF file at {@code path}; the path string names it in errors. */
  public static ElfFile read(Path path) throws IOException {
    try (SeekableByteChannel ch = Files.newByteChannel(path, StandardOpenOption.READ)) {
      return read(ch, path.toString());
    }
  }

  /**
   * Reads an ELF object from the channel (which is not closed). {@code name} is used only in error
   * messages.
   */
  public static ElfFile read(SeekableByteChannel channel, String name) throws IOException {
    return new ElfFile(ElfParser.parse(new ByteSource(channel, name)));
  }

  /** The name given when reading (usually the path). */
  public String name() {
    return name;
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
   * Static-PIE executables (PT_DYNAMIC but neither) are not dynamic (elf-deps.md §9.8).
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

  /** NT_GNU_BUILD_ID descriptor as lower-case hex. */
  public Optional<String> buildId() {
    return buildId;
  }

  @Override
  public String toString() {
    return "ElfFile[" + name + ", ELF" + elfClass + " " + byteOrder + " " + architecture()
        + " type=" + type + ", interp=" + interpreter.orElse("-") + ", needed=" + needed + "]";
  }
}
