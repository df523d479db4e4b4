package dev.nanokit.testing.manifest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** The smallest executables the tests need, written byte by byte (no compiler, no host binary). */
public final class TestPrograms {
  /** ELF {@code e_machine} of x86-64. */
  public static final int X86_64 = 62;
  /** ELF {@code e_machine} of aarch64. */
  public static final int AARCH64 = 183;

  /** COFF machine of an x86-64 PE file. */
  public static final int PE_X86_64 = 0x8664;
  /** COFF machine of an arm64 PE file. */
  public static final int PE_AARCH64 = 0xAA64;

  private TestPrograms() {}

  /**
   * The head of a PE/COFF executable such as a UEFI loader, {@code size} (at least 70) bytes: the
   * MS-DOS signature, the PE header at 0x40 with the COFF {@code machine}, then filler bytes
   * {@code (i * 7 + 1)} for the byte at {@code i}.
   */
  public static byte[] peFile(int machine, int size) {
    ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < size; i++) {
      b.put(i, (byte) (i * 7 + 1));
    }
    b.put(0, (byte) 'M').put(1, (byte) 'Z').putInt(0x3C, 0x40).putInt(0x40, 0x00004550).putShort(0x44, (short) machine);
    return b.array();
  }

  /**
   * A static 64-bit little-endian executable for {@code machine}: the ELF header and one PT_LOAD
   * (r-x) mapping the whole 120-byte file — without a loadable segment execve fails with ENOEXEC. No
   * interpreter, no dynamic section; every byte is below 0x80, so it survives as an ISO-8859-1 string.
   */
  public static byte[] staticElf(int machine) {
    ByteBuffer b = ByteBuffer.allocate(120).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0}).put(new byte[8]);
    b.putShort((short) 2).putShort((short) machine).putInt(1).putLong(0x401000).putLong(64).putLong(0);
    b.putInt(0).putShort((short) 64).putShort((short) 56).putShort((short) 1).putShort((short) 64)
        .putShort((short) 0).putShort((short) 0);
    b.putInt(1).putInt(5).putLong(0).putLong(0x400000).putLong(0x400000).putLong(120).putLong(120).putLong(0x1000);
    return b.array();
  }

  /** {@link #staticElf} for x86-64 written to {@code at} (parent directories created). */
  public static Path staticElf(Path at) throws IOException {
    return staticElf(at, X86_64);
  }

  /** {@link #staticElf(int)} written to {@code at} (parent directories created). */
  public static Path staticElf(Path at, int machine) throws IOException {
    Files.createDirectories(at.toAbsolutePath().getParent());
    return Files.write(at, staticElf(machine));
  }

  /**
   * A 64-bit little-endian dynamic ELF object for {@code machine}, without section headers: a PT_LOAD
   * mapping the file at address 0, an optional PT_INTERP ({@code interpreter}, null for none), and a
   * PT_DYNAMIC with {@code DT_NEEDED} for each of {@code needed}, {@code DT_SONAME} ({@code soname},
   * null for none) and {@code DT_RUNPATH} ({@code runpath}, null for none). ET_DYN, as shared libraries
   * and PIE programs are.
   */
  public static byte[] dynamicElf(int machine, String interpreter, String soname, String runpath, String... needed) {
    java.io.ByteArrayOutputStream strings = new java.io.ByteArrayOutputStream();
    strings.write(0);
    java.util.List<long[]> dynamic = new java.util.ArrayList<>();
    for (String n : needed) {
      dynamic.add(new long[] {1, strings.size()});
      strings.writeBytes((n + "\0").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    if (soname != null) {
      dynamic.add(new long[] {14, strings.size()});
      strings.writeBytes((soname + "\0").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    if (runpath != null) {
      dynamic.add(new long[] {29, strings.size()});
      strings.writeBytes((runpath + "\0").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    byte[] interp = interpreter == null ? new byte[0]
        : (interpreter + "\0").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    int phnum = interpreter == null ? 2 : 3;
    int interpAt = 64 + 56 * phnum;
    int strAt = interpAt + interp.length;
    int dynAt = (strAt + strings.size() + 7) / 8 * 8;
    dynamic.add(new long[] {5, strAt});
    dynamic.add(new long[] {10, strings.size()});
    dynamic.add(new long[] {0, 0});
    int size = dynAt + 16 * dynamic.size();
    ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0}).put(new byte[8]);
    b.putShort((short) 3).putShort((short) machine).putInt(1).putLong(0).putLong(64).putLong(0);
    b.putInt(0).putShort((short) 64).putShort((short) 56).putShort((short) phnum).putShort((short) 64)
        .putShort((short) 0).putShort((short) 0);
    if (interpreter != null) {
      b.putInt(3).putInt(4).putLong(interpAt).putLong(interpAt).putLong(interpAt).putLong(interp.length)
          .putLong(interp.length).putLong(1);
    }
    b.putInt(1).putInt(5).putLong(0).putLong(0).putLong(0).putLong(size).putLong(size).putLong(0x1000);
    b.putInt(2).putInt(6).putLong(dynAt).putLong(dynAt).putLong(dynAt).putLong(16L * dynamic.size())
        .putLong(16L * dynamic.size()).putLong(8);
    b.put(interpAt, interp);
    b.put(strAt, strings.toByteArray());
    for (int i = 0; i < dynamic.size(); i++) {
      b.putLong(dynAt + 16 * i, dynamic.get(i)[0]).putLong(dynAt + 16 * i + 8, dynamic.get(i)[1]);
    }
    return b.array();
  }

  /** {@link #dynamicElf} for x86-64 written to {@code at} (parent directories created). */
  public static Path dynamicElf(Path at, String interpreter, String soname, String runpath, String... needed)
      throws IOException {
    Files.createDirectories(at.toAbsolutePath().getParent());
    return Files.write(at, dynamicElf(X86_64, interpreter, soname, runpath, needed));
  }
}
