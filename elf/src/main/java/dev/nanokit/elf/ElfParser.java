package dev.nanokit.elf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the structures of docs/formats/elf-deps.md, "2 ELF64 structures needed" (generalised to ELF32 and big-endian) into the mutable
 * fields that {@link ElfFile} copies. One instance per parse; not thread-safe by design.
 */
final class ElfParser {
  private static final int DT_NULL = 0;
  private static final int DT_NEEDED = 1;
  private static final int DT_STRTAB = 5;
  private static final int DT_STRSZ = 10;
  private static final int DT_SONAME = 14;
  private static final int DT_RPATH = 15;
  private static final int DT_RUNPATH = 29;
  private static final int DT_FLAGS = 30;
  private static final long DT_FLAGS_1 = 0x6FFFFFFBL;

  private static final int PN_XNUM = 0xFFFF;
  private static final int SHN_XINDEX = 0xFFFF;
  /** Total note bytes we decode; real binaries carry a few hundred (limit is API: see ElfFile). */
  static final int MAX_NOTE_BYTES = 4 << 20;

  private final ByteSource src;
  private boolean is64;

  String name;
  int elfClass;
  ByteOrder byteOrder;
  int osAbi;
  int abiVersion;
  int type;
  int machine;
  long entry;
  int flags;
  final List<ProgramHeader> programHeaders = new ArrayList<>();
  final List<SectionHeader> sectionHeaders = new ArrayList<>();
  String interpreter;
  boolean hasDynamicSection;
  final List<String> needed = new ArrayList<>();
  String soname;
  String rpath;
  String runpath;
  long dynamicFlags;
  long dynamicFlags1;
  final List<ElfNote> notes = new ArrayList<>();
  long fileSize;

  private ElfParser(ByteSource src) {
    this.src = src;
    this.name = src.name();
    this.fileSize = src.size();
  }

  static ElfParser parse(ByteSource src) throws IOException {
    ElfParser p = new ElfParser(src);
    p.parse();
    return p;
  }

  private void parse() throws IOException {
    if (src.size() < 16) {
      throw src.error("file too short for an ELF identification (" + src.size() + " bytes)", 0);
    }
    ByteBuffer ident = src.read(0, 16, "ELF identification");
    if (ident.get(0) != 0x7F || ident.get(1) != 'E' || ident.get(2) != 'L' || ident.get(3) != 'F') {
      throw src.error("not an ELF file (bad magic)", 0);
    }
    int cls = ident.get(4);
    if (cls != 1 && cls != 2) {
      throw src.error("invalid ELF class " + cls, 4);
    }
    is64 = cls == 2;
    elfClass = is64 ? 64 : 32;
    int data = ident.get(5);
    if (data != 1 && data != 2) {
      throw src.error("invalid ELF data encoding " + data, 5);
    }
    byteOrder = data == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
    src.order(byteOrder);
    if (ident.get(6) != 1) {
      throw src.error("unsupported ELF version " + ident.get(6), 6);
    }
    osAbi = ident.get(7) & 0xFF;
    abiVersion = ident.get(8) & 0xFF;

    int ehsize = is64 ? 64 : 52;
    if (src.size() < ehsize) {
      throw src.error("file too short for the ELF header (" + src.size() + " bytes)", 0);
    }
    ByteBuffer h = src.read(0, ehsize, "ELF header");
    type = u16(h, 0x10);
    machine = u16(h, 0x12);
    long phoff;
    long shoff;
    int o; // offset of e_flags
    if (is64) {
      entry = h.getLong(0x18);
      phoff = h.getLong(0x20);
      shoff = h.getLong(0x28);
      o = 0x30;
    } else {
      entry = u32(h, 0x18);
      phoff = u32(h, 0x1C);
      shoff = u32(h, 0x20);
      o = 0x24;
    }
    flags = h.getInt(o);
    int phentsize = u16(h, o + 6);
    long phnum = u16(h, o + 8);
    int shentsize = u16(h, o + 10);
    long shnum = u16(h, o + 12);
    int shstrndx = u16(h, o + 14);

    // Section 0 holds the real counts when the header fields overflow (PN_XNUM, SHN_XINDEX).
    List<long[]> rawSections = List.of();
    if (shoff != 0) {
      int minShent = is64 ? 64 : 40;
      if (shentsize < minShent) {
        throw src.error("section header entry size " + shentsize + " smaller than " + minShent, o + 10);
      }
      ByteBuffer s0 = src.read(shoff, minShent, "section header 0");
      long[] sec0 = decodeSection(s0, 0);
      if (shnum == 0) {
        shnum = sec0[5]; // sh_size
      }
      if (phnum == PN_XNUM) {
        phnum = sec0[7]; // sh_info
      }
      if (shstrndx == SHN_XINDEX) {
        shstrndx = (int) sec0[6]; // sh_link
      }
      rawSections = readSectionTable(shoff, shentsize, shnum);
    } else if (phnum == PN_XNUM) {
      throw src.error("e_phnum is PN_XNUM but there is no section header 0", o + 8);
    }

    readProgramHeaders(phoff, phentsize, phnum, o + 6);
    validateSegments(phoff, phentsize);
    nameSections(rawSections, shstrndx);

    for (ProgramHeader ph : programHeaders) {
      // An empty PT_INTERP occurs in separate debug files (objcopy --only-keep-debug keeps the
      // headers but not the bytes); such a file names no interpreter rather than being corrupt.
      if (ph.type() == ProgramHeader.PT_INTERP && interpreter == null && ph.filesz() != 0) {
        src.check(ph.offset(), ph.filesz(), "PT_INTERP segment");
        interpreter = src.readString(ph.offset(), ph.offset() + ph.filesz(), "PT_INTERP string");
      }
    }
    for (ProgramHeader ph : programHeaders) {
      if (ph.type() == ProgramHeader.PT_DYNAMIC) {
        readDynamic(ph);
        break; // the loader uses only the first PT_DYNAMIC
      }
    }
    readNotes();
  }

  private static int u16(ByteBuffer b, int at) {
    return Short.toUnsignedInt(b.getShort(at));
  }

  private static long u32(ByteBuffer b, int at) {
    return Integer.toUnsignedLong(b.getInt(at));
  }

  /** name, type, flags, addr, offset, size, link, info, addralign, entsize. */
  private long[] decodeSection(ByteBuffer b, int at) {
    if (is64) {
      return new long[] {
        u32(b, at), u32(b, at + 4), b.getLong(at + 8), b.getLong(at + 16), b.getLong(at + 24),
        b.getLong(at + 32), u32(b, at + 40), u32(b, at + 44), b.getLong(at + 48), b.getLong(at + 56)
      };
    }
    return new long[] {
      u32(b, at), u32(b, at + 4), u32(b, at + 8), u32(b, at + 12), u32(b, at + 16),
      u32(b, at + 20), u32(b, at + 24), u32(b, at + 28), u32(b, at + 32), u32(b, at + 36)
    };
  }

  private List<long[]> readSectionTable(long shoff, int shentsize, long shnum) throws IOException {
    // Division instead of multiplication: shnum may come from a 64-bit sh_size.
    if (shnum < 0 || !src.inFile(shoff, 0) || shnum > (src.size() - shoff) / shentsize) {
      throw src.error("section header table (" + Long.toUnsignedString(shnum) + " entries of "
          + shentsize + " bytes) extends beyond end of file", shoff);
    }
    ByteBuffer t = src.read(shoff, shnum * shentsize, "section header table");
    List<long[]> out = new ArrayList<>((int) shnum);
    for (int i = 0; i < shnum; i++) {
      out.add(decodeSection(t, i * shentsize));
    }
    return out;
  }

  private void nameSections(List<long[]> raw, int shstrndx) throws IOException {
    StringTable names = null;
    if (shstrndx != 0 && !raw.isEmpty()) {
      if (shstrndx < 0 || shstrndx >= raw.size()) {
        throw src.error("e_shstrndx " + shstrndx + " out of range (" + raw.size() + " sections)", 0);
      }
      long[] s = raw.get(shstrndx);
      if (s[1] != SectionHeader.SHT_NOBITS && s[5] != 0) {
        names = new StringTable(src, s[4], s[4] + s[5], "section name");
      }
    }
    for (long[] s : raw) {
      String n = names == null ? "" : names.get(s[0]);
      sectionHeaders.add(new SectionHeader(
          n, (int) s[1], s[2], s[3], s[4], s[5], (int) s[6], (int) s[7], s[8], s[9]));
    }
  }

  private void readProgramHeaders(long phoff, int phentsize, long phnum, int fieldOffset)
      throws IOException {
    if (phnum == 0) {
      return;
    }
    int minPhent = is64 ? 56 : 32;
    if (phentsize < minPhent) {
      throw src.error("program header entry size " + phentsize + " smaller than " + minPhent,
          fieldOffset);
    }
    if (phnum < 0 || !src.inFile(phoff, 0) || phnum > (src.size() - phoff) / phentsize) {
      throw src.error("program header table (" + Long.toUnsignedString(phnum) + " entries of "
          + phentsize + " bytes) extends beyond end of file", phoff);
    }
    ByteBuffer t = src.read(phoff, phnum * phentsize, "program header table");
    for (int i = 0; i < phnum; i++) {
      int at = i * phentsize;
      if (is64) {
        programHeaders.add(new ProgramHeader(t.getInt(at), t.getInt(at + 4), t.getLong(at + 8),
            t.getLong(at + 16), t.getLong(at + 24), t.getLong(at + 32), t.getLong(at + 40),
            t.getLong(at + 48)));
      } else {
        programHeaders.add(new ProgramHeader(t.getInt(at), t.getInt(at + 24), u32(t, at + 4),
            u32(t, at + 8), u32(t, at + 12), u32(t, at + 16), u32(t, at + 20), u32(t, at + 28)));
      }
    }
  }

  private void readDynamic(ProgramHeader dyn) throws IOException {
    hasDynamicSection = true;
    src.check(dyn.offset(), dyn.filesz(), "PT_DYNAMIC segment");
    int entsize = is64 ? 16 : 8;
    long count = dyn.filesz() / entsize;
    ByteBuffer t = src.read(dyn.offset(), count * entsize, "dynamic section");
    List<Long> neededOffsets = new ArrayList<>();
    Long sonameOff = null;
    Long rpathOff = null;
    Long runpathOff = null;
    Long strtabAddr = null;
    Long strsz = null;
    for (int i = 0; i < count; i++) {
      int at = i * entsize;
      long tag = is64 ? t.getLong(at) : t.getInt(at);
      long val = is64 ? t.getLong(at + 8) : u32(t, at + 4);
      if (tag == DT_NULL) {
        break;
      }
      if (tag == DT_NEEDED) {
        neededOffsets.add(val);
      } else if (tag == DT_STRTAB) {
        strtabAddr = val;
      } else if (tag == DT_STRSZ) {
        strsz = val;
      } else if (tag == DT_SONAME) {
        sonameOff = val;
      } else if (tag == DT_RPATH) {
        rpathOff = val;
      } else if (tag == DT_RUNPATH) {
        runpathOff = val;
      } else if (tag == DT_FLAGS) {
        dynamicFlags = val;
      } else if (tag == DT_FLAGS_1) {
        dynamicFlags1 = val;
      }
    }
    boolean needStrings =
        !neededOffsets.isEmpty() || sonameOff != null || rpathOff != null || runpathOff != null;
    if (!needStrings) {
      return;
    }
    long[] range = locateStringTable(strtabAddr, strsz, dyn.offset());
    StringTable table = new StringTable(src, range[0], range[1], "dynamic string");
    for (long off : neededOffsets) {
      needed.add(table.get(off));
    }
    if (sonameOff != null) {
      soname = table.get(sonameOff);
    }
    if (rpathOff != null) {
      rpath = table.get(rpathOff);
    }
    if (runpathOff != null) {
      runpath = table.get(runpathOff);
    }
  }

  /** Returns {fileStart, fileEnd} of the dynamic string table ("2.4 Virtual address → file offset"). */
  private long[] locateStringTable(Long strtabAddr, Long strsz, long dynOffset)
      throws IOException {
    if (strtabAddr != null) {
      for (ProgramHeader ph : programHeaders) {
        if (ph.type() == ProgramHeader.PT_LOAD && ph.mapsAddress(strtabAddr)) {
          src.check(ph.offset(), ph.filesz(), "PT_LOAD segment");
          long start = strtabAddr - ph.vaddr() + ph.offset();
          long end = ph.offset() + ph.filesz();
          if (strsz != null && strsz >= 0 && strsz < end - start) {
            end = start + strsz; // DT_STRSZ narrows the table; never widens past the segment
          }
          return new long[] {start, end};
        }
      }
    }
    // Fallback for objects whose DT_STRTAB is not covered by a PT_LOAD: SHT_DYNAMIC.sh_link.
    for (SectionHeader s : sectionHeaders) {
      if (s.type() == SectionHeader.SHT_DYNAMIC) {
        int link = s.link();
        if (link > 0 && link < sectionHeaders.size()) {
          SectionHeader str = sectionHeaders.get(link);
          if (str.type() == SectionHeader.SHT_STRTAB) {
            src.check(str.offset(), str.size(), "dynamic string table section");
            return new long[] {str.offset(), str.offset() + str.size()};
          }
        }
      }
    }
    throw src.error("DT_STRTAB address "
        + (strtabAddr == null ? "missing" : "0x" + Long.toHexString(strtabAddr))
        + " is not mapped by any PT_LOAD segment", dynOffset);
  }

  /**
   * Rejects segments that no loader would accept, before anything is read through them: a file
   * range outside the file, an address range that wraps, PT_LOAD with more file than memory bytes,
   * and PT_LOAD address ranges that overlap (the kernel would map one over the other, and "2.4 Virtual address → file offset"'s
   * address-to-offset mapping would become ambiguous).
   */
  private void validateSegments(long phoff, int phentsize) throws ElfFormatException {
    long addrLimit = is64 ? -1L : 0xFFFF_FFFFL; // highest valid address, unsigned
    List<Integer> loads = new ArrayList<>();
    for (int i = 0; i < programHeaders.size(); i++) {
      ProgramHeader ph = programHeaders.get(i);
      long at = phoff + (long) i * phentsize;
      String what = "program header " + i + " (type 0x" + Integer.toHexString(ph.type()) + ")";
      if (!src.inFile(ph.offset(), ph.filesz())) {
        throw src.error(what + ": file range [0x" + Long.toHexString(ph.offset()) + ", +0x"
            + Long.toHexString(ph.filesz()) + ") extends beyond end of file (size " + src.size()
            + ")", at);
      }
      if (ph.memsz() != 0 && Long.compareUnsigned(ph.memsz() - 1, addrLimit - ph.vaddr()) > 0) {
        throw src.error(what + ": address range 0x" + Long.toHexString(ph.vaddr()) + " + 0x"
            + Long.toHexString(ph.memsz()) + " wraps around the address space", at);
      }
      if (ph.type() == ProgramHeader.PT_LOAD) {
        if (Long.compareUnsigned(ph.filesz(), ph.memsz()) > 0) {
          throw src.error(what + ": p_filesz 0x" + Long.toHexString(ph.filesz())
              + " exceeds p_memsz 0x" + Long.toHexString(ph.memsz()), at);
        }
        if (ph.memsz() != 0) {
          loads.add(i);
        }
      }
    }
    loads.sort((a, b) -> Long.compareUnsigned(
        programHeaders.get(a).vaddr(), programHeaders.get(b).vaddr()));
    for (int k = 1; k < loads.size(); k++) {
      ProgramHeader prev = programHeaders.get(loads.get(k - 1));
      ProgramHeader next = programHeaders.get(loads.get(k));
      if (Long.compareUnsigned(next.vaddr() - prev.vaddr(), prev.memsz()) < 0) {
        throw src.error("PT_LOAD segments " + loads.get(k - 1) + " and " + loads.get(k)
            + " overlap at address 0x" + Long.toHexString(next.vaddr()),
            phoff + (long) loads.get(k) * phentsize);
      }
    }
  }

  /**
   * Collects every note. PT_NOTE segments are what loaders and hypervisors read (the Xen PVH entry
   * note is found that way); SHT_NOTE sections are used only when there are no PT_NOTE segments,
   * e.g. in relocatable objects, because both usually describe the same bytes.
   */
  private void readNotes() throws IOException {
    // The budget bounds both memory and time: thousands of PT_NOTE headers may point at one region.
    long[] budget = {MAX_NOTE_BYTES};
    boolean fromSegments = false;
    for (ProgramHeader ph : programHeaders) {
      if (ph.type() == ProgramHeader.PT_NOTE) {
        fromSegments = true;
        scanNotes(ph.offset(), ph.filesz(), ph.align() == 8 ? 8 : 4, budget);
      }
    }
    if (fromSegments) {
      return;
    }
    for (SectionHeader s : sectionHeaders) {
      if (s.type() == SectionHeader.SHT_NOTE) {
        src.check(s.offset(), s.size(), "note section " + s.name());
        scanNotes(s.offset(), s.size(), s.addralign() == 8 ? 8 : 4, budget);
      }
    }
  }

  private void scanNotes(long offset, long size, int align, long[] budget) throws IOException {
    if (size > budget[0]) {
      throw src.error("notes exceed " + MAX_NOTE_BYTES + " bytes in total", offset);
    }
    budget[0] -= size;
    ByteBuffer b = src.read(offset, size, "note segment");
    long pos = 0;
    while (size - pos >= 12) {
      int p = (int) pos;
      long namesz = u32(b, p);
      long descsz = u32(b, p + 4);
      int ntype = b.getInt(p + 8);
      long nameStart = pos + 12;
      if (namesz > size - nameStart) {
        throw src.error("note name (" + namesz + " bytes) extends beyond its segment", offset + pos);
      }
      // Alignment is of positions, not sizes: 8-aligned notes keep the 12-byte header unpadded.
      long descStart = roundUp(nameStart + namesz, align);
      if (descStart > size || descsz > size - descStart) {
        throw src.error("note descriptor (" + descsz + " bytes) extends beyond its segment",
            offset + pos);
      }
      int nameLen = (int) namesz;
      while (nameLen > 0 && b.get((int) nameStart + nameLen - 1) == 0) {
        nameLen--; // namesz counts the terminating NUL
      }
      byte[] nameBytes = new byte[nameLen];
      b.get((int) nameStart, nameBytes);
      byte[] desc = new byte[(int) descsz];
      b.get((int) descStart, desc);
      notes.add(new ElfNote(new String(nameBytes, java.nio.charset.StandardCharsets.ISO_8859_1),
          ntype, desc, offset + pos, byteOrder));
      pos = roundUp(descStart + descsz, align);
    }
  }

  private static long roundUp(long v, int align) {
    return (v + align - 1) & -align;
  }
}
