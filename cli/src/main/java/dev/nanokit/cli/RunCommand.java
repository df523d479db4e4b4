package dev.nanokit.cli;

import dev.nanokit.core.NanosRun;
import dev.nanokit.core.NanosVm;
import dev.nanokit.core.OpsConfig;
import dev.nanokit.core.PortForward;
import dev.nanokit.core.RunExit;
import dev.nanokit.core.RunPlan;
import dev.nanokit.core.RunSetupException;
import dev.nanokit.core.ops.OpsConfigReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code nanokit run}: start a Nanos image under QEMU (docs/cli). The VM's console is this process's
 * standard input and output; nanokit's own lines go to stderr, prefixed.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    versionProvider = CommandRunner.Version.class,
    sortOptions = false,
    description = {
      "Run a Nanos disk image under QEMU, as ops run does.",
      "The image gets a virtio disk, the serial console on this terminal and user-mode networking with the "
          + "forwarded ports, on qemu-system-x86_64, or qemu-system-aarch64 for an arm64 image. The program's exit "
          + "status becomes this command's (when the image has debug_exit); Ctrl-C stops the VM (exit status 130). "
          + "nanokit's own lines go to stderr, prefixed 'nanokit:'."
    })
final class RunCommand implements Callable<Integer> {
  /** Exit status after Ctrl-C, as a shell reports a command ended by SIGINT. */
  static final int INTERRUPTED = 130;

  @Parameters(index = "0", paramLabel = "IMAGE", description = "The disk image (mkimage's output).")
  Path image;

  @Option(names = {"-p", "--port"}, paramLabel = "PORT[:GUEST]",
      description = "Forward TCP port PORT of the host to GUEST (default the same) in the VM; repeatable, or several "
          + "separated by commas; added to the configuration's Ports, as ops does.")
  List<String> ports = new ArrayList<>();

  @Option(names = "--udp-port", paramLabel = "PORT[:GUEST]", description = "Forward a UDP port, as --port does TCP.")
  List<String> udpPorts = new ArrayList<>();

  @Option(names = {"-m", "--memory"}, paramLabel = "SIZE", description = "Guest memory, e.g. 512M or 2G (default 2G).")
  String memory;

  @Option(names = "--smp", paramLabel = "N", description = "Virtual CPUs (default 1).")
  Integer smp;

  @Option(names = "--accel", paramLabel = "auto|kvm|tcg",
      description = "Accelerator: kvm, tcg (emulation), or auto (default): KVM when /dev/kvm is usable, else TCG.")
  NanosRun.Accelerator accel;

  @Option(names = "--uefi", description = "Boot through UEFI firmware (the image needs a UEFI loader).")
  boolean uefi;

  @Option(names = "--firmware", paramLabel = "FILE",
      description = "UEFI firmware (implies --uefi); default: the first found where Debian, Fedora, Arch or Homebrew install it.")
  Path firmware;

  @Option(names = "--kernel", paramLabel = "FILE",
      description = "Kernel an arm64 image boots directly (default: the image's own /kernel).")
  Path kernel;

  @Option(names = "--snapshot", description = "Leave the image untouched: the VM's writes are discarded.")
  boolean snapshot;

  @Option(names = "--qemu-arg", paramLabel = "WORD", description = "Add a word to QEMU's command line (repeatable).")
  List<String> qemuArgs = new ArrayList<>();

  @Option(names = {"-c", "--config"}, paramLabel = "CONFIG.json",
      description = "An ops configuration: RunConfig's Ports, UDPPorts, Memory, CPUs and Accel; -m, --smp and --accel win.")
  Path config;

  @Option(names = "--dry-run", description = "Start nothing; print the QEMU command line, shell-quoted.")
  boolean dryRun;

  @Option(names = "--firecracker-config", paramLabel = "OUT.json",
      description = "Start nothing; write a Firecracker VM configuration to OUT.json and the image's kernel beside it (OUT.kernel).")
  Path firecrackerConfig;

  @Spec CommandSpec spec;

  @picocli.CommandLine.ParentCommand NanokitCommand parent;

  /** The process environment (PATH to find QEMU), when there is no parent command to give it. */
  Map<String, String> processEnvironment = System.getenv();

  /** Prefix of this command's lines: {@code nanokit}, or {@code mkimage} for {@code mkimage --run}. */
  String name = "nanokit";

  /** The configuration mkimage read, for {@code mkimage --run}; null reads {@code -c}. */
  OpsConfig givenConfig;

  /** Test hook: the KVM device {@code --accel auto} looks at. */
  Path kvmDevice;

  @Override
  public Integer call() throws IOException {
    if (parent != null) {
      processEnvironment = parent.processEnvironment;
      kvmDevice = parent.kvmDevice;
    }
    PrintWriter err = spec.commandLine().getErr();
    NanosRun run = NanosRun.of(image).setEnvironment(processEnvironment);
    if (kvmDevice != null) {
      run.setKvmDevice(kvmDevice);
    }
    OpsConfig cfg = givenConfig;
    if (config != null) {
      OpsConfigReader.Result read = new OpsConfigReader().withEnvironment(processEnvironment).read(config);
      read.warnings().forEach(w -> err.println(name + ": warning: " + w));
      cfg = read.config();
    }
    if (cfg != null) {
      try {
        run.applyConfig(cfg);
      } catch (IllegalArgumentException e) {
        throw new CliFailure((config != null ? config + ": " : "") + e.getMessage());
      }
    }
    try {
      // As ops run: ports from options are added to the configuration's, a comma separating several.
      for (String p : ports) {
        for (String one : p.split(",", -1)) {
          run.addPort(PortForward.parse(PortForward.Protocol.TCP, one));
        }
      }
      for (String p : udpPorts) {
        for (String one : p.split(",", -1)) {
          run.addPort(PortForward.parse(PortForward.Protocol.UDP, one));
        }
      }
      if (memory != null) {
        run.setMemory(memory);
      }
      if (smp != null) {
        run.setCpus(smp);
      }
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    if (accel != null) {
      run.setAccelerator(accel);
    }
    run.setUefi(uefi).setFirmware(firmware).setKernel(kernel).setSnapshot(snapshot).addQemuArguments(qemuArgs);
    try {
      if (firecrackerConfig != null) {
        Path k = run.writeFirecrackerConfig(firecrackerConfig);
        err.println(name + ": wrote " + firecrackerConfig + " (kernel " + k + ")");
        if (!ports.isEmpty() || !udpPorts.isEmpty() || (cfg != null && !cfg.runConfig().ports().isEmpty())) {
          err.println(name + ": note: Firecracker has no user-mode network: the VM's interface is tap device tap0; "
              + "forward the ports to it on the host");
        }
        return 0;
      }
      RunPlan plan = run.plan();
      notes(plan, err);
      if (dryRun) {
        PrintWriter out = spec.commandLine().getOut();
        out.println(ShellWords.join(plan.command()));
        out.flush();
        return 0;
      }
      return start(run, plan, err);
    } catch (RunSetupException e) {
      throw new CliFailure(e.getMessage() + hint(e), e);
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // Shutting down already (a signal): the hook stops what is left, the JVM ends with status 130.
    }
  }

  private String hint(RunSetupException e) {
    return switch (e.condition()) {
      case FIRMWARE_NOT_FOUND -> ", or give --firmware FILE";
      case KVM_UNAVAILABLE -> "; --accel tcg runs without it";
      default -> "";
    };
  }

  private void notes(RunPlan plan, PrintWriter err) {
    if (!plan.reportsExitStatus()) {
      err.println(name + ": note: " + image + " has no debug_exit in its root tuple: the VM powers off without the "
          + "program's exit status (mkimage --set debug_exit=t keeps it)");
    }
    if (plan.architecture().equals("amd64") && plan.firmware().isEmpty() && !plan.biosBootable()) {
      err.println(name + ": note: " + image + " has no BIOS boot code (built without boot.img): it boots only "
          + "through UEFI (--uefi)");
    }
    if (accel == null && plan.accelerator().equals("tcg")) {
      err.println(name + ": note: KVM is not usable here; QEMU emulates the CPU (slower)");
    }
  }

  private int start(NanosRun run, RunPlan plan, PrintWriter err) throws IOException {
    err.flush();
    FileOutputStream stderr = new FileOutputStream(FileDescriptor.err);
    run.setQemuErrorOutput(stderr);
    // Ctrl-C reaches this JVM (and QEMU, in the same process group at a terminal): the hook stops the VM,
    // then the JVM ends with status 130. The hook exists before QEMU does, and waits for a start under way,
    // so no signal leaves a QEMU behind.
    Object lock = new Object();
    NanosVm[] started = {null};
    boolean[] signalled = {false};
    AtomicBoolean reported = new AtomicBoolean();
    Thread hook = new Thread(() -> {
      NanosVm running;
      synchronized (lock) {
        signalled[0] = true;
        running = started[0];
      }
      if (reported.compareAndSet(false, true)) {
        err.println(name + ": interrupted" + (running != null ? "; stopping the VM" : ""));
      }
      if (running != null) {
        running.stop();
      }
    }, "nanokit-stop-vm");
    Runtime.getRuntime().addShutdownHook(hook);
    NanosVm vm;
    synchronized (lock) {
      if (signalled[0]) {
        return INTERRUPTED;
      }
      try {
        vm = run.start();
      } catch (IOException | RuntimeException e) {
        removeHook(hook);
        throw e;
      }
      started[0] = vm;
    }
    RunExit exit;
    try {
      exit = vm.waitFor();
    } catch (InterruptedException e) {
      vm.stop();
      Thread.currentThread().interrupt();
      return INTERRUPTED;
    }
    removeHook(hook);
    String qemu = vm.binaryName();
    switch (exit.kind()) {
      case STOPPED:
        // QEMU got the terminal's SIGINT too and ended first.
        if (reported.compareAndSet(false, true)) {
          err.println(name + ": interrupted; the VM stopped");
        }
        return INTERRUPTED;
      case QEMU_FAILED:
        // A host whose KVM QEMU cannot use (nested virtualisation, CPU features) fails at start.
        err.println(name + ": " + qemu + " failed (exit status " + exit.qemuStatus() + ")"
            + (plan.accelerator().equals("kvm") ? "; --accel tcg runs it without KVM" : ""));
        return 1;
      case KERNEL_FAULT:
        err.println(name + ": the kernel stopped on a fault it could not handle (status " + exit.status() + ")");
        return exit.status();
      case KERNEL_HALTED:
        err.println(name + ": the kernel halted (status " + exit.status() + ")");
        return exit.status();
      default:
        return exit.status();
    }
  }
}
