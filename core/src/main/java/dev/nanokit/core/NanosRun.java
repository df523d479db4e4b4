package dev.nanokit.core;

import dev.nanokit.core.run.FirecrackerConfig;
import dev.nanokit.core.run.FirmwareSearch;
import dev.nanokit.core.run.ImageFacts;
import dev.nanokit.core.run.QemuCommandLine;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a Nanos disk image under QEMU the way {@code ops run} does, or describes it for Firecracker:
 *
 * <pre>{@code
 * RunPlan plan = NanosRun.of(Path.of("app.img")).addPort(PortForward.parse(Protocol.TCP, "8080")).plan();
 * try (NanosVm vm = NanosRun.of(Path.of("app.img")).start()) {
 *   RunExit exit = vm.waitFor();
 * }
 * }</pre>
 *
 * <p>The image decides the architecture (the kernel's ELF machine in its boot filesystem, else the
 * root tuple's {@code NANOS_ARCH}) and so the emulator: {@code qemu-system-x86_64} or
 * {@code qemu-system-aarch64}. Defaults follow ops: 2G of memory, QEMU's default CPU count, KVM when
 * it can be used. The command line has the devices ops gives a local run (virtio disk, serial console on
 * standard input and output, {@code isa-debug-exit}, user-mode network) and {@link RunExit} says what QEMU's
 * exit status means.
 *
 * <p>Not thread safe: configure and start from one thread. The {@link NanosVm} it starts may be
 * stopped from any thread.
 */
public final class NanosRun {
  /** Which accelerator QEMU uses. */
  public enum Accelerator {
    /** KVM when the host can use it for the image's architecture, else TCG. */
    AUTO,
    /** KVM, or fail. */
    KVM,
    /** QEMU's emulator. */
    TCG
  }

  private static final Pattern MEMORY = Pattern.compile("([0-9]{1,9})([KkMmGgTt]?)");

  private final Path image;
  private final List<PortForward> ports = new ArrayList<>();
  private String memory = "2G";
  private int cpus;
  private Accelerator accelerator = Accelerator.AUTO;
  private boolean uefi;
  private Path firmware;
  private Path kernel;
  private boolean snapshot;
  private final List<String> qemuArguments = new ArrayList<>();
  private Map<String, String> environment;
  private Path kvmDevice = Path.of("/dev/kvm");
  private Path firmwareRoot = Path.of("/");
  private Path scratchDirectory = Path.of(System.getProperty("java.io.tmpdir"));
  private String hostArchitecture = hostArchitecture(System.getProperty("os.arch", ""));
  private OutputStream qemuErrorOutput;

  private NanosRun(Path image) {
    this.image = Objects.requireNonNull(image, "image");
  }

  /** A run of the disk image at {@code image}. */
  public static NanosRun of(Path image) {
    return new NanosRun(image);
  }

  /**
   * Takes the settings of an ops configuration's {@code RunConfig}: {@code Ports} and
   * {@code UDPPorts} (replacing ports given so far), {@code Memory}, {@code CPUs}, and {@code Accel}
   * ({@code true}: {@link Accelerator#AUTO}, {@code false}: {@link Accelerator#TCG}). Settings made
   * after this call win over the configuration's.
   *
   * @throws IllegalArgumentException naming the field whose value cannot be used
   */
  public NanosRun applyConfig(OpsConfig config) {
    OpsConfig.RunConfig rc = config.runConfig();
    if (!rc.ports().isEmpty() || !rc.udpPorts().isEmpty()) {
      List<PortForward> p = new ArrayList<>();
      for (String s : rc.ports()) {
        p.add(configPort("Ports", PortForward.Protocol.TCP, s));
      }
      for (String s : rc.udpPorts()) {
        p.add(configPort("UDPPorts", PortForward.Protocol.UDP, s));
      }
      setPorts(p);
    }
    if (!rc.memory().isEmpty()) {
      try {
        setMemory(rc.memory());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("RunConfig.Memory: " + e.getMessage(), e);
      }
    }
    if (rc.cpus() > 0) {
      setCpus(rc.cpus());
    }
    rc.accel().ifPresent(a -> setAccelerator(a ? Accelerator.AUTO : Accelerator.TCG));
    return this;
  }

  private static PortForward configPort(String field, PortForward.Protocol protocol, String text) {
    try {
      return PortForward.parse(protocol, text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("RunConfig." + field + ": " + e.getMessage(), e);
    }
  }

  /** Forwards one host port to the guest; a forward already there is not added twice (ops merges so). */
  public NanosRun addPort(PortForward port) {
    if (!ports.contains(Objects.requireNonNull(port))) {
      ports.add(port);
    }
    return this;
  }

  /** Replaces the forwarded ports. */
  public NanosRun setPorts(List<PortForward> ports) {
    this.ports.clear();
    this.ports.addAll(ports);
    return this;
  }

  /**
   * Guest memory as QEMU reads it: a number of MiB, or a number with {@code K}, {@code M}, {@code G} or
   * {@code T}. Default {@code 2G}, as ops.
   *
   * @throws IllegalArgumentException if it is not such a size
   */
  public NanosRun setMemory(String memory) {
    Matcher m = MEMORY.matcher(memory);
    if (!m.matches() || memoryMib(m) == 0) {
      throw new IllegalArgumentException("memory '" + memory + "': expected a size such as 512M or 2G");
    }
    this.memory = memory;
    return this;
  }

  /** Virtual CPUs; 0 (the default) leaves QEMU's default of one. */
  public NanosRun setCpus(int cpus) {
    if (cpus < 0 || cpus > 1024) {
      throw new IllegalArgumentException("cpus " + cpus + ": expected 1 to 1024");
    }
    this.cpus = cpus;
    return this;
  }

  public NanosRun setAccelerator(Accelerator accelerator) {
    this.accelerator = Objects.requireNonNull(accelerator);
    return this;
  }

  /** Boots through UEFI firmware (the image needs an EFI system partition) instead of the BIOS boot sector or the kernel. */
  public NanosRun setUefi(boolean uefi) {
    this.uefi = uefi;
    return this;
  }

  /** The UEFI firmware file; null (the default) searches the places distributions install it. Implies UEFI boot. */
  public NanosRun setFirmware(Path firmware) {
    this.firmware = firmware;
    if (firmware != null) {
      uefi = true;
    }
    return this;
  }

  /**
   * The kernel an arm64 image boots directly without UEFI; null (the default) takes the image's own
   * from its boot filesystem. x86-64 images boot from their disk and ignore it.
   */
  public NanosRun setKernel(Path kernel) {
    this.kernel = kernel;
    return this;
  }

  /** Leaves the image untouched: the guest's writes go to a temporary overlay. */
  public NanosRun setSnapshot(boolean snapshot) {
    this.snapshot = snapshot;
    return this;
  }

  /** Words appended to QEMU's command line as they are. */
  public NanosRun addQemuArguments(List<String> words) {
    qemuArguments.addAll(words);
    return this;
  }

  /**
   * The environment QEMU runs with; its {@code PATH} is where QEMU is looked for. Default: this
   * process's.
   */
  public NanosRun setEnvironment(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
    return this;
  }

  /** The KVM device whose read and write access decides {@link Accelerator#AUTO}; default {@code /dev/kvm}. */
  public NanosRun setKvmDevice(Path device) {
    this.kvmDevice = Objects.requireNonNull(device);
    return this;
  }

  /** The directory the firmware search starts from; default {@code /}. */
  public NanosRun setFirmwareSearchRoot(Path root) {
    this.firmwareRoot = Objects.requireNonNull(root);
    return this;
  }

  /** Where a kernel taken from the image is written for the run; default {@code java.io.tmpdir}. */
  public NanosRun setScratchDirectory(Path dir) {
    this.scratchDirectory = Objects.requireNonNull(dir);
    return this;
  }

  /** The host's architecture ({@code amd64}, {@code arm64}); default this JVM's. KVM needs it to match the image's. */
  public NanosRun setHostArchitecture(String architecture) {
    this.hostArchitecture = Objects.requireNonNull(architecture);
    return this;
  }

  /**
   * Where QEMU's own messages (its standard error) are copied; reading them lets {@link RunExit} tell a
   * QEMU failure from a program's status 0. Null (the default): QEMU writes to this process's standard
   * error directly.
   */
  public NanosRun setQemuErrorOutput(OutputStream out) {
    this.qemuErrorOutput = out;
    return this;
  }

  /**
   * Reads the image and settles the run: emulator, accelerator, firmware, the QEMU command line.
   * Writes nothing.
   *
   * @throws RunSetupException if the image cannot boot as asked, KVM was asked for and is not usable,
   *     or UEFI firmware is needed and not found
   * @throws java.nio.file.NoSuchFileException if the image is not there
   */
  public RunPlan plan() throws IOException {
    ImageFacts facts = ImageFacts.read(image);
    if (!facts.partitioned()) {
      throw new RunSetupException(RunSetupException.Condition.NOT_BOOTABLE,
          image + ": a bare TFS volume (no partition table), not a bootable disk image");
    }
    String arch = facts.architecture();
    String accel = accelerator(arch);
    Optional<Path> fw = Optional.empty();
    if (uefi) {
      if (!facts.efiSystemPartition()) {
        throw new RunSetupException(RunSetupException.Condition.NOT_BOOTABLE,
            image + ": no EFI system partition (built without a UEFI loader), so it cannot boot through UEFI");
      }
      if (firmware != null) {
        if (!Files.isRegularFile(firmware)) {
          throw new java.nio.file.NoSuchFileException(firmware.toString(), null, "no such firmware file");
        }
        fw = Optional.of(firmware);
      } else {
        fw = new FirmwareSearch(firmwareRoot).find(arch);
        if (fw.isEmpty()) {
          throw new RunSetupException(RunSetupException.Condition.FIRMWARE_NOT_FOUND,
              "no UEFI firmware for " + arch + " where Debian, Fedora, Arch or Homebrew install it (first place looked: "
                  + FirmwareSearch.candidates(arch).get(0) + "); install the Debian package "
                  + FirmwareSearch.debianPackage(arch),
              FirmwareSearch.debianPackage(arch));
        }
      }
    }
    Optional<Path> bootKernel = Optional.empty();
    Optional<Path> fromImage = Optional.empty();
    if (ImageFacts.ARM64.equals(arch) && !uefi) {
      if (kernel != null) {
        bootKernel = Optional.of(kernel);
      } else if (facts.kernelInBootFilesystem()) {
        fromImage = Optional.of(scratchDirectory.resolve("nanokit-" + image.getFileName() + ".kernel"));
        bootKernel = fromImage;
      } else {
        throw new RunSetupException(RunSetupException.Condition.NOT_BOOTABLE,
            image + ": an arm64 image without a kernel in its boot filesystem boots only through UEFI");
      }
    }
    List<String> words = new QemuCommandLine(arch, accel, image, snapshot, memory, cpus, ports, fw, bootKernel,
        qemuArguments).words();
    return new RunPlan(words, arch, accel, fw, fromImage, facts.debugExit(), facts.biosBootCode());
  }

  private String accelerator(String arch) throws RunSetupException {
    boolean usable = arch.equals(hostArchitecture) && Files.isReadable(kvmDevice) && Files.isWritable(kvmDevice);
    switch (accelerator) {
      case TCG:
        return "tcg";
      case KVM:
        if (!usable) {
          throw new RunSetupException(RunSetupException.Condition.KVM_UNAVAILABLE, !arch.equals(hostArchitecture)
              ? "KVM cannot run an " + arch + " image on this " + hostArchitecture + " host"
              : kvmDevice + " cannot be opened for reading and writing (missing, or the user is not in its group)");
        }
        return "kvm";
      default:
        return usable ? "kvm" : "tcg";
    }
  }

  /**
   * Starts QEMU. Its standard input and output are this process's (the VM's serial console).
   *
   * @throws RunSetupException with {@link RunSetupException.Condition#QEMU_NOT_FOUND} when the emulator
   *     is not on the {@code PATH}, and as {@link #plan()}
   */
  public NanosVm start() throws IOException {
    RunPlan plan = plan();
    Map<String, String> env = environment != null ? environment : System.getenv();
    String name = plan.command().get(0);
    Path binary = findOnPath(name, env.getOrDefault("PATH", ""))
        .orElseThrow(() -> new RunSetupException(RunSetupException.Condition.QEMU_NOT_FOUND,
            name + " is not installed (not found on PATH); install the Debian package "
                + QemuCommandLine.debianPackage(plan.architecture()),
            QemuCommandLine.debianPackage(plan.architecture())));
    if (plan.kernelFromImage().isPresent()) {
      ImageFacts.extractKernel(image, plan.kernelFromImage().get());
    }
    List<String> command = new ArrayList<>(plan.command());
    command.set(0, binary.toString());
    ProcessBuilder pb = new ProcessBuilder(command)
        .redirectInput(ProcessBuilder.Redirect.INHERIT)
        .redirectOutput(ProcessBuilder.Redirect.INHERIT)
        .redirectError(qemuErrorOutput == null ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.PIPE);
    if (environment != null) {
      pb.environment().clear();
      pb.environment().putAll(environment);
    }
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      plan.kernelFromImage().ifPresent(k -> k.toFile().delete());
      throw new IOException(binary + ": cannot start: " + e.getMessage(), e);
    }
    return new NanosVm(p, name, plan.architecture(), plan.kernelFromImage(), qemuErrorOutput);
  }

  /**
   * Writes a Firecracker VM configuration for the image to {@code json}, and the image's kernel (from
   * its boot filesystem, unless {@link #setKernel} named one) beside it as {@code NAME.kernel} for
   * {@code json} {@code NAME.json}. Memory and CPUs come from the settings; a network interface on
   * tap device {@code tap0} is added when ports are forwarded. Returns the kernel path the
   * configuration names.
   */
  public Path writeFirecrackerConfig(Path json) throws IOException {
    ImageFacts facts = ImageFacts.read(image);
    if (!facts.partitioned()) {
      throw new RunSetupException(RunSetupException.Condition.NOT_BOOTABLE,
          image + ": a bare TFS volume (no partition table), not a bootable disk image");
    }
    Path k;
    if (kernel != null) {
      k = kernel.toAbsolutePath();
    } else {
      if (!facts.kernelInBootFilesystem()) {
        throw new RunSetupException(RunSetupException.Condition.NOT_BOOTABLE, image + ": no /kernel in the boot filesystem");
      }
      String stem = json.getFileName().toString().replaceFirst("\\.json$", "");
      k = json.toAbsolutePath().resolveSibling(stem + ".kernel");
      ImageFacts.extractKernel(image, k);
    }
    Matcher m = MEMORY.matcher(memory);
    m.matches();
    FirecrackerConfig config = new FirecrackerConfig(k, image.toAbsolutePath(), Math.max(cpus, 1), memoryMib(m),
        ports.isEmpty() ? null : "tap0");
    Files.writeString(json, config.json(), StandardCharsets.UTF_8);
    return k;
  }

  /** MiB of a matched memory size, rounded up; QEMU reads a bare number as MiB. */
  private static long memoryMib(Matcher m) {
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2).toUpperCase(Locale.ROOT)) {
      case "K" -> (n + 1023) / 1024;
      case "G" -> n * 1024;
      case "T" -> n * 1024 * 1024;
      default -> n;
    };
  }

  private static Optional<Path> findOnPath(String name, String path) {
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path p = Path.of(dir, name);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  static String hostArchitecture(String osArch) {
    return switch (osArch) {
      case "aarch64", "arm64" -> "arm64";
      case "amd64", "x86_64" -> "amd64";
      default -> osArch;
    };
  }
}
