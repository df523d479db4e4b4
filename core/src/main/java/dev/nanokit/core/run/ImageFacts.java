package dev.nanokit.core.run;

import dev.nanokit.elf.Architecture;
import dev.nanokit.elf.ElfFile;
import dev.nanokit.manifest.StringValue;
import dev.nanokit.manifest.Tuple;
import dev.nanokit.manifest.Value;
import dev.nanokit.core.RunSetupException;
import dev.nanokit.tfs.DiskPartition;
import dev.nanokit.tfs.ImagePath;
import dev.nanokit.tfs.TfsNode;
import dev.nanokit.tfs.TfsReadOptions;
import dev.nanokit.tfs.TfsVolume;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * What running an image needs to know from the image itself, read without booting it: is it a
 * partitioned disk, does it carry an EFI system partition and a kernel in its boot filesystem, which
 * architecture it is for, and does its root tuple ask for {@code debug_exit} (without it Nanos powers a
 * PC off through ACPI and the program's exit status never reaches QEMU).
 *
 * <p>The architecture is the kernel's ELF machine when the boot filesystem has a kernel (what the
 * hypervisor has to run), else the root tuple's {@code environment/NANOS_ARCH}, else amd64.
 *
 * @param partitioned the image has an MBR partition table (a bootable disk, not a bare volume)
 * @param efiSystemPartition it has an ESP (bootable by UEFI firmware)
 * @param kernelInBootFilesystem its boot filesystem holds {@code /kernel}
 * @param architecture {@code amd64} or {@code arm64}
 * @param debugExit the root tuple has {@code debug_exit}
 * @param biosBootCode the first sector holds code before its partition entries (a boot.img's stage1;
 *     ops and nanokit write zeros there without one)
 *
 * <p>Immutable.
 */
public record ImageFacts(boolean partitioned, boolean efiSystemPartition, boolean kernelInBootFilesystem,
    String architecture, boolean debugExit, boolean biosBootCode) {
  public static final String AMD64 = "amd64";
  public static final String ARM64 = "arm64";

  /** Reads the facts of {@code image}. */
  public static ImageFacts read(Path image) throws IOException {
    boolean debugExit;
    String tupleArch;
    boolean partitioned;
    boolean esp;
    try (TfsVolume root = TfsVolume.open(image)) {
      Tuple t = root.rootTuple();
      debugExit = t.contains("debug_exit");
      tupleArch = environmentArch(t);
      partitioned = !root.partitions().isEmpty();
      esp = root.partitions().stream().anyMatch(p -> p.role() == DiskPartition.Role.EFI_SYSTEM);
    }
    Optional<String> kernelArch = Optional.empty();
    boolean kernel = false;
    if (partitioned) {
      try (TfsVolume boot = TfsVolume.open(image, TfsReadOptions.builder().setFilesystem(TfsReadOptions.Filesystem.BOOT).build())) {
        Optional<TfsNode> k = boot.lookup(ImagePath.of("/kernel"));
        if (k.isPresent() && !k.get().isDirectory()) {
          kernel = true;
          try (SeekableByteChannel ch = k.get().openChannel()) {
            Architecture a = ElfFile.read(ch, image + ": /kernel").architecture();
            kernelArch = a == Architecture.AARCH64 ? Optional.of(ARM64) : a == Architecture.X86_64 ? Optional.of(AMD64) : Optional.empty();
          } catch (IOException e) {
            // Not an ELF kernel: the root tuple decides.
          }
        }
      } catch (IOException e) {
        // No readable boot filesystem: a UEFI-only or hand-made disk; the root tuple decides.
      }
    }
    String arch = kernelArch.orElse(tupleArch != null ? tupleArch : AMD64);
    return new ImageFacts(partitioned, esp, kernel, arch, debugExit, partitioned && hasBootCode(image));
  }

  private static boolean hasBootCode(Path image) throws IOException {
    try (SeekableByteChannel ch = Files.newByteChannel(image)) {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(0x1BE);
      while (b.hasRemaining() && ch.read(b) >= 0) {
        // read the code area fully
      }
      for (int i = 0; i < b.position(); i++) {
        if (b.get(i) != 0) {
          return true;
        }
      }
      return false;
    }
  }

  private static String environmentArch(Tuple root) {
    Value env = root.get("environment");
    if (env instanceof Tuple e && e.get("NANOS_ARCH") instanceof StringValue s) {
      String v = s.text();
      return v.equals(ARM64) || v.equals(AMD64) ? v : null;
    }
    return null;
  }

  /**
   * Copies the boot filesystem's {@code /kernel} of {@code image} to {@code out} through a temporary
   * file beside it, renamed over it, so a reader never sees half a kernel.
   */
  public static void extractKernel(Path image, Path out) throws IOException {
    try (TfsVolume boot = TfsVolume.open(image, TfsReadOptions.builder().setFilesystem(TfsReadOptions.Filesystem.BOOT).build())) {
      TfsNode k = boot.lookup(ImagePath.of("/kernel")).orElseThrow(
          () -> new RunSetupException(RunSetupException.Condition.NOT_BOOTABLE, image + ": no /kernel in the boot filesystem"));
      Path dir = out.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, "." + out.getFileName(), ".tmp");
      try {
        try (InputStream in = k.newInputStream();
            FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
          in.transferTo(java.nio.channels.Channels.newOutputStream(ch));
          ch.force(true);
        }
        if (tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
          // A hypervisor running as another user reads it, as it reads the image.
          Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
  }
}
