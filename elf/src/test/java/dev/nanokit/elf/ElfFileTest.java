package dev.nanokit.elf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanokit.testing.manifest.ByteArrayChannel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ElfFileTest {

  private static ElfFile parse(byte[] b) throws IOException {
    return ElfFile.read(new ByteArrayChannel(b), "test.elf");
  }

  @ParameterizedTest
  @CsvSource({"64,LE", "64,BE", "32,LE", "32,BE"})
  void parsesAllFieldsForEachClassAndByteOrder(int cls, String ord) throws IOException {
    ByteOrder order = ord.equals("LE") ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
    int machine = cls == 64 ? Architecture.EM_AARCH64 : Architecture.EM_ARM;
    byte[] id = {1, 2, 3, 4, 5, (byte) 0xAB, (byte) 0xCD, (byte) 0xEF};
    byte[] b = TestElf.x64().cls(cls).order(order).machine(machine).type(ElfFile.ET_DYN)
        .interp("/lib/ld-linux-aarch64.so.1").needed("libfoo.so.1", "libc.so.6")
        .soname("libme.so.2").rpath("/opt/a:$ORIGIN/../lib").runpath("/opt/run")
        .flags1(ElfFile.DF_1_NODEFLIB).buildId(id).vaddr(0x10000).build();

    ElfFile f = parse(b);

    assertThat(f.elfClass()).isEqualTo(cls);
    assertThat(f.byteOrder()).isEqualTo(order);
    assertThat(f.machine()).isEqualTo(machine);
    assertThat(f.architecture()).isEqualTo(cls == 64 ? Architecture.AARCH64 : Architecture.ARM);
    assertThat(f.type()).isEqualTo(ElfFile.ET_DYN);
    assertThat(f.entry()).isEqualTo(0x1040);
    assertThat(f.osAbi()).isZero();
    assertThat(f.interpreter()).contains("/lib/ld-linux-aarch64.so.1");
    assertThat(f.needed()).containsExactly("libfoo.so.1", "libc.so.6");
    assertThat(f.soname()).contains("libme.so.2");
    assertThat(f.rpath()).contains("/opt/a:$ORIGIN/../lib");
    assertThat(f.runpath()).contains("/opt/run");
    assertThat(f.dynamicFlags1()).isEqualTo(ElfFile.DF_1_NODEFLIB);
    assertThat(f.isNoDefaultLib()).isTrue();
    assertThat(f.isDynamic()).isTrue();
    assertThat(f.isPie()).isFalse(); // has a SONAME: a shared library with PT_INTERP, like libc
    assertThat(f.hasExecutableStack()).isFalse();
    assertThat(f.buildId()).contains("0102030405abcdef");
    assertThat(f.programHeaders()).extracting(ProgramHeader::type).containsExactly(
        ProgramHeader.PT_LOAD, ProgramHeader.PT_INTERP, ProgramHeader.PT_DYNAMIC,
        ProgramHeader.PT_NOTE, ProgramHeader.PT_GNU_STACK);
    assertThat(f.programHeaders().get(0).vaddr()).isEqualTo(0x10000);
    assertThat(f.sectionHeaders()).extracting(SectionHeader::name).containsExactly(
        "", ".interp", ".dynstr", ".dynamic", ".note.gnu.build-id", ".shstrtab");
    assertThat(f.section(".dynamic")).get().extracting(SectionHeader::type)
        .isEqualTo(SectionHeader.SHT_DYNAMIC);
  }

  @Test
  void pieExecutableWithoutSections() throws IOException {
    ElfFile f = parse(TestElf.x64().interp("/lib64/ld-linux-x86-64.so.2").needed("libc.so.6")
        .sections(false).build());
    assertThat(f.sectionHeaders()).isEmpty();
    assertThat(f.isPie()).isTrue();
    assertThat(f.architecture()).isEqualTo(Architecture.X86_64);
    assertThat(f.soname()).isEmpty();
    assertThat(f.rpath()).isEmpty();
    assertThat(f.runpath()).isEmpty();
    assertThat(f.buildId()).isEmpty();
  }

  @Test
  void staticExecutableIsNotDynamic() throws IOException {
    ElfFile f = parse(TestElf.x64().type(ElfFile.ET_EXEC).vaddr(0x400000).build());
    assertThat(f.isDynamic()).isFalse();
    assertThat(f.hasDynamicSection()).isTrue();
    assertThat(f.isPie()).isFalse();
    assertThat(f.interpreter()).isEmpty();
    assertThat(f.needed()).isEmpty();
  }

  @Test
  void architectureMapping() {
    assertThat(Architecture.of(62, 64)).isEqualTo(Architecture.X86_64);
    assertThat(Architecture.of(183, 64)).isEqualTo(Architecture.AARCH64);
    assertThat(Architecture.of(243, 64)).isEqualTo(Architecture.RISCV64);
    assertThat(Architecture.of(3, 32)).isEqualTo(Architecture.X86);
    assertThat(Architecture.of(40, 32)).isEqualTo(Architecture.ARM);
    assertThat(Architecture.of(9999, 64)).isEqualTo(Architecture.OTHER);
  }

  @Test
  void errorMessageNamesFileReasonAndOffset() {
    byte[] b = TestElf.x64().build();
    b[0] = 0x7E;
    assertThatThrownBy(() -> parse(b))
        .isInstanceOf(ElfFormatException.class)
        .hasMessage("test.elf: not an ELF file (bad magic) at byte offset 0")
        .satisfies(e -> assertThat(((ElfFormatException) e).offset()).isZero());
  }

  @Test
  void rejectsHugeProgramHeaderCount() {
    byte[] b = TestElf.x64().interp("/x").build();
    ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    bb.putShort(0x38, (short) 0xFFFF);
    // PN_XNUM: the real count lives in section 0's sh_info; make it far larger than the file
    bb.putInt((int) bb.getLong(0x28) + 44, 0x7FFF_FFFF);
    assertThatThrownBy(() -> parse(b)).isInstanceOf(ElfFormatException.class)
        .hasMessageContaining("program header table");
    // PN_XNUM without sections: explicit error rather than guessing
    byte[] c = TestElf.x64().interp("/x").sections(false).build();
    ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).putShort(0x38, (short) 0xFFFF);
    assertThatThrownBy(() -> parse(c)).isInstanceOf(ElfFormatException.class)
        .hasMessageContaining("PN_XNUM");
  }

  @Test
  void rejectsWrappingProgramHeaderOffset() {
    byte[] b = TestElf.x64().build();
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0x20, -8L);
    assertThatThrownBy(() -> parse(b)).isInstanceOf(ElfFormatException.class)
        .hasMessageContaining("program header table");
  }

  @Test
  void rejectsUnterminatedInterpreter() throws IOException {
    byte[] b = TestElf.x64().interp("/lib/ld.so").sections(false).build();
    ElfFile ok = parse(b);
    ProgramHeader interp = ok.programHeaders().get(1);
    b[(int) (interp.offset() + interp.filesz() - 1)] = 'x';
    assertThatThrownBy(() -> parse(b)).isInstanceOf(ElfFormatException.class)
        .hasMessageContaining("NUL");
  }

  @Test
  void rejectsNeededOffsetOutsideStringTable() throws IOException {
    byte[] b = TestElf.x64().needed("libc.so.6").sections(false).build();
    ProgramHeader dyn = parse(b).programHeaders().get(1);
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong((int) dyn.offset() + 8, 1L << 40);
    assertThatThrownBy(() -> parse(b)).isInstanceOf(ElfFormatException.class)
        .hasMessageContaining("outside");
  }

  @Test
  void tooShortFile() {
    assertThatThrownBy(() -> parse(new byte[] {0x7F, 'E', 'L', 'F'}))
        .isInstanceOf(ElfFormatException.class).hasMessageContaining("too short");
  }

  @Test
  void readsFromPath(@TempDir Path dir) throws IOException {
    Path p = TestElf.x64().needed("libz.so.1").write(dir.resolve("a.so"));
    ElfFile f = ElfFile.read(p);
    assertThat(f.name()).isEqualTo(p.toString());
    assertThat(f.needed()).containsExactly("libz.so.1");
  }

  @Test
  void readsHostBinary() throws IOException {
    Path ls = Path.of("/bin/ls");
    Assumptions.assumeTrue(Files.isRegularFile(ls), "/bin/ls not present");
    ElfFile f = ElfFile.read(ls);
    Assumptions.assumeTrue(f.isDynamic(), "/bin/ls is static");
    assertThat(f.interpreter()).isPresent();
    assertThat(f.needed()).isNotEmpty();
    assertThat(f.sectionHeaders()).isNotEmpty();
    assertThat(f.section(".dynstr")).isPresent();
    List<String> needed = f.needed();
    assertThat(needed).anyMatch(n -> n.startsWith("libc."));
  }

  @Test
  void notesBuildIdAbiTagAndPvhEntry() throws IOException {
    for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
      byte[] tag = ByteBuffer.allocate(16).order(order).putInt(0).putInt(3).putInt(2).putInt(0)
          .array();
      byte[] pvh = ByteBuffer.allocate(4).order(order).putInt(0x0010_2000).array();
      ElfFile f = parse(TestElf.x64().order(order).buildId(new byte[] {(byte) 0xDE, (byte) 0xAD})
          .note("GNU", ElfNote.NT_GNU_ABI_TAG, tag)
          .note("Xen", ElfNote.XEN_ELFNOTE_PHYS32_ENTRY, pvh)
          .note("Xen", ElfNote.XEN_ELFNOTE_ENTRY, new byte[8]).build());

      assertThat(f.notes()).extracting(ElfNote::name, ElfNote::type, ElfNote::descriptorSize)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("GNU", 3, 2),
              org.assertj.core.groups.Tuple.tuple("GNU", 1, 16),
              org.assertj.core.groups.Tuple.tuple("Xen", 18, 4),
              org.assertj.core.groups.Tuple.tuple("Xen", 1, 8));
      assertThat(f.buildId()).contains("dead");
      assertThat(f.abiTag()).contains(new AbiTag(AbiTag.OS_LINUX, 3, 2, 0));
      assertThat(f.abiTag().orElseThrow()).hasToString("Linux 3.2.0");
      assertThat(f.pvhEntry()).hasValue(0x0010_2000L);
    }
  }

  @Test
  void noteDescriptorIsACopy() throws IOException {
    ElfFile f = parse(TestElf.x64().buildId(new byte[] {1, 2}).build());
    f.notes().get(0).descriptor()[0] = 9;
    assertThat(f.notes().get(0).descriptor()).containsExactly(1, 2);
  }

  @ParameterizedTest
  @CsvSource({"64,LE", "64,BE", "32,LE", "32,BE"})
  void dynamicAndStaticSymbolNamesOnRequest(int cls, String ord) throws IOException {
    ByteOrder order = ord.equals("LE") ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
    byte[] b = TestElf.x64().cls(cls).order(order).needed("libc.so.6")
        .dynsym("malloc", "free").symtab("main", "helper").build();
    ElfFile f = parse(b);

    List<ElfSymbol> dyn = f.readSymbols(ElfFile.SymbolTable.DYNAMIC, new ByteArrayChannel(b));
    List<ElfSymbol> stat = f.readSymbols(ElfFile.SymbolTable.STATIC, new ByteArrayChannel(b));

    assertThat(dyn).extracting(ElfSymbol::name).containsExactly("malloc", "free");
    assertThat(stat).containsExactly(new ElfSymbol("main", 0x2000, 16, 0x12, 0, 1),
        new ElfSymbol("helper", 0x2010, 16, 0x12, 0, 1));
    assertThat(stat.get(0).binding()).isEqualTo(ElfSymbol.STB_GLOBAL);
    assertThat(stat.get(0).type()).isEqualTo(ElfSymbol.STT_FUNC);
    assertThat(stat.get(0).isUndefined()).isFalse();
  }

  @Test
  void symbolsAbsentWithoutSectionsOrTable() throws IOException {
    byte[] stripped = TestElf.x64().dynsym("x").sections(false).build();
    assertThat(parse(stripped).readSymbols(ElfFile.SymbolTable.DYNAMIC,
        new ByteArrayChannel(stripped))).isEmpty();
    byte[] noSymtab = TestElf.x64().dynsym("x").build();
    assertThat(parse(noSymtab).readSymbols(ElfFile.SymbolTable.STATIC,
        new ByteArrayChannel(noSymtab))).isEmpty();
  }

  @Test
  void symbolsFromADifferentFileAreRefused() throws IOException {
    byte[] b = TestElf.x64().dynsym("x").build();
    ElfFile f = parse(b);
    assertThatThrownBy(() -> f.readSymbols(ElfFile.SymbolTable.DYNAMIC,
        new ByteArrayChannel(b, b.length - 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("holds " + (b.length - 1) + " bytes");
  }

  @Test
  void kindsOfObject() throws IOException {
    ElfFile staticPie = parse(TestElf.x64().type(ElfFile.ET_DYN).flags1(ElfFile.DF_1_PIE).build());
    assertThat(staticPie.isStaticPie()).isTrue();
    assertThat(staticPie.isDynamic()).isFalse();
    assertThat(staticPie.isSharedLibrary()).isFalse();

    ElfFile lib = parse(TestElf.x64().soname("libq.so.1").needed("libc.so.6").build());
    assertThat(lib.isSharedLibrary()).isTrue();
    assertThat(lib.isPie()).isFalse();
    assertThat(lib.isStaticPie()).isFalse();

    ElfFile pie = parse(TestElf.x64().interp("/lib/ld.so").needed("libc.so.6")
        .flags1(ElfFile.DF_1_PIE).build());
    assertThat(pie.isPie()).isTrue();
    assertThat(pie.isSharedLibrary()).isFalse();

    ElfFile exec = parse(TestElf.x64().type(ElfFile.ET_EXEC).interp("/lib/ld.so")
        .needed("libc.so.6").vaddr(0x400000).build());
    assertThat(exec.isDynamic()).isTrue();
    assertThat(exec.isPie()).isFalse();
    assertThat(exec.isSharedLibrary()).isFalse();
  }

  @Test
  void unnamedChannelErrorsCarryOnlyReasonAndOffset() {
    assertThatThrownBy(() -> ElfFile.read(new ByteArrayChannel(new byte[20]), null))
        .isInstanceOf(ElfFormatException.class)
        .hasMessage("not an ELF file (bad magic) at byte offset 0")
        .satisfies(e -> assertThat(((ElfFormatException) e).fileName()).isEmpty());
  }

  @Test
  void readsHostBinaryNotesAndSymbols() throws IOException {
    Path ls = Path.of("/bin/ls");
    Assumptions.assumeTrue(Files.isRegularFile(ls), "/bin/ls not present");
    ElfFile f = ElfFile.read(ls);
    Assumptions.assumeTrue(f.isDynamic(), "/bin/ls is static");
    // Build-id notes are checked on synthetic files (notesBuildIdAbiTagAndPvhEntry); a host binary
    // built without --build-id is no failure.
    f.buildId().ifPresent(id -> assertThat(id).matches("[0-9a-f]{16,}"));
    assertThat(f.readSymbols(ElfFile.SymbolTable.DYNAMIC, ls))
        .extracting(ElfSymbol::name).isNotEmpty().doesNotContainNull();
    assertThat(f.fileSize()).isEqualTo(Files.size(ls));
  }

  @Test
  void pvhEntryTakesFourOrEightByteDescriptorsOnly() throws IOException {
    byte[] eight = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0x1_0000_2000L).array();
    assertThat(parse(TestElf.x64().note("Xen", ElfNote.XEN_ELFNOTE_PHYS32_ENTRY, eight).build()).pvhEntry())
        .hasValue(0x1_0000_2000L);
    assertThat(parse(TestElf.x64().note("Xen", ElfNote.XEN_ELFNOTE_PHYS32_ENTRY, new byte[2]).build()).pvhEntry()).isEmpty();
    assertThat(parse(TestElf.x64().note("GNU", ElfNote.XEN_ELFNOTE_PHYS32_ENTRY, new byte[4]).build()).pvhEntry()).isEmpty();
  }

  @Test
  void stackAndDynamicFlagsComeFromTheirHeaders() throws IOException {
    byte[] b = TestElf.x64().flags1(ElfFile.DF_1_PIE).build();
    ElfFile f = parse(b);
    assertThat(f.hasExecutableStack()).isFalse(); // TestElf's PT_GNU_STACK is RW
    assertThat(f.dynamicFlags1()).isEqualTo(ElfFile.DF_1_PIE);
    assertThat(f.dynamicFlags()).isZero();
    ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    int phoff = (int) h.getLong(0x20);
    for (int i = 0; i < h.getShort(0x38); i++) {
      int at = phoff + 56 * i;
      if (h.getInt(at) == ProgramHeader.PT_GNU_STACK) {
        h.putInt(at + 4, ProgramHeader.PF_R | ProgramHeader.PF_W | ProgramHeader.PF_X);
      }
      if (h.getInt(at) == ProgramHeader.PT_DYNAMIC) {
        int dyn = (int) h.getLong(at + 8);
        h.putLong(dyn, 30).putLong(dyn + 8, 0x8); // first entry becomes DT_FLAGS = DF_BIND_NOW
      }
    }
    ElfFile g = parse(b);
    assertThat(g.hasExecutableStack()).isTrue();
    assertThat(g.dynamicFlags()).isEqualTo(0x8);
    assertThat(g.hasDynamicSection()).isTrue();
    byte[] noDynamic = TestElf.x64().build();
    ByteBuffer n = ByteBuffer.wrap(noDynamic).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n.getShort(0x38); i++) {
      int at = (int) n.getLong(0x20) + 56 * i;
      if (n.getInt(at) == ProgramHeader.PT_DYNAMIC) {
        n.putInt(at, ProgramHeader.PT_NULL);
      }
    }
    assertThat(parse(noDynamic).hasDynamicSection()).isFalse();
  }

  @Test
  void toStringSummarisesTheFile() throws IOException {
    ElfFile f = parse(TestElf.x64().interp("/lib/ld.so").needed("libc.so.6").build());
    assertThat(f.toString()).isEqualTo("ElfFile[test.elf, ELF64 LITTLE_ENDIAN X86_64 type=3, interp=/lib/ld.so, needed=[libc.so.6]]");
    assertThat(parse(TestElf.x64().build()).toString()).contains("interp=-, needed=[]");
  }

  @Test
  void formatErrorsKeepTheirPartsApart() {
    ElfFormatException named = new ElfFormatException("a.so", "bad magic", 0xFFFF_FFFF_FFFF_FFFFL);
    assertThat(named.getMessage()).isEqualTo("a.so: bad magic at byte offset 18446744073709551615");
    assertThat(named.fileName()).contains("a.so");
    assertThat(named.reason()).isEqualTo("bad magic");
    ElfFormatException unnamed = new ElfFormatException(null, "bad magic", 4);
    assertThat(unnamed.getMessage()).isEqualTo("bad magic at byte offset 4");
    assertThat(unnamed.fileName()).isEmpty();
  }
}
