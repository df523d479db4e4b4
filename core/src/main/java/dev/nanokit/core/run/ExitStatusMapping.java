package dev.nanokit.core.run;

import dev.nanokit.core.RunExit;

/**
 * QEMU's exit status to a {@link RunExit} (the rules are on {@link RunExit}). QEMU exits 1 on its own
 * errors too, which on x86-64 is also what a program's status 0 becomes; {@code qemuPrintedError}
 * (QEMU wrote a line of its own that is not a warning) tells them apart.
 *
 * <p>Stateless.
 */
public final class ExitStatusMapping {
  private ExitStatusMapping() {}

  public static RunExit map(String architecture, int qemuStatus, boolean qemuPrintedError) {
    if (qemuPrintedError && qemuStatus == 1) {
      return new RunExit(RunExit.Kind.QEMU_FAILED, qemuStatus, qemuStatus);
    }
    if (ImageFacts.ARM64.equals(architecture)) {
      return program(qemuStatus, qemuStatus);
    }
    if (qemuStatus == 0) {
      return new RunExit(RunExit.Kind.POWERED_OFF, 0, 0);
    }
    if ((qemuStatus & 1) == 1) {
      return program(qemuStatus, qemuStatus >>> 1);
    }
    // An even status other than 0 is not something isa-debug-exit produces.
    return new RunExit(RunExit.Kind.QEMU_FAILED, qemuStatus, qemuStatus);
  }

  private static RunExit program(int qemuStatus, int status) {
    RunExit.Kind kind = switch (status) {
      case RunExit.FAULT_STATUS -> RunExit.Kind.KERNEL_FAULT;
      case RunExit.HALT_STATUS -> RunExit.Kind.KERNEL_HALTED;
      default -> RunExit.Kind.PROGRAM_EXITED;
    };
    return new RunExit(kind, qemuStatus, status);
  }

  /**
   * Whether QEMU says it ended on a signal ({@code qemu-system-x86_64: terminating on signal 2 from pid
   * 1234}): a Ctrl-C at the terminal reaches QEMU too, and the run was stopped, not ended by the program.
   */
  public static boolean isTermination(String line) {
    return line.startsWith("qemu-system-") && line.contains(": terminating on signal ");
  }

  /**
   * Whether a line QEMU wrote to its error output is an error of its own ({@code qemu-system-x86_64:
   * could not open disk image ...}) rather than a warning.
   */
  public static boolean isQemuError(String line) {
    if (!line.startsWith("qemu-system-") && !line.startsWith("qemu: ")) {
      return false;
    }
    int colon = line.indexOf(": ");
    String rest = colon < 0 ? "" : line.substring(colon + 2);
    return !rest.startsWith("warning:") && !rest.startsWith("terminating on signal");
  }
}
