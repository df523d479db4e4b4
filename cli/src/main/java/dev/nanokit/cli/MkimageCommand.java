package dev.nanokit.cli;

import dev.nanokit.core.ImagePlan;
import dev.nanokit.core.ImageResult;
import dev.nanokit.core.ImageSource;
import dev.nanokit.core.MissingReleaseFileException;
import dev.nanokit.core.NanosImage;
import dev.nanokit.core.NanosRelease;
import dev.nanokit.core.NanosReleaseFetcher;
import dev.nanokit.core.WarningEvent;
import dev.nanokit.core.OpsConfig;
import dev.nanokit.core.ProgressEvent;
import dev.nanokit.core.ops.OpsConfigReader;
import dev.nanokit.core.ops.OpsSize;
import dev.nanokit.manifest.ManifestParser;
import dev.nanokit.tfs.ImagePath;
import java.io.IOException;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.UUID;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mkimage}: build a Nanos disk image (docs/cli). */
@Command(
    name = "mkimage",
    mixinStandardHelpOptions = true,
    versionProvider = CommandRunner.Version.class,
    sortOptions = false,
    description = "Build a bootable Nanos disk image from a program, an ops config.json, an ops package "
        + "or a container image. The same inputs always produce a byte-identical image; --uuid or SOURCE_DATE_EPOCH "
        + "pin what would otherwise be derived.")
final class MkimageCommand implements Callable<Integer> {
  @Option(names = "--program", paramLabel = "PATH", description = "Host path of the ELF executable to run.")
  Path program;

  @Mixin JavaOptions java;

  @Option(names = "--max-archive-expansion", paramLabel = "N",
      description = "Let a package archive, or each gzipped layer of a container image, expand to N bytes (N, Nk,"
          + " Nm or Ng); default 1000 times its size, at least 64m, at most 16g.")
  String maxArchiveExpansion;

  @Option(names = {"-c", "--config"}, paramLabel = "CONFIG.json", description = "An ops configuration file.")
  Path config;

  @Option(names = "--package", paramLabel = "PKG", description = "An ops package directory or .tar.gz, or [namespace/]name:version in the local ops "
      + "package cache (~/.ops/packages/<arch>/); nothing is downloaded.")
  String pkg;

  @Option(names = "--from-oci", paramLabel = "IMAGE", description = "A container image as the target root: a docker save tarball or an OCI image "
      + "layout (directory or tar). Its Entrypoint/Cmd, Env and WorkingDir give program, arguments, environment "
      + "and cwd unless flags say otherwise; --program may be a path in the image or a name on its PATH.")
  Path fromOci;

  @Option(names = "--whole-image", description = "With --from-oci: copy the whole image filesystem, not only the program and its libraries.")
  boolean wholeImage;

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

  @Option(names = "--nanos-version", paramLabel = "V", description = "Nanos release from the ops cache (~/.ops/V/: kernel.img, boot.img, "
      + "bootx64.efi, klibs/); no download.")
  String nanosVersion;

  @Option(names = "--fetch-nanos", paramLabel = "V", description = "Download Nanos release V into the ops cache (~/.ops/V/) unless it is "
      + "there, then build with it; alone, only fetch. The only option that uses the network.")
  String fetchNanos;

  @Option(names = "--nanos-base-url", paramLabel = "URL", description = "Base URL of Nanos releases (default: $" + NANOS_BASE_URL_ENV
      + ", else " + "https://storage.googleapis.com/nanos/release/" + ").")
  String nanosBaseUrl;

  @Option(names = "--nanos-sha256", paramLabel = "HEX", description = "Expected SHA-256 of the release tarball.")
  String nanosSha256;

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

  @Option(names = "--no-runtime", description = "Add only the program's own libraries: no interpreter runtime "
      + "(Python's standard library, a JDK's runtime image), no libraries of other ELF files in the image.")
  boolean noRuntime;

  @Option(names = "--json", description = "With --dry-run: print the plan as one JSON document (entries with their "
      + "source, root tuple, notes, warnings).")
  boolean json;

  @Option(names = "--dry-run", description = "Write nothing; print the planned content.")
  boolean dryRun;

  @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "Output image path.")
  Path output;

  @Option(names = "--stacktrace", description = "Print the stack trace of a failure.")
  boolean stacktrace;

  @Option(names = "--run", arity = "0..*", paramLabel = "RUN OPTION", parameterConsumer = RunAfterBuild.Rest.class,
      description = "Then run the image as nanokit run does; every word after --run is a nanokit run option "
          + "(-p 8080, --snapshot, ...). -c CONFIG.json applies to both.")
  List<String> run;

  /** Environment variable overriding the release base URL. */
  static final String NANOS_BASE_URL_ENV = "NANOKIT_NANOS_BASE_URL";

  @Spec CommandSpec spec;

  /** The process environment; tests give their own. */
  Map<String, String> processEnvironment = System.getenv();

  /** The user's home directory (ops cache under it); null: {@code $HOME} as ops has it. Tests give their own. */
  Path userHome;

  @Override
  public Integer call() throws IOException {
    if (json && !dryRun) {
      throw new ParameterException(spec.commandLine(), "--json prints the plan of a --dry-run; give both");
    }
    OpsConfigReader.Result read = config == null ? null : new OpsConfigReader().withEnvironment(processEnvironment).read(config);
    OpsConfig cfg = read == null ? OpsConfig.empty() : read.config();
    if (read != null) {
      read.warnings().forEach(w -> spec.commandLine().getErr().println("mkimage: warning: " + w));
    }
    if (fetchNanos != null) {
      if (nanosVersion != null && !nanosVersion.equals(fetchNanos)) {
        throw new ParameterException(spec.commandLine(), "--fetch-nanos " + fetchNanos + " and --nanos-version "
            + nanosVersion + " name different releases");
      }
      nanosVersion = fetchNanos;
      if (pkg == null && fromOci == null && program == null && java.jar == null && cfg.program().isEmpty()) {
        fetch("aarch64".equals(System.getProperty("os.arch")) ? "arm64" : "amd64");
        return 0;
      }
    }
    if (java.jar != null) {
      return buildJava(cfg);
    } else if (java.withoutJar() != null) {
      throw new ParameterException(spec.commandLine(), java.withoutJar() + " needs --java JAR");
    }
    if (pkg == null && fromOci == null && program == null && cfg.program().isEmpty() && config != null) {
      // The config was meant to say what to run ("Program": null or ""): a bad input file, not usage.
      throw new CliFailure(config + ": no Program (null, empty or missing); give one there or --program PATH");
    }
    if (pkg == null && fromOci == null && program == null && cfg.program().isEmpty()) {
      throw new ParameterException(spec.commandLine(),
          "give --program PATH, -c CONFIG.json with a Program, --package PKG or --from-oci IMAGE");
    }
    if (pkg != null && fromOci != null) {
      throw new ParameterException(spec.commandLine(), "give --package or --from-oci, not both");
    }
    if (fromOci != null && targetRoot != null) {
      throw new ParameterException(spec.commandLine(), "--from-oci IMAGE is the target root; drop --target-root");
    }
    if (wholeImage && fromOci == null) {
      throw new ParameterException(spec.commandLine(), "--whole-image needs --from-oci");
    }
    ImageSource source;
    if (pkg != null) {
      // The program may come from the package manifest.
      source = program != null ? ImageSource.opsPackage(pkg).withProgram(program.toString()) : ImageSource.opsPackage(pkg);
    } else if (fromOci != null) {
      ImageSource.ContainerImage image = ImageSource.containerImage(fromOci);
      image = program != null ? image.withProgram(program.toString()) : image;
      source = wholeImage ? image.withWholeFilesystem() : image;
    } else if (program != null) {
      source = ImageSource.program(program).withArgv0(program.toString());
    } else {
      source = ImageSource.configuredProgram();
    }
    if (run != null && noBoot) {
      throw new ParameterException(spec.commandLine(), "--run needs a bootable image; drop --no-boot");
    }
    int built;
    try (NanosImage b = NanosImage.from(source)) {
      b.setConfig(cfg).setEnvironment(processEnvironment).setUserHome(userHome).setNanosVersion(nanosVersion);
      if (fetchNanos != null) {
        fetch(b.architecture()); // the release for the program's machine, as ops picks V or V-arm
      }
      built = build(b, cfg);
    } catch (MissingReleaseFileException e) {
      throw new CliFailure(outputName(cfg) + ": " + e.getMessage() + hint(e), e);
    }
    if (built != 0 || run == null || dryRun) {
      return built;
    }
    return RunAfterBuild.run(spec.commandLine(), outputName(cfg), cfg, run, processEnvironment);
  }

  /** {@code --java JAR}: the application's image, then what every build does. */
  private int buildJava(OpsConfig cfg) throws IOException {
    if (program != null || pkg != null || fromOci != null || targetRoot != null) {
      throw new ParameterException(spec.commandLine(), "--java JAR runs the jar on its own Java runtime; drop "
          + (program != null ? "--program" : pkg != null ? "--package" : fromOci != null ? "--from-oci" : "--target-root"));
    }
    dev.nanokit.core.JavaImage javaImage;
    try {
      javaImage = java.image();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    if (Progress.stderrIsTerminal()) {
      javaImage.addEventHandler(ProgressEvent.class, e -> {
        if (e.isStart() && e.phase().equals("jlink")) {
          System.err.print("\rmkimage: linking a Java runtime        ");
        }
      });
    }
    try (javaImage; NanosImage b = javaImage.nanosImage()) {
      b.setConfig(cfg).setEnvironment(processEnvironment).setUserHome(userHome).setNanosVersion(nanosVersion);
      if (fetchNanos != null) {
        fetch(b.architecture());
      }
      return build(b, cfg);
    } catch (MissingReleaseFileException e) {
      throw new CliFailure(outputName(cfg) + ": " + e.getMessage() + hint(e), e);
    }
  }

  /** What the user can do about a missing release file, in this command's flags. */
  private String hint(MissingReleaseFileException e) {
    return switch (e.file()) {
      case KERNEL -> e.version().isPresent()
          ? ": fetch it with mkimage --fetch-nanos " + e.version().get() + ", or give --kernel FILE"
          : ": give --kernel FILE, set NANOS_HOME to a release directory, or install a release with mkimage "
              + "--fetch-nanos V; or use --no-boot";
      case UEFI_LOADER -> ": give --uefi FILE";
      case KLIB -> " (give --klib-dir)";
    };
  }

  private int build(NanosImage b, OpsConfig cfg) throws IOException {
    b.setRuntimeSupport(!noRuntime);
    b.addEventHandler(WarningEvent.class, w -> spec.commandLine().getErr().println("mkimage: warning: " + w.message()));
    try {
      if (!arguments.isEmpty()) {
        b.addArguments(arguments.toArray(new String[0]));
      }
      for (String kv : environment) {
        int eq = kv.indexOf('=');
        if (eq <= 0) {
          throw new ParameterException(spec.commandLine(), "--env expects K=V, not '" + kv + "'");
        }
        b.putEnvironment(kv.substring(0, eq), kv.substring(eq + 1));
      }
      for (String f : files) {
        String image = imagePart("--file", f);
        if (image == null) {
          b.addFile(Path.of(f));
        } else {
          b.addFile(Path.of(hostPart(f)), ImagePath.clean(image));
        }
      }
      for (String d : dirs) {
        String image = imagePart("--dir", d);
        if (image == null) {
          b.addDirectory(Path.of(d));
        } else {
          b.addDirectory(Path.of(hostPart(d)), ImagePath.clean(image));
        }
      }
      for (String kv : settings) {
        int eq = kv.indexOf('=');
        if (eq <= 0) {
          throw new ParameterException(spec.commandLine(), "--set expects KEY=VALUE, not '" + kv + "'");
        }
        b.set(kv.substring(0, eq), new ManifestParser().parseValue(kv.substring(eq + 1), "--set " + kv.substring(0, eq)));
      }
      if (size != null) {
        b.setSize(OpsSize.parse("--size", size));
      }
      if (maxArchiveExpansion != null) {
        b.setMaxArchiveExpansion(OpsSize.parse("--max-archive-expansion", maxArchiveExpansion));
      }
      if (uuid != null) {
        b.setUuid(UUID.fromString(uuid));
      }
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    klibs.forEach(b::addKlib);
    b.setTargetRoot(targetRoot);
    if (kernel != null || boot != null || uefi != null || klibDir != null) {
      b.setRelease(NanosRelease.of(kernel, boot, uefi, klibDir));
    }
    if (label != null) {
      b.setLabel(label);
    }
    Path out = outputName(cfg);
    b.setImageName(out.getFileName().toString().replaceFirst("\\.img$", ""));
    // Archives unpack into a directory removed when the build ends, or when the JVM is told to stop.
    try (ScratchDirectory scratch = pkg != null || fromOci != null ? ScratchDirectory.create() : null) {
      if (scratch != null) {
        b.setScratchDirectory(scratch.path());
      }
      if (dryRun) {
        ImagePlan plan = b.plan();
        spec.commandLine().getOut().print(json ? DryRun.json(plan) : DryRun.text(plan));
        spec.commandLine().getOut().flush();
        if (!json) {
          plan.notes().forEach(n -> spec.commandLine().getErr().println("mkimage: note: " + n));
        }
        return 0;
      }
      boolean terminal = Progress.stderrIsTerminal();
      TerminalImageProgress bar = terminal ? new TerminalImageProgress(System.err) : null;
      if (bar != null) {
        b.addEventHandler(ProgressEvent.class, bar);
      }
      long started = System.nanoTime();
      try {
        ImageResult result = noBoot ? b.writeVolumeTo(out) : b.writeTo(out);
        if (bar != null) {
          bar.close();
          // One line that says what was made, for a person watching; nothing on a pipe.
          spec.commandLine().getErr().printf("mkimage: wrote %s: %d bytes, %d entries, %.1f s%n", result.path(),
              result.size(), b.plan().entries().size(), (System.nanoTime() - started) / 1e9);
        }
      } catch (NoSuchFileException | MissingReleaseFileException e) {
        throw e;
      } catch (IOException e) {
        String hint = String.valueOf(e.getMessage()).contains("the limit for this archive")
            ? "; --max-archive-expansion raises it" : "";
        throw new CliFailure(out + ": " + CommandRunner.describe(e) + hint, e);
      } finally {
        if (bar != null) {
          bar.close();
        }
      }
    }
    return 0;
  }

  /** Fetches release {@link #fetchNanos} for {@code arch} ({@code amd64} or {@code arm64}) into the ops cache. */
  private void fetch(String arch) throws IOException {
    NanosReleaseFetcher fetcher = NanosReleaseFetcher.create()
        .setOpsHome(NanosReleaseFetcher.opsHome(processEnvironment, userHome));
    try {
      String base = nanosBaseUrl != null ? nanosBaseUrl : processEnvironment.get(NANOS_BASE_URL_ENV);
      if (base != null && !base.isEmpty()) {
        fetcher.setBaseUri(URI.create(base));
      }
      if (nanosSha256 != null) {
        fetcher.setSha256(nanosSha256);
      }
      fetcher.setArchitecture(arch);
      fetcher.releaseUri(fetchNanos);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    TerminalDownloadProgress bar = Progress.stderrIsTerminal()
        ? new TerminalDownloadProgress("fetch nanos " + fetchNanos) : null;
    if (bar != null) {
      fetcher.addEventHandler(ProgressEvent.class, bar);
    }
    NanosReleaseFetcher.Result r;
    try {
      r = fetcher.fetch(fetchNanos);
    } finally {
      if (bar != null) {
        bar.close();
      }
    }
    spec.commandLine().getErr().println("mkimage: Nanos " + fetchNanos + (r.cached() ? " already in " : " fetched into ")
        + r.directory());
  }

  /** The image file: {@code -o}, else named after the program as ops does. */
  private Path outputName(OpsConfig cfg) {
    return output != null ? output : Path.of(defaultImageName(cfg) + ".img");
  }

  /** ops names the image after the program; a package build without one after the package. */
  private String defaultImageName(OpsConfig cfg) {
    String prog = program != null ? program.toString()
        : java.jar != null ? java.jar.toString().replaceFirst("\\.jar$", "") : cfg.program();
    if (prog.isEmpty() && pkg != null) {
      prog = pkg.replaceFirst("(\\.tar\\.gz|\\.tgz)$", "").replace(':', '_');
    }
    if (prog.isEmpty() && fromOci != null) {
      prog = fromOci.toString().replaceFirst("(\\.tar\\.gz|\\.tgz|\\.tar)$", "");
    }
    String name = Path.of(prog).normalize().getFileName() == null ? "" : Path.of(prog).normalize().getFileName().toString();
    return name.isEmpty() || name.equals("..") ? "image" : name;
  }

  /**
   * HOST[:IMAGEPATH] splits at the last ':' (a host path may hold ':' only when IMAGEPATH is given);
   * this flag syntax is the only place a host and an image path are one string.
   */
  private static String hostPart(String spec) {
    int colon = spec.lastIndexOf(':');
    return colon > 0 ? spec.substring(0, colon) : spec;
  }

  private String imagePart(String flag, String spec) {
    int colon = spec.lastIndexOf(':');
    if (colon == 0 || colon == spec.length() - 1) {
      throw new ParameterException(spec().commandLine(), flag + " " + spec + ": expected HOST or HOST:IMAGEPATH");
    }
    return colon > 0 ? spec.substring(colon + 1) : null;
  }

  private CommandSpec spec() {
    return spec;
  }
}
