package dev.nanokit.core.disk;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanokit.core.ArchitectureMismatchException;
import dev.nanokit.testing.manifest.TestPrograms;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootChainTest {
  @TempDir Path tmp;

  /** boot.img with a {@code stage2}-byte stage2; 0 gives the 512-byte stub of arm64 (docs/formats/disk-image.md, "2.4 arm64 / riscv64 stub"). */
  private Path bootImage(String name, int stage2) throws Exception {
    byte[] b = new byte[512 + stage2];
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0x1B2, stage2).putInt(0x1BA, 12);
    b[0x1FE] = 0x55;
    b[0x1FF] = (byte) 0xAA;
    return Files.write(tmp.resolve(name), b);
  }

  private UefiLoader loader(String name, int machine) throws Exception {
    return UefiLoader.read(Files.write(tmp.resolve(name), TestPrograms.peFile(machine, 512)));
  }

  @Test
  void loadersMustRunOnTheKernelsMachine() throws Exception {
    Path arm = TestPrograms.staticElf(tmp.resolve("arm/kernel.img"), TestPrograms.AARCH64);
    Path x86 = TestPrograms.staticElf(tmp.resolve("x86/kernel.img"), TestPrograms.X86_64);
    Path bios = bootImage("boot.img", 0x8000);
    Path stub = bootImage("stub.img", 0);
    UefiLoader aa64 = loader("bootaa64.efi", TestPrograms.PE_AARCH64);
    UefiLoader x64 = loader("bootx64.efi", TestPrograms.PE_X86_64);

    assertThatCode(() -> BootChain.check(x86, bios, BootImage.read(bios), x64)).doesNotThrowAnyException();
    assertThatCode(() -> BootChain.check(arm, stub, BootImage.read(stub), aa64)).doesNotThrowAnyException();
    assertThatCode(() -> BootChain.check(arm, null, BootImage.none(), null)).doesNotThrowAnyException();

    assertThatThrownBy(() -> BootChain.check(arm, bios, BootImage.read(bios), aa64))
        .isInstanceOf(ArchitectureMismatchException.class)
        .hasMessage(bios + " is an x86 BIOS boot loader (32768-byte stage2) but the kernel " + arm + " is built for "
            + "AARCH64: such a kernel boots through a UEFI loader or directly, with the 512-byte stub or no boot image");
    assertThatThrownBy(() -> BootChain.check(arm, stub, BootImage.read(stub), x64))
        .isInstanceOf(ArchitectureMismatchException.class)
        .hasMessage(x64.file() + " is an x86-64 UEFI loader (its PE machine) but the kernel " + arm + " is built for AARCH64");
    assertThatThrownBy(() -> BootChain.check(x86, bios, BootImage.read(bios), aa64))
        .hasMessage(aa64.file() + " is an arm64 UEFI loader (its PE machine) but the kernel " + x86 + " is built for X86_64");
  }

  @Test
  void aKernelThatIsNotElfIsLeftToTheBoot() throws Exception {
    Path kernel = Files.write(tmp.resolve("kernel.img"), new byte[100]);
    Path bios = bootImage("boot.img", 0x8000);
    assertThatCode(() -> BootChain.check(kernel, bios, BootImage.read(bios), loader("a.efi", TestPrograms.PE_AARCH64)))
        .doesNotThrowAnyException();
  }
}
