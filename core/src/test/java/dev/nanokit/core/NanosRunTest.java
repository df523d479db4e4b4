package dev.nanokit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanokit.manifest.StringValue;
import dev.nanokit.testing.manifest.TestPrograms;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NanosRunTest {
  @TempDir Path tmp;

  /** A disk image whose boot filesystem holds a kernel ELF for {@code machine}; debug_exit when asked. */
  private Path image(String name, int machine, boolean debugExit, boolean uefi) throws Exception {
    Path program = TestPrograms.staticElf(tmp.resolve("in/" + name + "/prog"), machine);
    Path kernel = TestPrograms.staticElf(tmp.resolve("in/" + name + "/kernel.img"), machine);
    // arm64 boots with the 512-byte stub of its release: an x86 stage2 beside its kernel is refused.
    Path boot = Files.write(tmp.resolve("in/" + name + "/boot.img"),
        NanosImageTest.bootImage(machine == TestPrograms.AARCH64 ? 0 : 0x8000));
    NanosRelease release = NanosRelease.ofKernel(kernel).withBootImage(boot);
    if (uefi) {
      Path loader = Files.write(tmp.resolve("in/" + name + (machine == TestPrograms.AARCH64 ? "/bootaa64.efi" : "/bootx64.efi")),
          TestPrograms.peFile(machine == TestPrograms.AARCH64 ? TestPrograms.PE_AARCH64 : TestPrograms.PE_X86_64, 512));
      release = release.withUefiLoader(loader);
    }
    NanosImage b = NanosImage.from(ImageSource.program(program)).setRelease(release).setEnvironment(Map.of())
        .setUuid(UUID.fromString("00112233-4455-6677-8899-aabbccddeeff")).setDependencyFinder((p, root) -> List.of());
    if (debugExit) {
      b.set("debug_exit", StringValue.of("t"));
    }
    Path out = tmp.resolve(name + ".img");
    try (b) {
      b.writeTo(out);
    }
    return out;
  }

  private NanosRun run(Path image) {
    return NanosRun.of(image).setKvmDevice(tmp.resolve("no-kvm")).setHostArchitecture("amd64")
        .setFirmwareSearchRoot(tmp.resolve("no-firmware")).setScratchDirectory(tmp.resolve("scratch"));
  }

  @Test
  void x86PlanFollowsTheImageAndTheSettings() throws Exception {
    Path img = image("a", TestPrograms.X86_64, true, false);
    RunPlan plan = run(img).addPort(PortForward.parse(PortForward.Protocol.TCP, "8080")).setMemory("1G").setCpus(2).plan();
    assertThat(plan.architecture()).isEqualTo("amd64");
    assertThat(plan.accelerator()).isEqualTo("tcg");
    assertThat(plan.reportsExitStatus()).isTrue();
    assertThat(plan.firmware()).isEmpty();
    assertThat(plan.kernelFromImage()).isEmpty();
    assertThat(plan.biosBootable()).isTrue();
    String line = String.join(" ", plan.command());
    assertThat(line).startsWith("qemu-system-x86_64 -machine q35 ")
        .contains(" -device isa-debug-exit -no-reboot -accel tcg -cpu max -m 1G -smp 2 -drive file=" + img
            + ",format=raw,if=none,id=hd0 ")
        .endsWith(" -netdev user,id=n0,hostfwd=tcp::8080-:8080 -display none -serial stdio");
  }

  @Test
  void kvmWhenTheDeviceIsUsableAndTheArchitecturesMatch() throws Exception {
    Path img = image("a", TestPrograms.X86_64, true, false);
    Path kvm = Files.createFile(tmp.resolve("kvm"));
    assertThat(run(img).setKvmDevice(kvm).plan().accelerator()).isEqualTo("kvm");
    assertThat(run(img).setKvmDevice(kvm).setAccelerator(NanosRun.Accelerator.TCG).plan().accelerator()).isEqualTo("tcg");
    assertThat(run(img).setKvmDevice(kvm).setHostArchitecture("arm64").plan().accelerator()).isEqualTo("tcg");
    assertThatThrownBy(() -> run(img).setAccelerator(NanosRun.Accelerator.KVM).plan())
        .isInstanceOfSatisfying(RunSetupException.class,
            e -> assertThat(e.condition()).isEqualTo(RunSetupException.Condition.KVM_UNAVAILABLE))
        .hasMessageEndingWith("no-kvm cannot be opened for reading and writing (missing, or the user is not in its group)");
  }

  @Test
  void arm64ImageBootsItsKernelOnTheVirtMachine() throws Exception {
    Path img = image("arm", TestPrograms.AARCH64, false, false);
    RunPlan plan = run(img).plan();
    assertThat(plan.architecture()).isEqualTo("arm64");
    assertThat(plan.reportsExitStatus()).isFalse();
    Path kernel = tmp.resolve("scratch/nanokit-arm.img.kernel");
    assertThat(plan.kernelFromImage()).contains(kernel);
    assertThat(plan.command().subList(0, 10)).containsExactly("qemu-system-aarch64", "-machine",
        "virt,gic-version=2,highmem=off", "-accel", "tcg", "-cpu", "max", "-m", "2G", "-kernel");
    assertThat(plan.command().get(10)).isEqualTo(kernel.toString());
    assertThat(kernel).doesNotExist();
  }

  @Test
  void uefiNeedsAnEspAndFirmware() throws Exception {
    Path plain = image("plain", TestPrograms.X86_64, true, false);
    assertThatThrownBy(() -> run(plain).setUefi(true).plan()).isInstanceOf(RunSetupException.class)
        .hasMessage(plain + ": no EFI system partition (built without a UEFI loader), so it cannot boot through UEFI");
    Path efi = image("efi", TestPrograms.X86_64, true, true);
    assertThatThrownBy(() -> run(efi).setUefi(true).plan())
        .isInstanceOfSatisfying(RunSetupException.class, e -> {
          assertThat(e.condition()).isEqualTo(RunSetupException.Condition.FIRMWARE_NOT_FOUND);
          assertThat(e.debianPackage()).contains("ovmf");
        });
    Path fw = tmp.resolve("no-firmware/usr/share/ovmf/OVMF.fd");
    Files.createDirectories(fw.getParent());
    Files.write(fw, new byte[16]);
    RunPlan plan = run(efi).setUefi(true).plan();
    assertThat(plan.firmware()).contains(fw);
    assertThat(plan.command()).contains("if=pflash,format=raw,unit=0,readonly=on,file=" + fw);
    Path own = Files.write(tmp.resolve("my.fd"), new byte[16]);
    assertThat(run(efi).setFirmware(own).plan().firmware()).contains(own);
  }

  @Test
  void aDiskWithoutBootImageHasNoBiosBootCode() throws Exception {
    Path program = TestPrograms.staticElf(tmp.resolve("p"));
    Path disk = tmp.resolve("nobios.img");
    try (NanosImage b = NanosImage.from(ImageSource.program(program)).setEnvironment(Map.of())
        .setRelease(NanosRelease.ofKernel(program)).setDependencyFinder((p, root) -> List.of())) {
      b.writeTo(disk);
    }
    assertThat(run(disk).plan().biosBootable()).isFalse();
  }

  @Test
  void aBareVolumeDoesNotBoot() throws Exception {
    Path program = TestPrograms.staticElf(tmp.resolve("p"));
    Path vol = tmp.resolve("v.img");
    try (NanosImage b = NanosImage.from(ImageSource.program(program)).setEnvironment(Map.of())
        .setDependencyFinder((p, root) -> List.of())) {
      b.writeVolumeTo(vol);
    }
    assertThatThrownBy(() -> run(vol).plan()).isInstanceOfSatisfying(RunSetupException.class,
        e -> assertThat(e.condition()).isEqualTo(RunSetupException.Condition.NOT_BOOTABLE))
        .hasMessage(vol + ": a bare TFS volume (no partition table), not a bootable disk image");
  }

  @Test
  void configSettingsApplyAndLaterSettingsWin() throws Exception {
    Path img = image("a", TestPrograms.X86_64, true, false);
    OpsConfig cfg = OpsConfig.builder().build();
    OpsConfig.Builder b = cfg.toBuilder();
    b.runConfig().ports(List.of("8083", "9000-90")).udpPorts(List.of("5309")).memory("512M").cpus(3).accel(false);
    RunPlan plan = run(img).setKvmDevice(Files.createFile(tmp.resolve("kvm"))).applyConfig(b.build()).setCpus(1).plan();
    String line = String.join(" ", plan.command());
    assertThat(plan.accelerator()).isEqualTo("tcg");
    assertThat(line).contains(" -m 512M -smp 1 ")
        .contains("-netdev user,id=n0,hostfwd=tcp::8083-:8083,hostfwd=tcp::9000-:90,hostfwd=udp::5309-:5309 ");
    OpsConfig.Builder bad = cfg.toBuilder();
    bad.runConfig().memory("a lot");
    assertThatThrownBy(() -> run(img).applyConfig(bad.build()))
        .hasMessage("RunConfig.Memory: memory 'a lot': expected a size such as 512M or 2G");
  }

  /** A stand-in for QEMU: records its arguments, says what it is told on stderr, exits with $FAKE_STATUS. */
  private Path fakeQemu(String name) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("bin"));
    Path q = dir.resolve(name);
    Files.writeString(q, "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$FAKE_ARGS\"\n"
        + "[ -n \"$FAKE_KERNEL_COPY\" ] && /bin/cp \"$FAKE_KERNEL\" \"$FAKE_KERNEL_COPY\"\n"
        + "[ -n \"$FAKE_SAY\" ] && echo \"$FAKE_SAY\" >&2\nexit $FAKE_STATUS\n");
    q.toFile().setExecutable(true);
    return dir;
  }

  @Test
  void startRunsQemuAndMapsItsStatus() throws Exception {
    Path img = image("a", TestPrograms.X86_64, true, false);
    Path bin = fakeQemu("qemu-system-x86_64");
    Path args = tmp.resolve("args");
    Map<String, String> env = Map.of("PATH", bin.toString(), "FAKE_ARGS", args.toString(), "FAKE_STATUS", "7");
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    try (NanosVm vm = run(img).setEnvironment(env).setQemuErrorOutput(errors).start()) {
      assertThat(vm.binaryName()).isEqualTo("qemu-system-x86_64");
      assertThat(vm.waitFor()).isEqualTo(new RunExit(RunExit.Kind.PROGRAM_EXITED, 7, 3));
    }
    List<String> expected = new java.util.ArrayList<>(run(img).plan().command());
    expected.remove(0);
    assertThat(Files.readAllLines(args)).isEqualTo(expected);

    Map<String, String> failing = Map.of("PATH", bin.toString(), "FAKE_ARGS", args.toString(), "FAKE_STATUS", "1",
        "FAKE_SAY", "qemu-system-x86_64: -drive file=a.img: Could not open 'a.img': Permission denied");
    try (NanosVm vm = run(img).setEnvironment(failing).setQemuErrorOutput(errors).start()) {
      assertThat(vm.waitFor().kind()).isEqualTo(RunExit.Kind.QEMU_FAILED);
    }
    assertThat(errors.toString(StandardCharsets.UTF_8)).isEqualTo(
        "qemu-system-x86_64: -drive file=a.img: Could not open 'a.img': Permission denied\n");
    Map<String, String> clean = Map.of("PATH", bin.toString(), "FAKE_ARGS", args.toString(), "FAKE_STATUS", "1");
    try (NanosVm vm = run(img).setEnvironment(clean).setQemuErrorOutput(errors).start()) {
      assertThat(vm.waitFor()).isEqualTo(new RunExit(RunExit.Kind.PROGRAM_EXITED, 1, 0));
    }
  }

  @Test
  void theArm64KernelIsExtractedForTheRunAndRemovedAfter() throws Exception {
    Path img = image("arm", TestPrograms.AARCH64, true, false);
    Path bin = fakeQemu("qemu-system-aarch64");
    Path kernel = tmp.resolve("scratch/nanokit-arm.img.kernel");
    Path copy = tmp.resolve("kernel-as-qemu-saw-it");
    Map<String, String> env = Map.of("PATH", bin.toString(), "FAKE_ARGS", tmp.resolve("args").toString(),
        "FAKE_STATUS", "0", "FAKE_KERNEL", kernel.toString(), "FAKE_KERNEL_COPY", copy.toString());
    try (NanosVm vm = run(img).setEnvironment(env).start()) {
      assertThat(vm.waitFor()).isEqualTo(new RunExit(RunExit.Kind.PROGRAM_EXITED, 0, 0));
    }
    assertThat(copy).hasBinaryContent(TestPrograms.staticElf(TestPrograms.AARCH64));
    assertThat(kernel).doesNotExist();
  }

  @Test
  void missingQemuNamesThePackage() throws Exception {
    Path img = image("arm", TestPrograms.AARCH64, true, false);
    assertThatThrownBy(() -> run(img).setEnvironment(Map.of("PATH", tmp.toString())).start())
        .isInstanceOfSatisfying(RunSetupException.class, e -> {
          assertThat(e.condition()).isEqualTo(RunSetupException.Condition.QEMU_NOT_FOUND);
          assertThat(e.debianPackage()).contains("qemu-system-arm");
        })
        .hasMessage("qemu-system-aarch64 is not installed (not found on PATH); install the Debian package qemu-system-arm");
    assertThat(tmp.resolve("scratch/nanokit-arm.img.kernel")).doesNotExist();
  }

  @Test
  void firecrackerConfigNamesTheExtractedKernelAndTheDisk() throws Exception {
    Path img = image("a", TestPrograms.X86_64, true, false);
    Path json = tmp.resolve("fc/vm.json");
    Files.createDirectories(json.getParent());
    Path kernel = run(img).setMemory("1G").setCpus(2).addPort(PortForward.parse(PortForward.Protocol.TCP, "80"))
        .writeFirecrackerConfig(json);
    assertThat(kernel).isEqualTo(tmp.resolve("fc/vm.kernel").toAbsolutePath());
    assertThat(kernel).hasBinaryContent(TestPrograms.staticElf(TestPrograms.X86_64));
    var root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile());
    assertThat(root.at("/boot-source/kernel_image_path").asText()).isEqualTo(kernel.toString());
    assertThat(root.at("/drives/0/path_on_host").asText()).isEqualTo(img.toAbsolutePath().toString());
    assertThat(root.at("/machine-config/mem_size_mib").asInt()).isEqualTo(1024);
    assertThat(root.at("/machine-config/vcpu_count").asInt()).isEqualTo(2);
    assertThat(root.at("/network-interfaces/0/host_dev_name").asText()).isEqualTo("tap0");
  }
}
