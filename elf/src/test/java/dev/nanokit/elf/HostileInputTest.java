package dev.nanokit.elf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.nanokit.testing.manifest.ByteArrayChannel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Malformed input must end in {@link ElfFormatException} or a parse, never another exception, OOM
 * or hang. Randomized cases go through {@link Seeds}: fixed seeds plus one fresh seed per run.
 */
class HostileInputTest {
  private static final int MUTANTS_PER_SEED = 1500;
  private static final Duration BOUND = Duration.ofSeconds(60);

  private static final byte[] SMALL64 = TestElf.x64().interp("/lib64/ld-linux-x86-64.so.2")
      .needed("libc.so.6", "libm.so.6").soname("x.so").rpath("/a:$ORIGIN").runpath("/b")
      .buildId(new byte[20]).note("GNU", ElfNote.NT_GNU_ABI_TAG, abiTag(ByteOrder.LITTLE_ENDIAN))
      .note("Xen", ElfNote.XEN_ELFNOTE_PHYS32_ENTRY, new byte[] {0x10, 0, 0x20, 0})
      .dynsym("malloc", "free").symtab("main", "helper").build();
  private static final byte[] SMALL32BE = TestElf.x64().cls(32).order(ByteOrder.BIG_ENDIAN)
      .machine(Architecture.EM_PPC).interp("/lib/ld.so.1").needed("libc.so.6")
      .buildId(new byte[8]).dynsym("f").symtab("g").build();

  private static byte[] abiTag(ByteOrder o) {
    return ByteBuffer.allocate(16).order(o).putInt(0).putInt(3).putInt(2).putInt(0).array();
  }

  /** Parses and touches everything lazily decoded; only ElfFormatException may escape. */
  private static ElfFile parseFully(byte[] b, int len, String name) throws IOException {
    ElfFile f = ElfFile.read(new ByteArrayChannel(b, len), name);
    f.abiTag();
    f.pvhEntry();
    f.buildId();
    f.isPie();
    f.isStaticPie();
    f.hasExecutableStack();
    for (ElfFile.SymbolTable t : ElfFile.SymbolTable.values()) {
      f.readSymbols(t, new ByteArrayChannel(b, len));
    }
    return f;
  }

  @Test
  void everyTruncationOfSmallElfs() {
    for (byte[] full : List.of(SMALL64, SMALL32BE)) {
      assertTimeoutPreemptively(BOUND, () -> {
        for (int len = 0; len < full.length; len++) {
          try {
            parseFully(full, len, "trunc");
          } catch (ElfFormatException expected) {
            assertThat(expected.getMessage()).startsWith("trunc: ").contains(" at byte offset ");
          } catch (Throwable t) {
            throw new AssertionError("truncation to " + len + " bytes threw " + t, t);
          }
        }
      });
    }
  }

  @Test
  void byteFlipsOfSmallHandBuiltElfs() {
    Seeds.forEach("small ELF byte flips", rnd -> {
      for (byte[] original : List.of(SMALL64, SMALL32BE)) {
        List<long[]> hot = List.of(new long[] {0, original.length});
        int[] outcomes = new int[2];
        assertTimeoutPreemptively(BOUND, () -> runMutants(original, hot, rnd, outcomes));
        assertThat(outcomes[0] + outcomes[1]).isEqualTo(MUTANTS_PER_SEED);
      }
    });
  }

  @Test
  void byteFlipsOfARealBinary() throws IOException {
    byte[] original = sampleBinary();
    ElfFile base = ElfFile.read(new ByteArrayChannel(original), "sample");
    // Most of a binary is code; bias mutations towards the structures the parser reads.
    List<long[]> hot = new ArrayList<>();
    hot.add(new long[] {0, Math.min(original.length, 4096)});
    for (ProgramHeader ph : base.programHeaders()) {
      if (ph.type() == ProgramHeader.PT_DYNAMIC || ph.type() == ProgramHeader.PT_NOTE
          || ph.type() == ProgramHeader.PT_INTERP) {
        hot.add(new long[] {ph.offset(), ph.filesz()});
      }
    }
    base.section(".dynstr").ifPresent(s -> hot.add(new long[] {s.offset(), s.size()}));
    base.section(".dynsym").ifPresent(s -> hot.add(new long[] {s.offset(), s.size()}));
    base.section(".shstrtab").ifPresent(s -> hot.add(new long[] {s.offset(), s.size()}));
    if (!base.sectionHeaders().isEmpty()) {
      long shoff = original.length
          - (long) base.sectionHeaders().size() * (base.elfClass() == 64 ? 64 : 40);
      hot.add(new long[] {Math.max(0, shoff), original.length - Math.max(0, shoff)});
    }
    Seeds.forEach("real binary byte flips", rnd -> {
      int[] outcomes = new int[2];
      assertTimeoutPreemptively(BOUND.multipliedBy(2),
          () -> runMutants(original, hot, rnd, outcomes));
      System.out.println("real binary mutants: " + outcomes[0] + " parsed, " + outcomes[1]
          + " rejected with ElfFormatException");
    });
  }

  private static void runMutants(byte[] original, List<long[]> hot, Random rnd, int[] outcomes) {
    byte[] buf = new byte[original.length];
    byte[] interesting = {0, (byte) 0xFF, 0x7F, (byte) 0x80, 1, 2, 0x40};
    for (int m = 0; m < MUTANTS_PER_SEED; m++) {
      System.arraycopy(original, 0, buf, 0, buf.length);
      int flips = 1 + rnd.nextInt(8);
      StringBuilder desc = new StringBuilder();
      for (int k = 0; k < flips; k++) {
        int pos;
        if (rnd.nextInt(4) == 0) {
          pos = rnd.nextInt(buf.length);
        } else {
          long[] r = hot.get(rnd.nextInt(hot.size()));
          pos = (int) (r[0] + (r[1] <= 0 ? 0 : Math.floorMod(rnd.nextLong(), r[1])));
          pos = Math.min(pos, buf.length - 1);
        }
        byte v = rnd.nextBoolean() ? (byte) (buf[pos] ^ (1 << rnd.nextInt(8)))
            : interesting[rnd.nextInt(interesting.length)];
        buf[pos] = v;
        desc.append(pos).append('=').append(v & 0xFF).append(' ');
      }
      int len = rnd.nextInt(10) == 0 ? rnd.nextInt(buf.length + 1) : buf.length;
      try {
        parseFully(buf, len, "mutant");
        outcomes[0]++;
      } catch (ElfFormatException e) {
        outcomes[1]++;
      } catch (Throwable t) {
        throw new AssertionError("mutant " + m + " (len " + len + ", " + desc + ") threw " + t, t);
      }
    }
  }

  // ---- targeted hostile structures -------------------------------------------------------------

  private static ByteBuffer le(byte[] b) {
    return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static void assertRejected(byte[] b, String messagePart) {
    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThatThrownBy(
        () -> parseFully(b, b.length, "bad.elf"))
        .isInstanceOf(ElfFormatException.class)
        .hasMessageStartingWith("bad.elf: ")
        .hasMessageContaining(messagePart));
  }

  @Test
  void phnum65535WithoutSectionHeaders() {
    byte[] b = TestElf.x64().interp("/x").sections(false).build();
    le(b).putShort(0x38, (short) 0xFFFF);
    assertRejected(b, "PN_XNUM");
  }

  @Test
  void phnum65535WithHugeSectionZeroInfo() {
    byte[] b = TestElf.x64().interp("/x").build();
    ByteBuffer bb = le(b);
    bb.putShort(0x38, (short) 0xFFFF);
    bb.putInt((int) bb.getLong(0x28) + 44, -1); // sh_info = 4G program headers
    assertRejected(b, "program header table (4294967295 entries");
  }

  @Test
  void shnumFromSectionZeroLargerThanFile() {
    byte[] b = TestElf.x64().build();
    ByteBuffer bb = le(b);
    bb.putShort(0x3C, (short) 0); // e_shnum 0: real count in section 0's sh_size
    bb.putLong((int) bb.getLong(0x28) + 32, Long.MAX_VALUE);
    assertRejected(b, "section header table");
  }

  @Test
  void wrappingProgramHeaderTableOffset() {
    byte[] b = TestElf.x64().build();
    le(b).putLong(0x20, -8L);
    assertRejected(b, "program header table");
  }

  @Test
  void segmentFileRangeWrapping() {
    byte[] b = TestElf.x64().sections(false).build();
    le(b).putLong(64 + 8, -16L); // PT_LOAD p_offset = 2^64 - 16
    assertRejected(b, "extends beyond end of file");
  }

  @Test
  void segmentAddressRangeWrapping() {
    byte[] b = TestElf.x64().sections(false).vaddr(0xFFFF_FFFF_FFFF_F000L).build();
    le(b).putLong(64 + 40, 0x10000); // p_memsz past 2^64
    assertRejected(b, "wraps around the address space");
  }

  @Test
  void elf32SegmentAddressRangeWrapping() {
    byte[] b = TestElf.x64().cls(32).sections(false).vaddr(0xFFFF_F000L).build();
    le(b).putInt(52 + 20, 0x10000);
    assertRejected(b, "wraps around the address space");
  }

  @Test
  void overlappingLoadSegments() {
    // Turn PT_DYNAMIC (inside the PT_LOAD) into a second PT_LOAD: same addresses twice.
    byte[] b = TestElf.x64().sections(false).build();
    le(b).putInt(64 + 56, ProgramHeader.PT_LOAD);
    assertRejected(b, "overlap");
  }

  @Test
  void loadWithMoreFileThanMemory() {
    byte[] b = TestElf.x64().sections(false).build();
    ByteBuffer bb = le(b);
    bb.putLong(64 + 40, bb.getLong(64 + 32) - 1);
    assertRejected(b, "exceeds p_memsz");
  }

  @Test
  void unterminatedDynamicStringTable() throws IOException {
    byte[] b = TestElf.x64().needed("libc.so.6").sections(false).build();
    ElfFile ok = ElfFile.read(new ByteArrayChannel(b), "ok");
    // DT_STRSZ narrowed to cut "libc.so.6" before its NUL.
    ProgramHeader dyn = ok.programHeaders().get(1);
    ByteBuffer bb = le(b);
    for (int at = (int) dyn.offset(); ; at += 16) {
      if (bb.getLong(at) == 10) {
        bb.putLong(at + 8, 5);
        break;
      }
    }
    assertRejected(b, "not NUL-terminated");
  }

  @Test
  void unterminatedSymbolName() throws IOException {
    byte[] b = TestElf.x64().symtab("main").build();
    ElfFile ok = ElfFile.read(new ByteArrayChannel(b), "ok");
    SectionHeader strtab = ok.section(".strtab").orElseThrow();
    b[(int) (strtab.offset() + strtab.size() - 1)] = 'x';
    assertRejected(b, "not NUL-terminated");
  }

  @Test
  void symbolTableLinkedToNonStringSection() throws IOException {
    byte[] b = TestElf.x64().symtab("main").build();
    ElfFile ok = ElfFile.read(new ByteArrayChannel(b), "ok");
    int index = ok.sectionHeaders().indexOf(ok.section(".symtab").orElseThrow());
    long shoff = le(b).getLong(0x28);
    le(b).putInt((int) (shoff + 64L * index + 40), 3); // sh_link -> .dynamic
    assertRejected(b, "not a string table");
  }

  @Test
  void noteDescriptorBeyondSegment() throws IOException {
    byte[] b = TestElf.x64().buildId(new byte[4]).sections(false).build();
    ElfFile ok = ElfFile.read(new ByteArrayChannel(b), "ok");
    ProgramHeader note = ok.programHeaders().stream()
        .filter(p -> p.type() == ProgramHeader.PT_NOTE).findFirst().orElseThrow();
    le(b).putInt((int) note.offset() + 4, 0x7FFF_FFFF);
    assertRejected(b, "note descriptor");
  }

  @Test
  void manyProgramHeadersPointingAtTheSameNoteStayBounded() throws IOException {
    // 2000 PT_NOTE headers over one 4 KiB region: 8 MB of note bytes > MAX_NOTE_BYTES.
    int phnum = 2000;
    int noteOff = 64 + phnum * 56;
    byte[] b = new byte[noteOff + 4096];
    ByteBuffer bb = le(b);
    bb.put(0, new byte[] {0x7F, 'E', 'L', 'F', 2, 1, 1});
    bb.putShort(16, (short) 2).putShort(18, (short) 62).putInt(20, 1).putLong(32, 64);
    bb.putShort(52, (short) 64).putShort(54, (short) 56).putShort(56, (short) phnum);
    for (int i = 0; i < phnum; i++) {
      int at = 64 + i * 56;
      bb.putInt(at, ProgramHeader.PT_NOTE).putLong(at + 8, noteOff).putLong(at + 32, 4096);
    }
    for (int at = noteOff; at + 16 <= b.length; at += 16) {
      bb.putInt(at, 0).putInt(at + 4, 4).putInt(at + 8, 7); // anonymous notes, 4-byte desc
    }
    assertRejected(b, "notes exceed");
  }

  /** /bin/ls when present, else the small synthetic ELF with every structure the parser reads. */
  private static byte[] sampleBinary() throws IOException {
    Path ls = Path.of("/bin/ls");
    if (Files.isRegularFile(ls) && Files.size(ls) < (64 << 20)) {
      byte[] b = Files.readAllBytes(ls);
      try {
        ElfFile.read(new ByteArrayChannel(b), "ls");
        return b;
      } catch (ElfFormatException e) {
        System.out.println("/bin/ls is not a readable ELF here; fuzzing a synthetic file: " + e);
      }
    }
    return SMALL64;
  }
}
