package dev.nanokit.core.run;

import dev.nanokit.core.PortForward;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The QEMU command line for a Nanos image, with the devices ops gives a local run: on x86-64 a q35
 * machine with three PCIe root ports, the disk on virtio-scsi, {@code isa-debug-exit}, no VGA; on arm64
 * the {@code virt} machine (GICv2, no high memory, as Nanos' own build runs it) with the disk on
 * virtio-blk and semihosting for the exit status. Both get virtio-rng, virtio-balloon, one virtio-net
 * NIC on user-mode networking with a {@code hostfwd} per forwarded port, no display, the serial console
 * on stdio and {@code -no-reboot} (a guest reset ends the run instead of booting again).
 *
 * <p>Unlike ops no MAC address is chosen at random: QEMU's default keeps the line the same for the same
 * inputs.
 *
 * @param architecture {@code amd64} or {@code arm64}
 * @param accelerator {@code kvm} or {@code tcg}
 * @param image the disk image
 * @param snapshot writes go to a temporary overlay, the image stays untouched
 * @param memory QEMU's {@code -m} value
 * @param cpus virtual CPUs; 0 for QEMU's default
 * @param ports forwarded ports
 * @param firmware UEFI firmware to start
 * @param kernel kernel to boot directly (arm64)
 * @param extra words appended as given
 *
 * <p>Immutable.
 */
public record QemuCommandLine(String architecture, String accelerator, Path image, boolean snapshot, String memory,
    int cpus, List<PortForward> ports, Optional<Path> firmware, Optional<Path> kernel, List<String> extra) {

  public QemuCommandLine {
    ports = List.copyOf(ports);
    extra = List.copyOf(extra);
  }

  /** The system emulator for an architecture. */
  public static String binary(String architecture) {
    return ImageFacts.ARM64.equals(architecture) ? "qemu-system-aarch64" : "qemu-system-x86_64";
  }

  /** The Debian package that installs {@link #binary}. */
  public static String debianPackage(String architecture) {
    return ImageFacts.ARM64.equals(architecture) ? "qemu-system-arm" : "qemu-system-x86";
  }

  /** The whole command line, binary name first. */
  public List<String> words() {
    List<String> w = new ArrayList<>();
    w.add(binary(architecture));
    boolean arm = ImageFacts.ARM64.equals(architecture);
    String drive = "file=" + qemuOptionValue(image.toString()) + ",format=raw,if=none,id=hd0" + (snapshot ? ",snapshot=on" : "");
    if (arm) {
      add(w, "-machine", "virt,gic-version=2,highmem=off");
      accel(w);
      add(w, "-m", memory);
      if (cpus > 0) {
        add(w, "-smp", Integer.toString(cpus));
      }
      firmware.ifPresent(f -> add(w, "-bios", f.toString()));
      kernel.ifPresent(k -> add(w, "-kernel", k.toString()));
      add(w, "-drive", drive);
      add(w, "-device", "virtio-blk-pci,drive=hd0");
      add(w, "-device", "virtio-rng-pci");
      add(w, "-device", "virtio-balloon");
      w.add("-semihosting");
      w.add("-no-reboot");
      add(w, "-device", "virtio-net-pci,netdev=n0");
    } else {
      add(w, "-machine", "q35");
      add(w, "-device", "pcie-root-port,port=0x10,chassis=1,id=pci.1,bus=pcie.0,multifunction=on,addr=0x3");
      add(w, "-device", "pcie-root-port,port=0x11,chassis=2,id=pci.2,bus=pcie.0,addr=0x3.0x6");
      add(w, "-device", "pcie-root-port,port=0x12,chassis=3,id=pci.4,bus=pcie.0,addr=0x3.0x4");
      add(w, "-device", "virtio-scsi-pci,bus=pci.2,addr=0x0,id=scsi0");
      add(w, "-device", "scsi-hd,bus=scsi0.0,drive=hd0");
      add(w, "-vga", "none");
      add(w, "-device", "isa-debug-exit");
      w.add("-no-reboot");
      accel(w);
      add(w, "-m", memory);
      if (cpus > 0) {
        add(w, "-smp", Integer.toString(cpus));
      }
      firmware.ifPresent(f -> add(w, "-drive", "if=pflash,format=raw,unit=0,readonly=on,file=" + qemuOptionValue(f.toString())));
      add(w, "-drive", drive);
      add(w, "-device", "virtio-rng-pci");
      add(w, "-device", "virtio-balloon");
      add(w, "-device", "virtio-net,bus=pci.4,addr=0x0,netdev=n0");
    }
    StringBuilder net = new StringBuilder("user,id=n0");
    for (PortForward p : ports) {
      net.append(",hostfwd=").append(p.hostfwd());
    }
    add(w, "-netdev", net.toString());
    add(w, "-display", "none");
    add(w, "-serial", "stdio");
    w.addAll(extra);
    return w;
  }

  private void accel(List<String> w) {
    add(w, "-accel", accelerator);
    add(w, "-cpu", "kvm".equals(accelerator) ? "host" : "max");
  }

  private static void add(List<String> w, String option, String value) {
    w.add(option);
    w.add(value);
  }

  /** A value inside a QEMU {@code key=value,...} option: a comma is written twice. */
  static String qemuOptionValue(String s) {
    return s.replace(",", ",,");
  }
}
