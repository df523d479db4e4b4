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

  private TestPrograms() {}

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
}
