package dev.nanokit.core.disk;

import dev.nanokit.core.ImageFormatException;
import dev.nanokit.elf.Architecture;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * A UEFI loader as the firmware sees it: a PE/COFF executable whose COFF machine field says which
 * CPU runs it, and so which name the firmware looks for on the EFI System Partition
 * (docs/formats/disk-image.md, "4 EFI System Partition (optional, `-u` / `Uefi`)", "8.3 UEFI path (x86-64, arm64)"). The machine is read from the file, never guessed from its name:
 * an x86-64 loader named {@code bootaa64.efi} would be written where arm64 firmware looks and fail there.
 *
 * @param file the host file
 * @param machine the CPU it is built for
 */
public record UefiLoader(Path file, Machine machine) {
  /** The COFF machines Nanos has loaders for, with the file name removable-media firmware boots. */
  public enum Machine {
    X86_64(0x8664, "BOOTX64.EFI", Architecture.X86_64),
    AARCH64(0xAA64, "BOOTAA64.EFI", Architecture.AARCH64);

    private final int coffMachine;
    private final String espName;
    private final Architecture architecture;

    Machine(int coffMachine, String espName, Architecture architecture) {
      this.coffMachine = coffMachine;
      this.espName = espName;
      this.architecture = architecture;
    }

    /** {@code BOOTX64.EFI} or {@code BOOTAA64.EFI}, the name under {@code \EFI\BOOT}. */
    public String espName() {
      return espName;
    }

    /** The ELF architecture of a kernel this loader can start. */
    public Architecture architecture() {
      return architecture;
    }

    @Override
    public String toString() {
      return this == X86_64 ? "x86-64" : "arm64";
    }
  }

  /** Offset of the 4-byte offset of the PE header in the MS-DOS stub. */
  private static final int E_LFANEW = 0x3C;

  /** Reads the loader's MS-DOS and PE signatures and its COFF machine; anything else is refused in one line. */
  public static UefiLoader read(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      ByteBuffer dos = read(ch, 0, 64);
      if (dos.remaining() < 64 || dos.get(0) != 'M' || dos.get(1) != 'Z') {
        throw new ImageFormatException(file + ": not a UEFI loader: no MZ signature at byte offset 0 (a UEFI loader is "
            + "a PE/COFF executable)");
      }
      long pe = Integer.toUnsignedLong(dos.getInt(E_LFANEW));
      if (pe > size - 6) {
        throw new ImageFormatException(file + ": not a UEFI loader: its PE header offset " + pe + " (byte offset "
            + E_LFANEW + ") is past the end of the " + size + "-byte file");
      }
      ByteBuffer header = read(ch, pe, 6);
      if (header.getInt(0) != 0x00004550) { // "PE\0\0"
        throw new ImageFormatException(file + ": not a UEFI loader: no PE signature at byte offset " + pe);
      }
      int machine = Short.toUnsignedInt(header.getShort(4));
      for (Machine m : Machine.values()) {
        if (m.coffMachine == machine) {
          return new UefiLoader(file, m);
        }
      }
      throw new ImageFormatException(file + ": PE machine 0x" + Integer.toHexString(machine).toUpperCase(Locale.ROOT)
          + " at byte offset " + (pe + 4) + " is neither x86-64 (0x8664) nor arm64 (0xAA64): no Nanos UEFI loader");
    }
  }

  private static ByteBuffer read(FileChannel ch, long at, int length) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    while (b.hasRemaining()) {
      int n = ch.read(b, at + b.position());
      if (n < 0) {
        break;
      }
    }
    return b.flip();
  }
}
