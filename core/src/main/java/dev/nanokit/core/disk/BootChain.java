package dev.nanokit.core.disk;

import dev.nanokit.core.ArchitectureMismatchException;
import dev.nanokit.elf.Architecture;
import dev.nanokit.elf.ElfFile;
import java.io.IOException;
import java.nio.file.Path;

/**
 * What starts the kernel must run on the kernel's machine (docs/formats/disk-image.md, "2.4 arm64 / riscv64 stub", "8 How the pieces are found at boot"): a BIOS
 * stage2 only starts an x86-64 kernel, a UEFI loader only a kernel of its PE machine. Either mistake
 * builds an image the firmware cannot boot, so it is refused before anything is written.
 * Stateless; safe for concurrent use.
 */
public final class BootChain {
  private BootChain() {}

  /**
   * Checks {@code boot} (read from {@code bootPath}, null for none) and {@code uefi} (null for none)
   * against the kernel's ELF machine. A kernel that is not an ELF file is left for the boot to judge.
   */
  public static void check(Path kernel, Path bootPath, BootImage boot, UefiLoader uefi) throws IOException {
    if (!ElfFile.hasElfMagic(kernel)) {
      return;
    }
    Architecture machine = ElfFile.read(kernel).architecture();
    if (boot.stage2Length() > 0 && machine != Architecture.X86_64) {
      throw new ArchitectureMismatchException(bootPath + " is an x86 BIOS boot loader (" + boot.stage2Length()
          + "-byte stage2) but the kernel " + kernel + " is built for " + machine
          + ": such a kernel boots through a UEFI loader or directly, with the 512-byte stub or no boot image");
    }
    if (uefi != null && uefi.machine().architecture() != machine) {
      throw new ArchitectureMismatchException(uefi.file() + " is an " + uefi.machine() + " UEFI loader (its PE machine)"
          + " but the kernel " + kernel + " is built for " + machine);
    }
  }
}
