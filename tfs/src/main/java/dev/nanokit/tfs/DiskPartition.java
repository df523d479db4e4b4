package dev.nanokit.tfs;

/**
 * One MBR partition entry of a Nanos disk image (docs/formats/disk-image.md, "6 MBR partition entries"), with the role the boot loaders
 * and the kernel give it by index ("8.1 Partition selection rule (used by stage2, the UEFI loader and the kernel)").
 *
 * @param index entry number 0–3
 * @param role what Nanos uses the entry for
 * @param type MBR partition type byte ({@code 0xEF} ESP, {@code 0x83} TFS)
 * @param offset byte offset of the first sector
 * @param length length in bytes as the entry records it
 *
 * <p>Immutable and safe for use by any number of threads.
 */
public record DiskPartition(int index, Role role, int type, long offset, long length) {
  /** What Nanos finds in a partition, decided by index and the ESP type test only. */
  public enum Role {
    EFI_SYSTEM,
    BOOT_FILESYSTEM,
    ROOT_FILESYSTEM
  }
}
