package dev.nanokit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nanokit.testing.manifest.TestPrograms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nanokit run}: the exact QEMU line, the exit status of the program, QEMU missing, Firecracker. */
class RunCommandTest {
  private static final String PC = "-machine q35"
      + " -device pcie-root-port,port=0x10,chassis=1,id=pci.1,bus=pcie.0,multifunction=on,addr=0x3"
      + " -device pcie-root-port,port=0x11,chassis=2,id=pci.2,bus=pcie.0,addr=0x3.0x6"
      + " -device pcie-root-port,port=0x12,chassis=3,id=pci.4,bus=pcie.0,addr=0x3.0x4"
      + " -device virtio-scsi-pci,bus=pci.2,addr=0x0,id=scsi0 -device scsi-hd,bus=scsi0.0,drive=hd0"
      + " -vga none -device isa-debug-exit -no-reboot";

  @TempDir Path tmp;
  Path noKvm;
  Path img;

  /** A boot.img stand-in: a stage1 sector whose region record names a 32 KiB stage2 (docs/formats/disk-image.md, "2.2 The filesystem region record (how S is found)"). */
  private Path bootImage() throws Exception {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(512 + 0x8000).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.putLong(0x1AA, 0x8000).putLong(0x1B2, 0x8000).putInt(0x1BA, 12);
    b.put(0, (byte) 0xEA).put(0x1FE, (byte) 0x55).put(0x1FF, (byte) 0xAA);
    return Files.write(tmp.resolve("in/boot.img"), b.array());
  }

  /** A disk image with boot code and a kernel ELF for {@code machine} in its boot filesystem. */
  private Path image(String out, int machine, String... extra) throws Exception {
    Path kernel = TestPrograms.staticElf(tmp.resolve("in/" + machine + "/kernel.img"), machine);
    Path program = TestPrograms.staticElf(tmp.resolve("in/" + machine + "/prog"), machine);
    Path image = tmp.resolve(out);
    Files.createDirectories(image.getParent());
    // arm64 has no BIOS stage2 (mkimage refuses one beside an arm64 kernel): it boots with -kernel.
    List<String> args = new ArrayList<>(List.of("--program", program.toString(), "--kernel", kernel.toString(),
        "-o", image.toString()));
    if (machine == TestPrograms.X86_64) {
      args.addAll(List.of("--boot", bootImage().toString()));
    }
    args.addAll(List.of(extra));
    Cli.Result r = Cli.mkimage(Map.of(), tmp.resolve("home"), args.toArray(new String[0]));
    assertThat(r.exit()).as(r.err()).isZero();
    return image;
  }

  @BeforeEach
  void setUp() throws Exception {
    noKvm = tmp.resolve("no-kvm");
    img = image("a.img", TestPrograms.X86_64, "--set", "debug_exit=t");
  }

  private Cli.Result nanokit(Map<String, String> env, String... args) {
    return Cli.nanokit(env, noKvm, args);
  }

  private Cli.Result nanokit(String... args) {
    return nanokit(Map.of("PATH", tmp.resolve("nothing-here").toString()), args);
  }

  @Test
  void dryRunPrintsTheQemuLineOpsWouldRun() {
    Cli.Result r = nanokit("run", img.toString(), "--dry-run", "--accel", "tcg");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).isEqualTo("qemu-system-x86_64 " + PC + " -accel tcg -cpu max -m 2G"
        + " -drive file=" + img + ",format=raw,if=none,id=hd0 -device virtio-rng-pci -device virtio-balloon"
        + " -device virtio-net,bus=pci.4,addr=0x0,netdev=n0 -netdev user,id=n0 -display none -serial stdio\n");
  }

  @Test
  void dryRunWithPortsMemoryCpusSnapshotAndQemuWordsQuotesForTheShell() throws Exception {
    Path spaced = image("my dir/b.img", TestPrograms.X86_64, "--set", "debug_exit=t");
    Cli.Result r = nanokit("run", spaced.toString(), "--dry-run", "--accel", "tcg", "-p", "8080", "-p", "9090:90",
        "--udp-port", "5309", "-m", "512M", "--smp", "2", "--snapshot", "--qemu-arg", "-d", "--qemu-arg", "int,cpu_reset",
        "--qemu-arg", "it's");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("qemu-system-x86_64 " + PC + " -accel tcg -cpu max -m 512M -smp 2"
        + " -drive 'file=" + spaced + ",format=raw,if=none,id=hd0,snapshot=on' -device virtio-rng-pci -device virtio-balloon"
        + " -device virtio-net,bus=pci.4,addr=0x0,netdev=n0"
        + " -netdev user,id=n0,hostfwd=tcp::8080-:8080,hostfwd=tcp::9090-:90,hostfwd=udp::5309-:5309"
        + " -display none -serial stdio -d int,cpu_reset 'it'\\''s'\n");
  }

  @Test
  void arm64ImageRunsOnQemuSystemAarch64() throws Exception {
    Path arm = image("arm.img", TestPrograms.AARCH64, "--set", "debug_exit=t");
    Cli.Result r = nanokit("run", arm.toString(), "--dry-run", "--accel", "tcg", "-p", "80");
    assertThat(r.exit()).as(r.err()).isZero();
    Path kernel = Path.of(System.getProperty("java.io.tmpdir")).resolve("nanokit-arm.img.kernel");
    assertThat(r.out()).isEqualTo("qemu-system-aarch64 -machine virt,gic-version=2,highmem=off -accel tcg -cpu max"
        + " -m 2G -kernel " + kernel + " -drive file=" + arm + ",format=raw,if=none,id=hd0"
        + " -device virtio-blk-pci,drive=hd0 -device virtio-rng-pci -device virtio-balloon -semihosting -no-reboot"
        + " -device virtio-net-pci,netdev=n0 -netdev user,id=n0,hostfwd=tcp::80-:80 -display none -serial stdio\n");
    assertThat(kernel).doesNotExist();
  }

  @Test
  void configRunConfigAppliesFlagsWinAndPortsAddUp() throws Exception {
    Path cfg = Files.writeString(tmp.resolve("myconfig.json"), "{\"RunConfig\":{\"Verbose\":true,\"Ports\":[\"8083\"],"
        + "\"Memory\":\"1G\",\"CPUs\":4}}");
    Cli.Result fromConfig = nanokit("run", img.toString(), "--dry-run", "--accel", "tcg", "-c", cfg.toString());
    assertThat(fromConfig.out()).contains(" -m 1G -smp 4 ").contains("-netdev user,id=n0,hostfwd=tcp::8083-:8083 ");
    Cli.Result flagsWin = nanokit("run", img.toString(), "--dry-run", "--accel", "tcg", "-c", cfg.toString(),
        "-m", "512M", "-p", "8080");
    // ops run -p 8080 -c myconfig.json forwards the config's 8083 and 8080.
    assertThat(flagsWin.out()).contains(" -m 512M -smp 4 ")
        .contains("-netdev user,id=n0,hostfwd=tcp::8083-:8083,hostfwd=tcp::8080-:8080 ");
    Cli.Result commas = nanokit("run", img.toString(), "--dry-run", "--accel", "tcg", "-c", cfg.toString(),
        "-p", "8083,9000:90", "--udp-port", "53,5353");
    assertThat(commas.out()).contains("-netdev user,id=n0,hostfwd=tcp::8083-:8083,hostfwd=tcp::9000-:90,"
        + "hostfwd=udp::53-:53,hostfwd=udp::5353-:5353 ");
    Path bad = Files.writeString(tmp.resolve("bad.json"), "{\"RunConfig\":{\"Ports\":[\"http\"]}}");
    Cli.Result r = nanokit("run", img.toString(), "--dry-run", "-c", bad.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.errLine()).isEqualTo("nanokit: " + bad + ": RunConfig.Ports: port 'http': expected PORT or HOST:GUEST, each 1 to 65535");
  }

  @Test
  void notesGoToStderrPrefixed() throws Exception {
    Path plain = image("plain.img", TestPrograms.X86_64);
    Cli.Result r = nanokit("run", plain.toString(), "--dry-run");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith("qemu-system-x86_64 ").contains(" -accel tcg -cpu max ");
    assertThat(r.err()).isEqualTo("nanokit: note: " + plain + " has no debug_exit in its root tuple: the VM powers off"
        + " without the program's exit status (mkimage --set debug_exit=t keeps it)\n"
        + "nanokit: note: KVM is not usable here; QEMU emulates the CPU (slower)\n");
  }

  @Test
  void anImageWithoutBootCodeIsNotedUnlessItBootsThroughUefi() throws Exception {
    Path kernel = TestPrograms.staticElf(tmp.resolve("in/k.img"));
    Path loader = Files.write(tmp.resolve("in/bootx64.efi"), TestPrograms.peFile(TestPrograms.PE_X86_64, 512));
    Path noBios = tmp.resolve("nobios.img");
    assertThat(Cli.mkimage(Map.of(), tmp.resolve("home"), "--program", kernel.toString(), "--kernel", kernel.toString(),
        "--uefi", loader.toString(), "--set", "debug_exit=t", "-o", noBios.toString()).exit()).isZero();
    Cli.Result bios = nanokit("run", noBios.toString(), "--dry-run", "--accel", "tcg");
    assertThat(bios.errLine()).isEqualTo("nanokit: note: " + noBios + " has no BIOS boot code (built without boot.img):"
        + " it boots only through UEFI (--uefi)");
    Path firmware = Files.write(tmp.resolve("OVMF.fd"), new byte[4096]);
    Cli.Result uefi = nanokit("run", noBios.toString(), "--dry-run", "--accel", "tcg", "--firmware", firmware.toString());
    assertThat(uefi.err()).isEmpty();
    assertThat(uefi.out()).contains(" -m 2G -drive if=pflash,format=raw,unit=0,readonly=on,file=" + firmware
        + " -drive file=" + noBios + ",format=raw,if=none,id=hd0 ");
  }

  @Test
  void usageAndSetupErrorsAreOneLine() throws Exception {
    assertThat(nanokit("run", img.toString(), "-p", "http").errLine())
        .isEqualTo("nanokit: port 'http': expected PORT or HOST:GUEST, each 1 to 65535 (see 'nanokit run --help')");
    assertThat(nanokit("run", img.toString(), "-p", "http").exit()).isEqualTo(2);
    assertThat(nanokit("run", img.toString(), "-m", "lots").exit()).isEqualTo(2);
    assertThat(nanokit("run", img.toString(), "--accel", "fast").exit()).isEqualTo(2);
    assertThat(nanokit("run").exit()).isEqualTo(2);
    assertThat(nanokit("run", "--version").out()).startsWith("nanokit ");
    Cli.Result kvm = nanokit("run", img.toString(), "--dry-run", "--accel", "kvm");
    assertThat(kvm.exit()).isEqualTo(1);
    assertThat(kvm.errLine()).isEqualTo("nanokit: " + noKvm + " cannot be opened for reading and writing (missing, or the"
        + " user is not in its group); --accel tcg runs without it");
    Cli.Result uefi = nanokit("run", img.toString(), "--dry-run", "--accel", "tcg", "--uefi");
    assertThat(uefi.errLine()).isEqualTo("nanokit: " + img + ": no EFI system partition (built without a UEFI loader),"
        + " so it cannot boot through UEFI");
    Cli.Result absent = nanokit("run", tmp.resolve("absent.img").toString());
    assertThat(absent.errLine()).isEqualTo("nanokit: " + tmp.resolve("absent.img") + ": no such file");
  }

  @Test
  void missingQemuNamesTheDebianPackage() {
    Cli.Result r = nanokit("run", img.toString(), "--accel", "tcg");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.errLine()).isEqualTo(
        "nanokit: qemu-system-x86_64 is not installed (not found on PATH); install the Debian package qemu-system-x86");
  }

  /** A stand-in for qemu-system-x86_64 first on PATH: records its arguments, exits with $FAKE_STATUS. */
  private Map<String, String> fakeQemu(String status, String say) throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("fake-bin"));
    Path q = bin.resolve("qemu-system-x86_64");
    Files.writeString(q, "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$FAKE_ARGS\"\n"
        + "[ -n \"$FAKE_SAY\" ] && echo \"$FAKE_SAY\" >&2\nexit $FAKE_STATUS\n");
    q.toFile().setExecutable(true);
    return Map.of("PATH", bin + ":/usr/bin:/bin", "FAKE_ARGS", tmp.resolve("args").toString(), "FAKE_STATUS", status,
        "FAKE_SAY", say);
  }

  @Test
  void theProgramsExitStatusBecomesNanokits() throws Exception {
    Cli.Result three = nanokit(fakeQemu("7", ""), "run", img.toString(), "--accel", "tcg", "-p", "8080");
    assertThat(three.exit()).isEqualTo(3);
    assertThat(three.err()).isEmpty();
    String dry = nanokit("run", img.toString(), "--dry-run", "--accel", "tcg", "-p", "8080").out();
    List<String> words = new ArrayList<>(List.of(dry.strip().split(" ")));
    words.remove(0);
    assertThat(Files.readAllLines(tmp.resolve("args"))).isEqualTo(words);

    assertThat(nanokit(fakeQemu("1", ""), "run", img.toString(), "--accel", "tcg").exit()).isZero();
    Cli.Result fault = nanokit(fakeQemu("253", ""), "run", img.toString(), "--accel", "tcg");
    assertThat(fault.exit()).isEqualTo(126);
    assertThat(fault.errLine()).isEqualTo("nanokit: the kernel stopped on a fault it could not handle (status 126)");
    Cli.Result halt = nanokit(fakeQemu("255", ""), "run", img.toString(), "--accel", "tcg");
    assertThat(halt.exit()).isEqualTo(127);
    assertThat(halt.errLine()).isEqualTo("nanokit: the kernel halted (status 127)");
  }

  @Test
  void qemusOwnFailureIsNotAProgramStatus() throws Exception {
    Cli.Result r = nanokit(fakeQemu("1", "qemu-system-x86_64: -drive file=x: Could not open 'x': Permission denied"),
        "run", img.toString(), "--accel", "tcg");
    assertThat(r.exit()).isEqualTo(1);
    // QEMU's own line went to the process's stderr as it came; nanokit adds one line of its own.
    assertThat(r.errLine()).isEqualTo("nanokit: qemu-system-x86_64 failed (exit status 1)");
  }

  @Test
  void firecrackerConfigUsesFirecrackersFieldNames() throws Exception {
    Path json = tmp.resolve("vm.json");
    Cli.Result r = nanokit("run", img.toString(), "--firecracker-config", json.toString(), "-m", "512M", "--smp", "2",
        "-p", "8080");
    assertThat(r.exit()).as(r.err()).isZero();
    Path kernel = tmp.resolve("vm.kernel");
    assertThat(r.err()).isEqualTo("nanokit: wrote " + json + " (kernel " + kernel + ")\n"
        + "nanokit: note: Firecracker has no user-mode network: the VM's interface is tap device tap0; forward the"
        + " ports to it on the host\n");
    assertThat(kernel).hasBinaryContent(TestPrograms.staticElf(TestPrograms.X86_64));
    JsonNode root = new ObjectMapper().readTree(json.toFile());
    List<String> top = new ArrayList<>();
    root.fieldNames().forEachRemaining(top::add);
    assertThat(top).containsExactly("boot-source", "drives", "machine-config", "network-interfaces");
    assertThat(root.at("/boot-source/kernel_image_path").asText()).isEqualTo(kernel.toString());
    assertThat(root.at("/drives/0/drive_id").asText()).isEqualTo("rootfs");
    assertThat(root.at("/drives/0/path_on_host").asText()).isEqualTo(img.toAbsolutePath().toString());
    assertThat(root.at("/drives/0/is_root_device").asBoolean()).isTrue();
    assertThat(root.at("/drives/0/is_read_only").isBoolean()).isTrue();
    assertThat(root.at("/machine-config/vcpu_count").asInt()).isEqualTo(2);
    assertThat(root.at("/machine-config/mem_size_mib").asInt()).isEqualTo(512);
    assertThat(root.at("/network-interfaces/0/iface_id").asText()).isEqualTo("eth0");
    assertThat(root.at("/network-interfaces/0/host_dev_name").asText()).isEqualTo("tap0");
  }

  @Test
  void mkimageRunBuildsThenRuns() throws Exception {
    Path kernel = TestPrograms.staticElf(tmp.resolve("in/k.img"));
    Path program = TestPrograms.staticElf(tmp.resolve("in/p"));
    Path out = tmp.resolve("built.img");
    Cli.Result r = Cli.mkimage(Map.of(), tmp.resolve("home"), "--program", program.toString(), "--kernel",
        kernel.toString(), "--boot", bootImage().toString(), "--set", "debug_exit=t", "-o", out.toString(), "--run",
        "--dry-run", "--accel", "tcg", "-p", "8080");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(out).exists();
    assertThat(r.out()).startsWith("qemu-system-x86_64 " + PC + " -accel tcg -cpu max -m 2G -drive file=" + out + ",")
        .endsWith(" -netdev user,id=n0,hostfwd=tcp::8080-:8080 -display none -serial stdio\n");
    Cli.Result noBoot = Cli.mkimage(Map.of(), tmp.resolve("home"), "--program", program.toString(), "--no-boot",
        "-o", tmp.resolve("v.img").toString(), "--run");
    assertThat(noBoot.exit()).isEqualTo(2);
    assertThat(noBoot.errLine()).isEqualTo("mkimage: --run needs a bootable image; drop --no-boot (see 'mkimage --help')");
  }
}
