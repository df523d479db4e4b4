package dev.nanokit.elf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test-side builder for small but structurally complete ELF files: header, PT_LOAD covering the
 * whole file, PT_INTERP, PT_DYNAMIC with a string table, PT_NOTE build-id, PT_GNU_STACK and
 * optionally a section header table.
 */
final class TestElf {
  int elfClass = 64;
  ByteOrder order = ByteOrder.LITTLE_ENDIAN;
  int machine = Architecture.EM_X86_64;
  int type = ElfFile.ET_DYN;
  int osAbi = 0;
  long entry = 0x1040;
  String interp;
  final List<String> needed = new ArrayList<>();
  String soname;
  String rpath;
  String runpath;
  long flags1;
  byte[] buildId;
  boolean sections = true;
  long loadVaddr = 0;
  /** Extra notes: owner name, type, descriptor. */
  final List<Object[]> notes = new ArrayList<>();
  final List<String> dynsym = new ArrayList<>();
  final List<String> symtab = new ArrayList<>();

  static TestElf x64() {
    return new TestElf();
  }

  TestElf cls(int c) {
    elfClass = c;
    return this;
  }

  TestElf order(ByteOrder o) {
    order = o;
    return this;
  }

  TestElf machine(int m) {
    machine = m;
    return this;
  }

  TestElf type(int t) {
    type = t;
    return this;
  }

  TestElf interp(String i) {
    interp = i;
    return this;
  }

  TestElf needed(String... n) {
    needed.addAll(List.of(n));
    return this;
  }

  TestElf soname(String s) {
    soname = s;
    return this;
  }

  TestElf rpath(String s) {
    rpath = s;
    return this;
  }

  TestElf runpath(String s) {
    runpath = s;
    return this;
  }

  TestElf flags1(long f) {
    flags1 = f;
    return this;
  }

  TestElf buildId(byte[] b) {
    buildId = b;
    return this;
  }

  TestElf sections(boolean s) {
    sections = s;
    return this;
  }

  TestElf note(String owner, int noteType, byte[] desc) {
    notes.add(new Object[] {owner, noteType, desc});
    return this;
  }

  /** Adds a .dynsym section (names in .dynstr), one global function symbol per name. */
  TestElf dynsym(String... names) {
    dynsym.addAll(List.of(names));
    return this;
  }

  /** Adds .symtab and .strtab sections, one global function symbol per name. */
  TestElf symtab(String... names) {
    symtab.addAll(List.of(names));
    return this;
  }

  TestElf vaddr(long v) {
    loadVaddr = v;
    return this;
  }

  Path write(Path p) throws IOException {
    Files.createDirectories(p.getParent());
    Files.write(p, build());
    return p;
  }

  byte[] build() {
    boolean is64 = elfClass == 64;
    int ehsize = is64 ? 64 : 52;
    int phent = is64 ? 56 : 32;
    int shent = is64 ? 64 : 40;
    int dynent = is64 ? 16 : 8;

    // Dynamic string table: leading NUL, then each distinct string once.
    ByteArrayOutputStream dynstr = new ByteArrayOutputStream();
    dynstr.write(0);
    Map<String, Integer> strOff = new LinkedHashMap<>();
    List<String> all = new ArrayList<>(needed);
    all.addAll(dynsym);
    for (String s : new String[] {soname, rpath, runpath}) {
      if (s != null) {
        all.add(s);
      }
    }
    for (String s : all) {
      strOff.computeIfAbsent(s, k -> {
        int o = dynstr.size();
        byte[] b = k.getBytes(StandardCharsets.UTF_8);
        dynstr.write(b, 0, b.length);
        dynstr.write(0);
        return o;
      });
    }
    List<long[]> dyn = new ArrayList<>();
    for (String n : needed) {
      dyn.add(new long[] {1, strOff.get(n)});
    }
    if (soname != null) {
      dyn.add(new long[] {14, strOff.get(soname)});
    }
    if (rpath != null) {
      dyn.add(new long[] {15, strOff.get(rpath)});
    }
    if (runpath != null) {
      dyn.add(new long[] {29, strOff.get(runpath)});
    }
    if (flags1 != 0) {
      dyn.add(new long[] {0x6FFFFFFBL, flags1});
    }
    int strtabIndex = dyn.size();
    dyn.add(new long[] {5, 0}); // DT_STRTAB, patched below
    dyn.add(new long[] {10, dynstr.size()});
    dyn.add(new long[] {0, 0});

    byte[] interpBytes = interp == null ? null : (interp + "\0").getBytes(StandardCharsets.UTF_8);
    byte[] note = null;
    List<Object[]> allNotes = new ArrayList<>();
    if (buildId != null) {
      allNotes.add(new Object[] {"GNU", 3, buildId});
    }
    allNotes.addAll(notes);
    if (!allNotes.isEmpty()) {
      ByteArrayOutputStream nb = new ByteArrayOutputStream();
      for (Object[] n : allNotes) {
        byte[] nm = (n[0] + "\0").getBytes(StandardCharsets.US_ASCII);
        byte[] desc = (byte[]) n[2];
        ByteBuffer h = ByteBuffer.allocate(12 + align(nm.length, 4) + align(desc.length, 4))
            .order(order);
        h.putInt(nm.length).putInt(desc.length).putInt((Integer) n[1]).put(nm);
        h.position(12 + align(nm.length, 4));
        h.put(desc);
        nb.write(h.array(), 0, h.capacity());
      }
      note = nb.toByteArray();
    }
    int phnum = 3 + (interp != null ? 1 : 0) + (note != null ? 1 : 0);
    int pos = ehsize + phnum * phent;
    int interpOff = pos;
    pos += interpBytes == null ? 0 : interpBytes.length;
    pos = align(pos, 8);
    int dynstrOff = pos;
    pos += dynstr.size();
    pos = align(pos, 8);
    int dynOff = pos;
    pos += dyn.size() * dynent;
    int noteOff = pos;
    pos += note == null ? 0 : note.length;
    int syment = is64 ? 24 : 16;
    int dynsymOff = align(pos, 8);
    if (sections && !dynsym.isEmpty()) {
      pos = dynsymOff + (dynsym.size() + 1) * syment;
    }
    ByteArrayOutputStream strtab = new ByteArrayOutputStream();
    strtab.write(0);
    List<Integer> symtabNames = new ArrayList<>();
    for (String n : symtab) {
      symtabNames.add(strtab.size());
      byte[] bs = n.getBytes(StandardCharsets.UTF_8);
      strtab.write(bs, 0, bs.length);
      strtab.write(0);
    }
    int symtabOff = align(pos, 8);
    int strtabOff = symtabOff;
    if (sections && !symtab.isEmpty()) {
      strtabOff = symtabOff + (symtab.size() + 1) * syment;
      pos = strtabOff + strtab.size();
    }
    String names = "\0.interp\0.dynstr\0.dynamic\0.note.gnu.build-id\0.shstrtab\0";
    int dynsymName = names.length();
    names += ".dynsym\0";
    int symtabName = names.length();
    names += ".symtab\0";
    int strtabName = names.length();
    names += ".strtab\0";
    byte[] shstr = names.getBytes(StandardCharsets.US_ASCII);
    int shstrOff = pos;
    pos += sections ? shstr.length : 0;
    pos = align(pos, 8);
    int shoff = sections ? pos : 0;
    int shnum = sections ? 6 + (dynsym.isEmpty() ? 0 : 1) + (symtab.isEmpty() ? 0 : 2) : 0;
    pos += shnum * shent;
    int size = pos;
    dyn.get(strtabIndex)[1] = loadVaddr + dynstrOff;

    ByteBuffer b = ByteBuffer.allocate(size).order(order);
    b.put(new byte[] {0x7F, 'E', 'L', 'F', (byte) (is64 ? 2 : 1),
        (byte) (order == ByteOrder.LITTLE_ENDIAN ? 1 : 2), 1, (byte) osAbi});
    b.position(16);
    b.putShort((short) type).putShort((short) machine).putInt(1);
    if (is64) {
      b.putLong(entry).putLong(ehsize).putLong(shoff);
    } else {
      b.putInt((int) entry).putInt(ehsize).putInt(shoff);
    }
    b.putInt(0).putShort((short) ehsize).putShort((short) phent).putShort((short) phnum);
    b.putShort((short) shent).putShort((short) shnum).putShort((short) (sections ? 5 : 0));

    b.position(ehsize);
    phdr(b, is64, ProgramHeader.PT_LOAD, 5, 0, loadVaddr, size, 0x1000);
    if (interp != null) {
      phdr(b, is64, ProgramHeader.PT_INTERP, 4, interpOff, loadVaddr + interpOff,
          interpBytes.length, 1);
    }
    phdr(b, is64, ProgramHeader.PT_DYNAMIC, 6, dynOff, loadVaddr + dynOff,
        (long) dyn.size() * dynent, 8);
    if (note != null) {
      phdr(b, is64, ProgramHeader.PT_NOTE, 4, noteOff, loadVaddr + noteOff, note.length, 4);
    }
    phdr(b, is64, ProgramHeader.PT_GNU_STACK, 6, 0, 0, 0, 16);

    if (interpBytes != null) {
      b.put(interpOff, interpBytes);
    }
    b.put(dynstrOff, dynstr.toByteArray());
    b.position(dynOff);
    for (long[] d : dyn) {
      if (is64) {
        b.putLong(d[0]).putLong(d[1]);
      } else {
        b.putInt((int) d[0]).putInt((int) d[1]);
      }
    }
    if (note != null) {
      b.put(noteOff, note);
    }
    if (sections) {
      b.put(shstrOff, shstr);
      b.position(shoff);
      shdr(b, is64, 0, 0, 0, 0, 0, 0, 0);
      shdr(b, is64, 1, 1, interpOff, interpBytes == null ? 0 : interpBytes.length, 0, 1, 0);
      shdr(b, is64, 9, 3, dynstrOff, dynstr.size(), 0, 1, 0);
      shdr(b, is64, 17, 6, dynOff, (long) dyn.size() * dynent, 2, 8, dynent);
      shdr(b, is64, 26, 7, noteOff, note == null ? 0 : note.length, 0, 4, 0);
      shdr(b, is64, 45, 3, shstrOff, shstr.length, 0, 1, 0);
      if (!dynsym.isEmpty()) {
        shdr(b, is64, dynsymName, 11, dynsymOff, (long) (dynsym.size() + 1) * syment, 2, 8, syment,
            1);
      }
      if (!symtab.isEmpty()) {
        int strIndex = 6 + (dynsym.isEmpty() ? 0 : 1) + 1;
        shdr(b, is64, symtabName, 2, symtabOff, (long) (symtab.size() + 1) * syment, strIndex, 8,
            syment, 1);
        shdr(b, is64, strtabName, 3, strtabOff, strtab.size(), 0, 1, 0);
      }
      for (int i = 0; i < dynsym.size(); i++) {
        sym(b, is64, dynsymOff + (i + 1) * syment, strOff.get(dynsym.get(i)), 0x1000 + 16 * i);
      }
      for (int i = 0; i < symtab.size(); i++) {
        sym(b, is64, symtabOff + (i + 1) * syment, symtabNames.get(i), 0x2000 + 16 * i);
      }
      b.put(strtabOff, strtab.toByteArray(), 0, symtab.isEmpty() ? 0 : strtab.size());
    }
    return b.array();
  }

  private static int align(int v, int a) {
    return (v + a - 1) & -a;
  }

  private static void phdr(ByteBuffer b, boolean is64, int type, int flags, long off, long vaddr,
      long filesz, long align) {
    if (is64) {
      b.putInt(type).putInt(flags).putLong(off).putLong(vaddr).putLong(vaddr).putLong(filesz)
          .putLong(filesz).putLong(align);
    } else {
      b.putInt(type).putInt((int) off).putInt((int) vaddr).putInt((int) vaddr).putInt((int) filesz)
          .putInt((int) filesz).putInt(flags).putInt((int) align);
    }
  }

  private static void shdr(ByteBuffer b, boolean is64, int name, int type, long off, long size,
      int link, long align, long entsize) {
    shdr(b, is64, name, type, off, size, link, align, entsize, 0);
  }

  private static void shdr(ByteBuffer b, boolean is64, int name, int type, long off, long size,
      int link, long align, long entsize, int info) {
    if (is64) {
      b.putInt(name).putInt(type).putLong(0).putLong(0).putLong(off).putLong(size).putInt(link)
          .putInt(info).putLong(align).putLong(entsize);
    } else {
      b.putInt(name).putInt(type).putInt(0).putInt(0).putInt((int) off).putInt((int) size)
          .putInt(link).putInt(info).putInt((int) align).putInt((int) entsize);
    }
  }

  /** A global function symbol of size 16 in section 1. */
  private static void sym(ByteBuffer b, boolean is64, int at, int name, long value) {
    b.position(at);
    if (is64) {
      b.putInt(name).put((byte) 0x12).put((byte) 0).putShort((short) 1).putLong(value)
          .putLong(16);
    } else {
      b.putInt(name).putInt((int) value).putInt(16).put((byte) 0x12).put((byte) 0)
          .putShort((short) 1);
    }
  }
}
