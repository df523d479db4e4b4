package dev.nanokit.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanokit.core.PortForward;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QemuCommandLineTest {
  private static final List<String> PC = List.of("-machine", "q35",
      "-device", "pcie-root-port,port=0x10,chassis=1,id=pci.1,bus=pcie.0,multifunction=on,addr=0x3",
      "-device", "pcie-root-port,port=0x11,chassis=2,id=pci.2,bus=pcie.0,addr=0x3.0x6",
      "-device", "pcie-root-port,port=0x12,chassis=3,id=pci.4,bus=pcie.0,addr=0x3.0x4",
      "-device", "virtio-scsi-pci,bus=pci.2,addr=0x0,id=scsi0",
      "-device", "scsi-hd,bus=scsi0.0,drive=hd0",
      "-vga", "none", "-device", "isa-debug-exit", "-no-reboot");

  @Test
  void x86WithKvmPortsFirmwareAndSnapshot() {
    List<String> w = new QemuCommandLine("amd64", "kvm", Path.of("/imgs/a,b.img"), true, "512M", 4,
        List.of(new PortForward(PortForward.Protocol.TCP, 8080, 80), new PortForward(PortForward.Protocol.UDP, 5309, 5309)),
        Optional.of(Path.of("/fw/OVMF,CODE.fd")), Optional.empty(), List.of("-d", "int")).words();
    assertThat(w.subList(0, 1 + PC.size())).containsExactlyElementsOf(concat(List.of("qemu-system-x86_64"), PC));
    assertThat(w.subList(1 + PC.size(), w.size())).containsExactly(
        "-accel", "kvm", "-cpu", "host", "-m", "512M", "-smp", "4",
        "-drive", "if=pflash,format=raw,unit=0,readonly=on,file=/fw/OVMF,,CODE.fd",
        "-drive", "file=/imgs/a,,b.img,format=raw,if=none,id=hd0,snapshot=on",
        "-device", "virtio-rng-pci", "-device", "virtio-balloon",
        "-device", "virtio-net,bus=pci.4,addr=0x0,netdev=n0",
        "-netdev", "user,id=n0,hostfwd=tcp::8080-:80,hostfwd=udp::5309-:5309",
        "-display", "none", "-serial", "stdio", "-d", "int");
  }

  @Test
  void arm64BootsTheKernelOnTheVirtMachine() {
    List<String> w = new QemuCommandLine("arm64", "tcg", Path.of("a.img"), false, "2G", 0, List.of(),
        Optional.empty(), Optional.of(Path.of("/tmp/k")), List.of()).words();
    assertThat(w).containsExactly("qemu-system-aarch64", "-machine", "virt,gic-version=2,highmem=off",
        "-accel", "tcg", "-cpu", "max", "-m", "2G", "-kernel", "/tmp/k",
        "-drive", "file=a.img,format=raw,if=none,id=hd0", "-device", "virtio-blk-pci,drive=hd0",
        "-device", "virtio-rng-pci", "-device", "virtio-balloon", "-semihosting", "-no-reboot",
        "-device", "virtio-net-pci,netdev=n0", "-netdev", "user,id=n0", "-display", "none", "-serial", "stdio");
  }

  @Test
  void arm64UefiTakesTheFirmwareAsBios() {
    List<String> w = new QemuCommandLine("arm64", "tcg", Path.of("a.img"), false, "1G", 2, List.of(),
        Optional.of(Path.of("/fw/QEMU_EFI.fd")), Optional.empty(), List.of()).words();
    assertThat(String.join(" ", w)).contains("-m 1G -smp 2 -bios /fw/QEMU_EFI.fd -drive file=a.img,")
        .doesNotContain("-kernel");
  }

  @Test
  void binaryAndPackageFollowTheArchitecture() {
    assertThat(QemuCommandLine.binary("amd64")).isEqualTo("qemu-system-x86_64");
    assertThat(QemuCommandLine.binary("arm64")).isEqualTo("qemu-system-aarch64");
    assertThat(QemuCommandLine.debianPackage("amd64")).isEqualTo("qemu-system-x86");
    assertThat(QemuCommandLine.debianPackage("arm64")).isEqualTo("qemu-system-arm");
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> r = new java.util.ArrayList<>(a);
    r.addAll(b);
    return r;
  }
}
