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
 * {@link ElfParser} at the edges docs/formats/elf-deps.md §2 draws: header sizes, segment ranges that end exactly
 * at the file's end or the address space's, PT_LOADs that touch but do not overlap, DT_STRSZ
 * narrowing the string table, and note layout (§2.6).
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
}
