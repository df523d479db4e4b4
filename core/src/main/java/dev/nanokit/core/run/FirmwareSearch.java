package dev.nanokit.core.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where distributions install UEFI firmware for QEMU: Debian and Ubuntu ({@code ovmf},
 * {@code qemu-efi-aarch64}), Fedora ({@code edk2-ovmf}, {@code edk2-aarch64}, and the copies QEMU's own
 * package ships), Arch, and Homebrew on Apple silicon and Intel. The first readable file wins, in the
 * order listed.
 *
 * <p>Immutable and safe for use by any number of threads.
 */
public final class FirmwareSearch {
  private static final List<String> AMD64 = List.of(
      "/usr/share/OVMF/OVMF_CODE_4M.fd",
      "/usr/share/OVMF/OVMF_CODE.fd",
      "/usr/share/ovmf/OVMF.fd",
      "/usr/share/edk2/ovmf/OVMF_CODE.fd",
      "/usr/share/edk2/x64/OVMF_CODE.4m.fd",
      "/usr/share/edk2/x64/OVMF_CODE.fd",
      "/usr/share/qemu/edk2-x86_64-code.fd",
      "/opt/homebrew/share/qemu/edk2-x86_64-code.fd",
      "/usr/local/share/qemu/edk2-x86_64-code.fd");
  private static final List<String> ARM64 = List.of(
      "/usr/share/qemu-efi-aarch64/QEMU_EFI.fd",
      "/usr/share/AAVMF/AAVMF_CODE.fd",
      "/usr/share/edk2/aarch64/QEMU_EFI.fd",
      "/usr/share/edk2/aarch64/QEMU_EFI-pflash.raw",
      "/usr/share/qemu/edk2-aarch64-code.fd",
      "/opt/homebrew/share/qemu/edk2-aarch64-code.fd",
      "/usr/local/share/qemu/edk2-aarch64-code.fd");

  private final Path root;

  /** Searches below {@code root}: {@code /} on a real host, a directory in tests. */
  public FirmwareSearch(Path root) {
    this.root = root;
  }

  /** The places searched for an architecture, in order. */
  public static List<String> candidates(String architecture) {
    return ImageFacts.ARM64.equals(architecture) ? ARM64 : AMD64;
  }

  /** The Debian package that installs firmware for an architecture. */
  public static String debianPackage(String architecture) {
    return ImageFacts.ARM64.equals(architecture) ? "qemu-efi-aarch64" : "ovmf";
  }

  /** The first firmware file present, as a host path (under the root). */
  public Optional<Path> find(String architecture) {
    for (String c : candidates(architecture)) {
      Path p = root.resolve(c.substring(1));
      if (Files.isRegularFile(p) && Files.isReadable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
