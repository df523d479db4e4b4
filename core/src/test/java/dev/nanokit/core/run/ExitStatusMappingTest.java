package dev.nanokit.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanokit.core.RunExit;
import dev.nanokit.core.RunExit.Kind;
import org.junit.jupiter.api.Test;

class ExitStatusMappingTest {
  @Test
  void x86DebugExitStatusIsShiftedAndOdd() {
    assertThat(ExitStatusMapping.map("amd64", 1, false)).isEqualTo(new RunExit(Kind.PROGRAM_EXITED, 1, 0));
    assertThat(ExitStatusMapping.map("amd64", 7, false)).isEqualTo(new RunExit(Kind.PROGRAM_EXITED, 7, 3));
    assertThat(ExitStatusMapping.map("amd64", 23, false)).isEqualTo(new RunExit(Kind.PROGRAM_EXITED, 23, 11));
    assertThat(ExitStatusMapping.map("amd64", (0x7e << 1) | 1, false)).isEqualTo(new RunExit(Kind.KERNEL_FAULT, 253, 126));
    assertThat(ExitStatusMapping.map("amd64", 255, false)).isEqualTo(new RunExit(Kind.KERNEL_HALTED, 255, 127));
  }

  @Test
  void x86ZeroIsAPowerOffAndEvenStatusesAreQemus() {
    assertThat(ExitStatusMapping.map("amd64", 0, false)).isEqualTo(new RunExit(Kind.POWERED_OFF, 0, 0));
    assertThat(ExitStatusMapping.map("amd64", 2, false)).isEqualTo(new RunExit(Kind.QEMU_FAILED, 2, 2));
  }

  @Test
  void statusOneWithAnErrorLineIsQemuFailing() {
    assertThat(ExitStatusMapping.map("amd64", 1, true)).isEqualTo(new RunExit(Kind.QEMU_FAILED, 1, 1));
    assertThat(ExitStatusMapping.map("arm64", 1, true)).isEqualTo(new RunExit(Kind.QEMU_FAILED, 1, 1));
    // Any other status is the program's even if QEMU complained on the way.
    assertThat(ExitStatusMapping.map("amd64", 7, true)).isEqualTo(new RunExit(Kind.PROGRAM_EXITED, 7, 3));
  }

  @Test
  void arm64SemihostingStatusIsTheProgramsAsIs() {
    assertThat(ExitStatusMapping.map("arm64", 0, false)).isEqualTo(new RunExit(Kind.PROGRAM_EXITED, 0, 0));
    assertThat(ExitStatusMapping.map("arm64", 3, false)).isEqualTo(new RunExit(Kind.PROGRAM_EXITED, 3, 3));
    assertThat(ExitStatusMapping.map("arm64", 126, false).kind()).isEqualTo(Kind.KERNEL_FAULT);
  }

  @Test
  void qemuLinesAreErrorsWarningsOrTermination() {
    assertThat(ExitStatusMapping.isQemuError("qemu-system-x86_64: -drive file=x: Could not open 'x'")).isTrue();
    assertThat(ExitStatusMapping.isQemuError("qemu-system-x86_64: warning: host doesn't support requested feature")).isFalse();
    assertThat(ExitStatusMapping.isQemuError("hello from the program")).isFalse();
    assertThat(ExitStatusMapping.isTermination("qemu-system-x86_64: terminating on signal 2 from pid 77 (java)")).isTrue();
    assertThat(ExitStatusMapping.isQemuError("qemu-system-x86_64: terminating on signal 15")).isFalse();
  }
}
