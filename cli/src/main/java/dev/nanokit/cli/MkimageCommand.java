package dev.nanokit.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mkimage}: build a Nanos disk image (cli.md). */
@Command(
    name = "mkimage",
    mixinStandardHelpOptions = true,
    versionProvider = CommandRunner.Version.class,
    sortOptions = false,
    description = {"Build a bootable Nanos disk image from a program, an ops config.json or an ops package.",
        "The same inputs always produce a byte-identical image; --uuid or SOURCE_DATE_EPOCH pin what",
        "would otherwise be derived."})
final class MkimageCommand implements Callable<Integer> {
  @Option(names = "--program", paramLabel = "PATH", description = "Host path of the ELF executable to run.")
  Path program;

  @Option(names = {"-c", "--config"}, paramLabel = "CONFIG.json", description = "An ops configuration file.")
  Path config;

  @Option(names = "--package", paramLabel = "PKG", description = "An ops package directory or .tar.gz.")
  Path pkg;

  @Option(names = "--arg", paramLabel = "A", description = "Program argument (repeatable).")
  List<String> arguments = new ArrayList<>();

  @Option(names = "--env", paramLabel = "K=V", description = "Environment variable (repeatable).")
  List<String> environment = new ArrayList<>();

  @Option(names = "--file", paramLabel = "HOST[:IMAGEPATH]", description = "Add a host file (repeatable).")
  List<String> files = new ArrayList<>();

  @Option(names = "--dir", paramLabel = "HOST[:IMAGEPATH]", description = "Add a host directory tree (repeatable).")
  List<String> dirs = new ArrayList<>();

  @Option(names = "--target-root", paramLabel = "DIR", description = "Sysroot for the program and its libraries.")
  Path targetRoot;

  @Option(names = "--kernel", paramLabel = "FILE", description = "Nanos kernel image.")
  Path kernel;

  @Option(names = "--boot", paramLabel = "FILE", description = "BIOS boot image (boot.img).")
  Path boot;

  @Option(names = "--uefi", paramLabel = "FILE", description = "UEFI loader (bootx64.efi or bootaa64.efi).")
  Path uefi;

  @Option(names = "--klib", paramLabel = "NAME", description = "Kernel library to add (repeatable).")
  List<String> klibs = new ArrayList<>();

  @Option(names = "--klib-dir", paramLabel = "DIR", description = "Directory holding the klibs.")
  Path klibDir;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Set a root-tuple key to a manifest value (repeatable).")
  List<String> settings = new ArrayList<>();

  @Option(names = "--size", paramLabel = "N", description = "Image size (N, Nk, Nm, Ng).")
  String size;

  @Option(names = "--label", paramLabel = "L", description = "Root filesystem label.")
  String label;

  @Option(names = "--uuid", paramLabel = "U", description = "Root filesystem UUID.")
  String uuid;

  @Option(names = "--no-boot", description = "Write only the root filesystem, as a bare TFS volume.")
  boolean noBoot;

  @Option(names = "--dry-run", description = "Write nothing; print the planned content.")
  boolean dryRun;

  @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "Output image path.")
  Path output;

  @Option(names = "--stacktrace", description = "Print the stack trace of a failure.")
  boolean stacktrace;

  @Override
  public Integer call() {
    throw new CliFailure("building images is not available in this version yet");
  }
}
