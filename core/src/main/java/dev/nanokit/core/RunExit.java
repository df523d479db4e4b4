package dev.nanokit.core;

/**
 * How a run of an image ended, from QEMU's exit status.
 *
 * <p>On x86-64 Nanos reports the program's exit status through QEMU's {@code isa-debug-exit} device:
 * it writes the status byte to port 0x501 and QEMU exits with {@code (status << 1) | 1}. The shell keeps
 * 8 bits of that, so statuses 0–127 arrive intact and 128–255 arrive as status − 128. On arm64 Nanos
 * uses semihosting's exit call and QEMU exits with the status itself. Either way a program killed by
 * signal N reports N, and the kernel reports its own end with 0x7e (a fault) or 0x7f (a halt, a kernel
 * panic). Without {@code debug_exit} in the root tuple Nanos powers off through ACPI or PSCI instead and
 * QEMU exits 0 whatever the program did.
 *
 * @param kind what ended the run
 * @param qemuStatus QEMU's own exit status
 * @param status the status to report: the program's, or 0 when powered off, or QEMU's own on failure
 *
 * <p>Immutable.
 */
public record RunExit(Kind kind, int qemuStatus, int status) {
  /** What ended a run. */
  public enum Kind {
    /** The program exited (or was killed by a signal) and Nanos reported its status. */
    PROGRAM_EXITED,
    /** The kernel stopped on a fault it could not handle (status 0x7e). */
    KERNEL_FAULT,
    /** The kernel halted (status 0x7f), e.g. a panic. */
    KERNEL_HALTED,
    /** The VM powered off without reporting a status (the image has no {@code debug_exit}). */
    POWERED_OFF,
    /** QEMU itself failed: it printed an error and exited without running the image to its end. */
    QEMU_FAILED,
    /** The VM was stopped from the host ({@link NanosVm#stop()}). */
    STOPPED
  }

  /** Kernel status of an unhandled fault. */
  public static final int FAULT_STATUS = 0x7e;
  /** Kernel status of a halt. */
  public static final int HALT_STATUS = 0x7f;
}
