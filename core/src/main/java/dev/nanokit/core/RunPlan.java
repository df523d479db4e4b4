package dev.nanokit.core;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The run {@link NanosRun#plan()} settled on: the exact QEMU command line and what it was derived
 * from.
 *
 * @param command the command line; the first word is the QEMU binary's name ({@code qemu-system-x86_64}),
 *     as a user would type it
 * @param architecture the image's architecture, {@code amd64} or {@code arm64}
 * @param accelerator {@code kvm} or {@code tcg}
 * @param firmware the UEFI firmware the VM starts, if it boots by UEFI
 * @param kernelFromImage where the kernel taken from the image's boot filesystem is written for the
 *     run (arm64 without UEFI boots the kernel directly); removed when the VM ends
 * @param reportsExitStatus the image's root tuple has {@code debug_exit}, so the program's exit status
 *     reaches QEMU (see {@link RunExit})
 * @param biosBootable the disk's first sector holds boot code (a boot.img); without it, and without UEFI,
 *     an x86-64 firmware finds nothing to boot
 *
 * <p>Immutable.
 */
public record RunPlan(List<String> command, String architecture, String accelerator, Optional<Path> firmware,
    Optional<Path> kernelFromImage, boolean reportsExitStatus, boolean biosBootable) {
  public RunPlan {
    command = List.copyOf(command);
  }
}
