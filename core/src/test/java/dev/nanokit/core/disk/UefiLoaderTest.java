package dev.nanokit.core.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanokit.core.ImageFormatException;
import dev.nanokit.elf.Architecture;
import dev.nanokit.testing.manifest.TestPrograms;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UefiLoaderTest {
  @TempDir Path tmp;

  private Path write(String name, byte[] bytes) throws Exception {
    return Files.write(tmp.resolve(name), bytes);
  }

  @Test
  void theMachineComesFromThePeHeaderWhateverTheName() throws Exception {
    UefiLoader x64 = UefiLoader.read(write("loader.efi", TestPrograms.peFile(TestPrograms.PE_X86_64, 4096)));
    assertThat(x64.machine()).isEqualTo(UefiLoader.Machine.X86_64);
    assertThat(x64.machine().espName()).isEqualTo("BOOTX64.EFI");
    assertThat(x64.machine().architecture()).isEqualTo(Architecture.X86_64);
    UefiLoader arm = UefiLoader.read(write("bootx64.efi", TestPrograms.peFile(TestPrograms.PE_AARCH64, 70)));
    assertThat(arm.machine()).isEqualTo(UefiLoader.Machine.AARCH64);
    assertThat(arm.machine().espName()).isEqualTo("BOOTAA64.EFI");
    assertThat(arm.machine().architecture()).isEqualTo(Architecture.AARCH64);
    assertThat(arm.file()).isEqualTo(tmp.resolve("bootx64.efi"));
  }

  @Test
  void anythingElseIsOneLineWithTheOffset() throws Exception {
    Path empty = write("empty.efi", new byte[0]);
    assertThatThrownBy(() -> UefiLoader.read(empty)).isInstanceOf(ImageFormatException.class)
        .hasMessage(empty + ": not a UEFI loader: no MZ signature at byte offset 0 (a UEFI loader is a PE/COFF executable)");
    Path elf = write("kernel.efi", TestPrograms.staticElf(TestPrograms.X86_64));
    assertThatThrownBy(() -> UefiLoader.read(elf)).hasMessageStartingWith(elf + ": not a UEFI loader: no MZ signature");

    byte[] far = TestPrograms.peFile(TestPrograms.PE_X86_64, 100);
    ByteBuffer.wrap(far).order(ByteOrder.LITTLE_ENDIAN).putInt(0x3C, 0xFFFFFFF0);
    Path farFile = write("far.efi", far);
    assertThatThrownBy(() -> UefiLoader.read(farFile)).hasMessage(farFile
        + ": not a UEFI loader: its PE header offset 4294967280 (byte offset 60) is past the end of the 100-byte file");
    ByteBuffer.wrap(far).order(ByteOrder.LITTLE_ENDIAN).putInt(0x3C, 95);
    Files.write(farFile, far);
    assertThatThrownBy(() -> UefiLoader.read(farFile)).hasMessageContaining("PE header offset 95 (byte offset 60)");

    byte[] noPe = TestPrograms.peFile(TestPrograms.PE_X86_64, 100);
    noPe[0x41] = 'X';
    Path noPeFile = write("nope.efi", noPe);
    assertThatThrownBy(() -> UefiLoader.read(noPeFile))
        .hasMessage(noPeFile + ": not a UEFI loader: no PE signature at byte offset 64");

    Path i386 = write("bootia32.efi", TestPrograms.peFile(0x14C, 100));
    assertThatThrownBy(() -> UefiLoader.read(i386)).isInstanceOf(ImageFormatException.class).hasMessage(i386
        + ": PE machine 0x14C at byte offset 68 is neither x86-64 (0x8664) nor arm64 (0xAA64): no Nanos UEFI loader");
  }
}
