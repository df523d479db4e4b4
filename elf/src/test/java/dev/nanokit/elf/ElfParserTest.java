package dev.nanokit.elf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanokit.testing.manifest.ByteArrayChannel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@link ElfParser} at the edges docs/formats/elf-deps.md, "2 ELF64 structures needed" draws: header sizes, segment ranges that end exactly
 * at the file's end or the address space's, PT_LOADs that touch but do not overlap, DT_STRSZ
 * narrowing the string table, and note layout (the System V ABI's note format; docs/formats/elf-deps.md does not cover it).
 */
class ElfParserTest {
  private static final int PH_OFFSET = 8;
  private static final int PH_VADDR = 16;
  private static final int PH_FILESZ = 32;
  private static final int PH_MEMSZ = 40;

  private static ElfFile parse(byte[] b) throws IOException {
    return ElfFile.read(new ByteArrayChannel(b), "t.elf");
  }

  private static ByteBuffer le(byte[] b) {
    return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Index of the first 64-bit program header of {@code type}. */
  private static int ph(byte[] b, int type) {
    ByteBuffer h = le(b);
    int phoff = (int) h.getLong(0x20);
    for (int i = 0; i < h.getShort(0x38); i++) {
      if (h.getInt(phoff + 56 * i) == type) {
        return phoff + 56 * i;
      }
    }
    throw new AssertionError("no program header of type " + type);
  }

  private static String failure(byte[] b) {
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> parse(b));
    assertThat(t).isInstanceOf(ElfFormatException.class);
    return t.getMessage();
  }

  @Test
  void identificationAndHeaderLengthsAreExact() throws IOException {
    byte[] b = TestElf.x64().build();
    assertThat(failure(Arrays.copyOf(b, 15))).contains("file too short for an ELF identification (15 bytes)");
    assertThat(failure(Arrays.copyOf(b, 63))).contains("file too short for the ELF header (63 bytes)");
    byte[] bare = Arrays.copyOf(b, 64);
    ByteBuffer h = le(bare);
    h.putShort(0x38, (short) 0); // no program headers
    h.putLong(0x28, 0); // no section headers
    ElfFile f = parse(bare);
    assertThat(f.programHeaders()).isEmpty();
    assertThat(f.sectionHeaders()).isEmpty();
    assertThat(f.isDynamic()).isFalse();
  }

  @Test
  void aSegmentMayEndExactlyAtTheEndOfTheFile() throws IOException {
    byte[] b = TestElf.x64().build();
    int stack = ph(b, ProgramHeader.PT_GNU_STACK);
    le(b).putLong(stack + PH_OFFSET, b.length - 4).putLong(stack + PH_FILESZ, 4);
    assertThat(parse(b).programHeaders()).hasSizeGreaterThan(1);
    le(b).putLong(stack + PH_FILESZ, 5);
    assertThat(failure(b)).contains("extends beyond end of file (size " + b.length + ")");
  }

  @Test
  void anAddressRangeMayEndExactlyAtTheTopOfTheAddressSpace() throws IOException {
    byte[] b = TestElf.x64().build();
    int stack = ph(b, ProgramHeader.PT_GNU_STACK);
    le(b).putLong(stack + PH_MEMSZ, 0x1000).putLong(stack + PH_VADDR, -0x1000L);
    assertThat(parse(b).programHeaders()).isNotEmpty();
    le(b).putLong(stack + PH_VADDR, -0xFFFL);
    assertThat(failure(b)).contains("wraps around the address space");
  }

  @Test
  void loadSegmentsMayTouchButNotOverlapAndHoldNoMoreFileThanMemory() throws IOException {
    byte[] b = TestElf.x64().build();
    int load = ph(b, ProgramHeader.PT_LOAD);
    long vaddr = le(b).getLong(load + PH_VADDR);
    long memsz = le(b).getLong(load + PH_MEMSZ);
    int second = ph(b, ProgramHeader.PT_GNU_STACK);
    le(b).putInt(second, ProgramHeader.PT_LOAD).putLong(second + PH_VADDR, vaddr + memsz)
        .putLong(second + PH_MEMSZ, 0x1000).putLong(second + PH_FILESZ, 0x100).putLong(second + PH_OFFSET, 0);
    assertThat(parse(b).programHeaders()).filteredOn(p -> p.type() == ProgramHeader.PT_LOAD).hasSize(2);
    le(b).putLong(second + PH_VADDR, vaddr + memsz - 1);
    assertThat(failure(b)).contains("overlap at address 0x" + Long.toHexString(vaddr + memsz - 1));
    // an empty PT_LOAD overlaps nothing
    le(b).putLong(second + PH_MEMSZ, 0).putLong(second + PH_FILESZ, 0);
    assertThat(parse(b).programHeaders()).isNotEmpty();
    le(b).putLong(second + PH_VADDR, vaddr + memsz).putLong(second + PH_MEMSZ, 0x100).putLong(second + PH_FILESZ, 0x101);
    assertThat(failure(b)).contains("p_filesz 0x101 exceeds p_memsz 0x100");
    le(b).putLong(second + PH_MEMSZ, 0x101);
    assertThat(parse(b).programHeaders()).isNotEmpty();
  }

  @Test
  void dtStrszNarrowsTheStringTable() throws IOException {
    byte[] b = TestElf.x64().needed("liba.so.1", "libb.so.2").build();
    assertThat(parse(b).needed()).containsExactly("liba.so.1", "libb.so.2");
    int dyn = (int) le(b).getLong(ph(b, ProgramHeader.PT_DYNAMIC) + PH_OFFSET);
    int strsz = -1;
    for (int at = dyn; le(b).getLong(at) != 0; at += 16) {
      if (le(b).getLong(at) == 10) {
        strsz = at + 8;
      }
    }
    // "\0liba.so.1\0libb.so.2\0": libb starts at 11 and needs 10 bytes with its NUL
    le(b).putLong(strsz, 21);
    assertThat(parse(b).needed()).containsExactly("liba.so.1", "libb.so.2");
    le(b).putLong(strsz, 20);
    assertThatThrownBy(() -> parse(b)).isInstanceOf(ElfFormatException.class);
    le(b).putLong(strsz, 1L << 40); // never widens past the segment
    assertThat(parse(b).needed()).containsExactly("liba.so.1", "libb.so.2");
  }

  @Test
  void notesArePaddedToFourBytesAndReadInOrder() throws IOException {
    byte[] b = TestElf.x64().note("GNU", 3, new byte[] {1, 2, 3, 4, 5}).note("Xen", 18, new byte[] {9})
        .note("ABCDE", 7, new byte[0]).build();
    ElfFile f = parse(b);
    assertThat(f.notes()).extracting(ElfNote::name).containsExactly("GNU", "Xen", "ABCDE");
    assertThat(f.notes()).extracting(ElfNote::type).containsExactly(3, 18, 7);
    assertThat(f.notes().get(0).descriptor()).containsExactly(1, 2, 3, 4, 5);
    assertThat(f.notes().get(1).descriptor()).containsExactly(9);
    assertThat(f.notes().get(2).descriptor()).isEmpty();
    long first = f.notes().get(0).offset();
    // 12 + "GNU\0" (4) + 5 padded to 8 = 24; then 12 + 4 + 4 = 20
    assertThat(f.notes().get(1).offset()).isEqualTo(first + 24);
    assertThat(f.notes().get(2).offset()).isEqualTo(first + 44);
  }

  @Test
  void aNoteNameOrDescriptorPastItsSegmentIsRejected() {
    byte[] b = TestElf.x64().note("GNU", 3, new byte[] {1, 2, 3, 4}).build();
    int note = ph(b, ProgramHeader.PT_NOTE);
    int at = (int) le(b).getLong(note + PH_OFFSET);
    long size = le(b).getLong(note + PH_FILESZ);
    le(b).putInt(at + 4, (int) (size - 16 + 1)); // descsz one past the end
    assertThat(failure(b)).contains("note descriptor (" + (size - 16 + 1) + " bytes) extends beyond its segment");
    le(b).putInt(at + 4, 4);
    le(b).putInt(at, (int) (size - 12 + 1));
    assertThat(failure(b)).contains("note name (" + (size - 12 + 1) + " bytes) extends beyond its segment");
  }

  private static long offsetOfFailure(byte[] b) {
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> parse(b));
    assertThat(t).isInstanceOf(ElfFormatException.class);
    return ((ElfFormatException) t).offset();
  }

  @Test
  void segmentErrorsPointAtTheirProgramHeader() {
    byte[] b = TestElf.x64().build();
    int stack = ph(b, ProgramHeader.PT_GNU_STACK);
    le(b).putLong(stack + PH_FILESZ, b.length + 1L);
    assertThat(offsetOfFailure(b)).isEqualTo(stack);
    byte[] c = TestElf.x64().build();
    int load = ph(c, ProgramHeader.PT_LOAD);
    int second = ph(c, ProgramHeader.PT_GNU_STACK);
    le(c).putInt(second, ProgramHeader.PT_LOAD).putLong(second + PH_VADDR, le(c).getLong(load + PH_VADDR))
        .putLong(second + PH_MEMSZ, 0x10);
    assertThat(offsetOfFailure(c)).isEqualTo(Math.max(load, second));
  }

  @Test
  void withoutAMappedDtStrtabTheDynamicSectionsLinkGivesTheStrings() throws IOException {
    byte[] b = TestElf.x64().needed("liba.so.1").soname("libself.so").build();
    int dyn = (int) le(b).getLong(ph(b, ProgramHeader.PT_DYNAMIC) + PH_OFFSET);
    for (int at = dyn; le(b).getLong(at) != 0; at += 16) {
      if (le(b).getLong(at) == 5) {
        le(b).putLong(at + 8, 0x7000_0000_0000L); // DT_STRTAB outside every PT_LOAD
      }
    }
    ElfFile f = parse(b);
    assertThat(f.needed()).containsExactly("liba.so.1");
    assertThat(f.soname()).contains("libself.so");
    byte[] noSections = b.clone();
    le(noSections).putLong(0x28, 0).putShort(0x3C, (short) 0).putShort(0x3E, (short) 0);
    assertThat(failure(noSections)).contains("DT_STRTAB address 0x700000000000 is not mapped by any PT_LOAD segment");
  }

  @Test
  void withoutPtNoteTheNoteSectionsAreRead() throws IOException {
    byte[] b = TestElf.x64().note("GNU", 3, new byte[] {7, 7, 7, 7}).build();
    int note = ph(b, ProgramHeader.PT_NOTE);
    long at = le(b).getLong(note + PH_OFFSET);
    le(b).putInt(note, ProgramHeader.PT_NULL);
    ElfFile f = parse(b);
    assertThat(f.notes()).hasSize(1);
    assertThat(f.notes().get(0).name()).isEqualTo("GNU");
    assertThat(f.notes().get(0).offset()).isEqualTo(at);
    assertThat(f.notes().get(0).descriptor()).containsExactly(7, 7, 7, 7);
  }

  private static final int SH_TYPE = 4;
  private static final int SH_OFFSET = 24;
  private static final int SH_SIZE = 32;
  private static final int SH_LINK = 40;
  private static final int SH_ADDRALIGN = 48;

  /** File offset of 64-bit section header {@code index}. */
  private static int sh(byte[] b, int index) {
    return (int) le(b).getLong(0x28) + 64 * index;
  }

  /** Offset of the value of the first dynamic entry with {@code tag}. */
  private static int dynValue(byte[] b, long tag) {
    int dyn = (int) le(b).getLong(ph(b, ProgramHeader.PT_DYNAMIC) + PH_OFFSET);
    for (int at = dyn; ; at += 16) {
      if (le(b).getLong(at) == tag) {
        return at + 8;
      }
      if (le(b).getLong(at) == 0) {
        throw new AssertionError("no dynamic tag " + tag);
      }
    }
  }

  @Test
  void identificationBytesAndFlagsAreReadAsTheyAre() throws IOException {
    byte[] b = TestElf.x64().build();
    assertThat(failure(Arrays.copyOf(b, 16))).contains("file too short for the ELF header (16 bytes)");
    b[7] = 3; // EI_OSABI
    b[8] = 0; // EI_ABIVERSION
    le(b).putInt(0x30, 0x12345); // e_flags
    ElfFile f = parse(b);
    assertThat(f.osAbi()).isEqualTo(3);
    assertThat(f.abiVersion()).isZero();
    assertThat(f.flags()).isEqualTo(0x12345);
    b[8] = 2;
    assertThat(parse(b).abiVersion()).isEqualTo(2);
  }

  @Test
  void headerFieldErrorsPointAtTheField() {
    byte[] b = TestElf.x64().build();
    le(b).putShort(0x3A, (short) 63);
    assertThat(failure(b)).contains("section header entry size 63 smaller than 64");
    assertThat(offsetOfFailure(b)).isEqualTo(0x3A);
    byte[] c = TestElf.x64().build();
    le(c).putShort(0x36, (short) 55);
    assertThat(failure(c)).contains("program header entry size 55 smaller than 56");
    assertThat(offsetOfFailure(c)).isEqualTo(0x36);
    byte[] d = TestElf.x64().sections(false).build();
    le(d).putShort(0x38, (short) 0xFFFF);
    assertThat(failure(d)).contains("e_phnum is PN_XNUM but there is no section header 0");
    assertThat(offsetOfFailure(d)).isEqualTo(0x38);
  }

  @Test
  void sectionTableCountsAreCheckedAgainstTheFile() throws IOException {
    byte[] b = TestElf.x64().build();
    int shoff = (int) le(b).getLong(0x28);
    // The table ends exactly at the end of the file: 6 entries fit, 7 do not.
    assertThat(shoff + 6 * 64).isEqualTo(b.length);
    assertThat(parse(b).sectionHeaders()).hasSize(6);
    le(b).putShort(0x3C, (short) 7);
    assertThat(failure(b)).contains("section header table (7 entries of 64 bytes) extends beyond end of file");
    assertThat(offsetOfFailure(b)).isEqualTo(shoff);
    // e_shnum 0 takes the count from section 0's sh_size, which may be 0 too: no sections.
    le(b).putShort(0x3C, (short) 0);
    ElfFile f = parse(b);
    assertThat(f.sectionHeaders()).isEmpty();
    le(b).putLong(sh(b, 0) + SH_SIZE, 6);
    assertThat(parse(b).sectionHeaders()).extracting(SectionHeader::name).contains(".dynamic", ".shstrtab");
  }

  @Test
  void theSectionNameTableIndexMustNameASection() {
    byte[] b = TestElf.x64().build();
    le(b).putShort(0x3E, (short) 6);
    assertThat(failure(b)).contains("e_shstrndx 6 out of range (6 sections)");
  }

  @Test
  void programHeaderTablesMayEndAtTheEndOfTheFileButNotPastIt() throws IOException {
    byte[] b = TestElf.x64().build();
    int phnum = le(b).getShort(0x38);
    byte[] moved = Arrays.copyOf(b, b.length + phnum * 56);
    System.arraycopy(b, 64, moved, b.length, phnum * 56);
    le(moved).putLong(0x20, b.length);
    assertThat(parse(moved).programHeaders()).hasSize(phnum);
    le(moved).putShort(0x38, (short) (phnum + 1));
    assertThat(failure(moved)).contains("program header table (" + (phnum + 1) + " entries of 56 bytes) extends beyond end of file");
    assertThat(offsetOfFailure(moved)).isEqualTo(b.length);
  }

  @Test
  void aSonameRpathOrRunpathAloneIsRead() throws IOException {
    ElfFile soname = parse(TestElf.x64().soname("libs.so.1").build());
    assertThat(soname.soname()).contains("libs.so.1");
    assertThat(soname.needed()).isEmpty();
    assertThat(parse(TestElf.x64().rpath("/r").build()).rpath()).contains("/r");
    assertThat(parse(TestElf.x64().runpath("/rp").build()).runpath()).contains("/rp");
  }

  @Test
  void dtStrtabIsMappedThroughTheSegmentThatHoldsIt() throws IOException {
    // A PT_LOAD that starts 0x40 bytes into the file: address - vaddr + offset.
    byte[] b = TestElf.x64().vaddr(0x400000).needed("liba.so.1", "libb.so.2").build();
    int load = ph(b, ProgramHeader.PT_LOAD);
    le(b).putLong(load + PH_OFFSET, 0x40).putLong(load + PH_VADDR, 0x400040)
        .putLong(load + PH_FILESZ, b.length - 0x40).putLong(load + PH_MEMSZ, b.length - 0x40);
    assertThat(parse(b).needed()).containsExactly("liba.so.1", "libb.so.2");
  }

  @Test
  void dtStrszZeroLeavesNoStringsAndNeverWidensPastTheSegment() throws IOException {
    byte[] b = TestElf.x64().needed("liba.so.1", "libb.so.2").build();
    le(b).putLong(dynValue(b, 10), 0);
    assertThat(failure(b)).contains("dynamic string offset 1 outside its table of 0 bytes");
    // The PT_LOAD ends inside "libb.so.2": a DT_STRSZ that reaches past it is ignored.
    byte[] c = TestElf.x64().needed("liba.so.1", "libb.so.2").build();
    int dynstr = (int) le(c).getLong(dynValue(c, 5));
    int load = ph(c, ProgramHeader.PT_LOAD);
    le(c).putLong(load + PH_FILESZ, dynstr + 15).putLong(load + PH_MEMSZ, dynstr + 15);
    assertThat(failure(c)).contains("dynamic string not NUL-terminated");
  }

  @Test
  void theDynamicSectionsLinkMustNameAStringTableSectionInsideTheFile() throws IOException {
    byte[] b = TestElf.x64().needed("liba.so.1").build();
    le(b).putLong(dynValue(b, 5), 0x7000_0000_0000L); // DT_STRTAB outside every PT_LOAD
    assertThat(parse(b).needed()).containsExactly("liba.so.1");
    String unmapped = "DT_STRTAB address 0x700000000000 is not mapped by any PT_LOAD segment";
    byte[] pastTheTable = b.clone();
    le(pastTheTable).putInt(sh(pastTheTable, 3) + SH_LINK, 6);
    assertThat(failure(pastTheTable)).contains(unmapped);
    // Section 0 is never a string table, whatever its type says.
    byte[] zero = b.clone();
    int dynstr = sh(zero, 2);
    le(zero).putInt(sh(zero, 0) + SH_TYPE, 3).putLong(sh(zero, 0) + SH_OFFSET, le(zero).getLong(dynstr + SH_OFFSET))
        .putLong(sh(zero, 0) + SH_SIZE, le(zero).getLong(dynstr + SH_SIZE));
    le(zero).putInt(sh(zero, 3) + SH_LINK, 0);
    // e_shnum stays 6 (section 0's sh_size is not consulted)
    assertThat(failure(zero)).contains(unmapped);
    byte[] outside = b.clone();
    le(outside).putLong(dynstr + SH_SIZE, outside.length);
    assertThat(failure(outside)).contains("dynamic string table section (" + outside.length + " bytes) extends beyond end of file");
  }

  @Test
  void overlappingLoadSegmentsAreFoundInAnyOrder() {
    byte[] b = TestElf.x64().vaddr(0x400000).build();
    int later = ph(b, ProgramHeader.PT_GNU_STACK);
    // Listed after the first PT_LOAD but lower in memory, and overlapping its first 0x10 bytes.
    le(b).putInt(later, ProgramHeader.PT_LOAD).putLong(later + PH_VADDR, 0x400000 - 0x10).putLong(later + PH_MEMSZ, 0x20);
    assertThat(failure(b)).contains("overlap at address 0x400000");
    le(b).putLong(later + PH_MEMSZ, 0x10);
    org.assertj.core.api.Assertions.assertThatCode(() -> parse(b)).doesNotThrowAnyException();
  }

  @Test
  void noteSectionsAreCheckedAgainstTheFileAndHonourEightByteAlignment() throws IOException {
    byte[] b = TestElf.x64().note("ABCDEFG", 1, new byte[8]).build();
    int note = ph(b, ProgramHeader.PT_NOTE);
    int at = (int) le(b).getLong(note + PH_OFFSET);
    le(b).putInt(note, ProgramHeader.PT_NULL);
    // One 8-aligned note: 12-byte header, "ABCDEFG\0", 4 bytes of padding, a 4-byte descriptor.
    le(b).putInt(at + 4, 4);
    b[at + 20] = 0;
    b[at + 24] = 9;
    b[at + 25] = 8;
    b[at + 26] = 7;
    b[at + 27] = 6;
    le(b).putLong(sh(b, 4) + SH_ADDRALIGN, 8);
    ElfFile f = parse(b);
    assertThat(f.notes()).hasSize(1);
    assertThat(f.notes().get(0).name()).isEqualTo("ABCDEFG");
    assertThat(f.notes().get(0).descriptor()).containsExactly(9, 8, 7, 6);
    le(b).putLong(sh(b, 4) + SH_SIZE, b.length);
    assertThat(failure(b)).contains("note section .note.gnu.build-id (" + b.length + " bytes) extends beyond end of file");
  }

  @Test
  void aNoteMayEndExactlyAtItsSegmentsEnd() throws IOException {
    // "GNU" note of 20 bytes, then "X\0" padded to 4 with no descriptor: 16 bytes.
    byte[] b = TestElf.x64().note("GNU", 3, new byte[] {1, 2, 3, 4}).note("X", 5, new byte[0]).build();
    int note = ph(b, ProgramHeader.PT_NOTE);
    int at = (int) le(b).getLong(note + PH_OFFSET);
    assertThat(le(b).getLong(note + PH_FILESZ)).isEqualTo(36);
    le(b).putInt(at + 20, 4); // the name now reaches the segment's end
    ElfFile f = parse(b);
    assertThat(f.notes()).extracting(ElfNote::name).containsExactly("GNU", "X");
    // A bare 12-byte header at the end is a note with no name and no descriptor.
    le(b).putInt(at + 20, 0);
    le(b).putLong(note + PH_FILESZ, 32);
    f = parse(b);
    assertThat(f.notes()).extracting(ElfNote::name).containsExactly("GNU", "");
    assertThat(f.notes().get(1).type()).isEqualTo(5);
    assertThat(f.notes().get(1).offset()).isEqualTo(at + 20);
  }

  @Test
  void errorsInALaterNotePointAtThatNote() {
    byte[] b = TestElf.x64().note("GNU", 3, new byte[] {1, 2, 3, 4}).note("X", 5, new byte[0]).build();
    int note = ph(b, ProgramHeader.PT_NOTE);
    int at = (int) le(b).getLong(note + PH_OFFSET);
    le(b).putInt(at + 24, 1); // descsz 1: past the 36-byte segment
    assertThat(failure(b)).contains("note descriptor (1 bytes) extends beyond its segment");
    assertThat(offsetOfFailure(b)).isEqualTo(at + 20);
    le(b).putInt(at + 24, 0);
    le(b).putInt(at + 20, 5); // namesz 5: past the segment
    assertThat(failure(b)).contains("note name (5 bytes) extends beyond its segment");
    assertThat(offsetOfFailure(b)).isEqualTo(at + 20);
  }

  @Test
  void notesMayFillTheWholeBudgetButNotMore() throws IOException {
    int budget = ElfParser.MAX_NOTE_BYTES;
    byte[] base = TestElf.x64().note("A", 1, new byte[4]).build();
    int note = ph(base, ProgramHeader.PT_NOTE);
    // One note whose descriptor fills the budget, appended to the file.
    byte[] b = Arrays.copyOf(base, base.length + budget);
    ByteBuffer n = le(b);
    n.putInt(base.length, 2).putInt(base.length + 4, budget - 16).putInt(base.length + 8, 1);
    b[base.length + 12] = 'A';
    n.putLong(note + PH_OFFSET, base.length).putLong(note + PH_FILESZ, budget);
    int load = ph(b, ProgramHeader.PT_LOAD);
    n.putLong(load + PH_FILESZ, b.length).putLong(load + PH_MEMSZ, b.length);
    ElfFile f = parse(b);
    assertThat(f.notes()).hasSize(1);
    assertThat(f.notes().get(0).descriptorSize()).isEqualTo(budget - 16);
    byte[] c = Arrays.copyOf(b, b.length + 4);
    le(c).putLong(note + PH_FILESZ, budget + 4L).putLong(load + PH_FILESZ, c.length).putLong(load + PH_MEMSZ, c.length);
    assertThat(failure(c)).contains("notes exceed " + budget + " bytes in total");
  }
}
