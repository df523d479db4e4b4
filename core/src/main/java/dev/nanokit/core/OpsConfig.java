package dev.nanokit.core;

import dev.nanokit.core.ops.OpsSize;
import dev.nanokit.manifest.Tuple;
import dev.nanokit.manifest.Value;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The fields of an ops {@code config.json} that influence the image (docs/formats/manifest.md, "5.2 Fields that influence the image"), as read by
 * the configuration reader. Fields that only matter to {@code ops run} or to cloud deployment are
 * accepted by the reader and not kept.
 *
 * <p>Absent fields have Go's zero values, as in ops: empty strings, empty lists and maps, false.
 * Lists and maps are immutable and keep the file's order. {@link #manifestPassthrough()} is a
 * manifest value tree (JSON objects → {@link dev.nanokit.manifest.Tuple}, arrays → {@link dev.nanokit.manifest.VectorValue},
 * everything else → {@link dev.nanokit.manifest.StringValue}, "7 Ambiguities and ops/Nanos differences" item 7); tuples are mutable, so the record holds a private copy and
 * hands out copies.
 *
 * @param program host path of the program ELF ({@code Program})
 * @param args argv without argv[0] ({@code Args})
 * @param env environment entries added after the defaults ({@code Env})
 * @param files host files added at {@code /<f>} ({@code Files})
 * @param dirs host directories added recursively ({@code Dirs})
 * @param mapDirs host glob → image directory ({@code MapDirs})
 * @param klibs klib names for boot fs {@code /klib} ({@code Klibs})
 * @param klibDir host directory holding klibs ({@code KlibDir})
 * @param mounts volume id → mount path, optionally {@code :ro} ({@code Mounts})
 * @param runConfig network and run settings ({@code RunConfig})
 * @param nameServers {@code /etc/resolv.conf} name servers; empty means ops' default ({@code NameServers})
 * @param manifestPassthrough root-tuple entries copied verbatim ({@code ManifestPassthrough})
 * @param debugflags root keys set to {@code "t"} ({@code Debugflags})
 * @param noTrace syscall names for root {@code notrace} ({@code NoTrace})
 * @param rebootOnExit root {@code reboot_on_exit} ({@code RebootOnExit})
 * @param kernel host path of the kernel ({@code Kernel})
 * @param boot host path of boot.img ({@code Boot})
 * @param uefi add an EFI System Partition ({@code Uefi})
 * @param uefiBoot host path of the UEFI loader ({@code UefiBoot})
 * @param baseVolumeSz total image size in {@link OpsSize} syntax, validated ({@code BaseVolumeSz})
 * @param targetRoot alternate root for absolute host paths ({@code TargetRoot})
 * @param tfsV4 write TFS version 4 ({@code TFSv4})
 * @param cloudConfig cloud settings ({@code CloudConfig})
 * @param nanosVersion Nanos release ({@code NanosVersion})
 * @param nightlyBuild use the nightly release ({@code NightlyBuild})
 * @param disableArgsCopy package builds: do not copy {@code Args[1]} ({@code DisableArgsCopy})
 * @param localFilesParentDirectory base for relative {@code Files}/{@code MapDirs}
 *     ({@code LocalFilesParentDirectory}; the reader sets it to the config file's directory)
 * @param home ops home directory override ({@code home})
 */
public record OpsConfig(
    String program,
    List<String> args,
    Map<String, String> env,
    List<String> files,
    List<String> dirs,
    Map<String, String> mapDirs,
    List<String> klibs,
    String klibDir,
    Map<String, String> mounts,
    RunConfig runConfig,
    List<String> nameServers,
    Tuple manifestPassthrough,
    List<String> debugflags,
    List<String> noTrace,
    boolean rebootOnExit,
    String kernel,
    String boot,
    boolean uefi,
    String uefiBoot,
    String baseVolumeSz,
    String targetRoot,
    boolean tfsV4,
    CloudConfig cloudConfig,
    String nanosVersion,
    boolean nightlyBuild,
    boolean disableArgsCopy,
    String localFilesParentDirectory,
    String home) {

  public OpsConfig {
    Objects.requireNonNull(program, "program");
    args = ImmutableList.copyOf(args);
    env = ImmutableMap.copyOf(env);
    files = ImmutableList.copyOf(files);
    dirs = ImmutableList.copyOf(dirs);
    mapDirs = ImmutableMap.copyOf(mapDirs);
    klibs = ImmutableList.copyOf(klibs);
    Objects.requireNonNull(klibDir, "klibDir");
    mounts = ImmutableMap.copyOf(mounts);
    Objects.requireNonNull(runConfig, "runConfig");
    nameServers = ImmutableList.copyOf(nameServers);
    manifestPassthrough = manifestPassthrough.deepCopy();
    debugflags = ImmutableList.copyOf(debugflags);
    noTrace = ImmutableList.copyOf(noTrace);
    Objects.requireNonNull(kernel, "kernel");
    Objects.requireNonNull(boot, "boot");
    Objects.requireNonNull(uefiBoot, "uefiBoot");
    Objects.requireNonNull(baseVolumeSz, "baseVolumeSz");
    if (!baseVolumeSz.isEmpty()) {
      OpsSize.parse("BaseVolumeSz", baseVolumeSz);
    }
    Objects.requireNonNull(targetRoot, "targetRoot");
    Objects.requireNonNull(cloudConfig, "cloudConfig");
    Objects.requireNonNull(nanosVersion, "nanosVersion");
    Objects.requireNonNull(localFilesParentDirectory, "localFilesParentDirectory");
    Objects.requireNonNull(home, "home");
  }

  /** A configuration with every field at its zero value, like an empty {@code {}} file. */
  public static OpsConfig empty() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration's values, for applying command-line overrides. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.program = program;
    b.args.addAll(args);
    b.env.putAll(env);
    b.files.addAll(files);
    b.dirs.addAll(dirs);
    b.mapDirs.putAll(mapDirs);
    b.klibs.addAll(klibs);
    b.klibDir = klibDir;
    b.mounts.putAll(mounts);
    b.runConfig = runConfig.toBuilder();
    b.nameServers.addAll(nameServers);
    b.manifestPassthrough = manifestPassthrough.deepCopy();
    b.debugflags.addAll(debugflags);
    b.noTrace.addAll(noTrace);
    b.rebootOnExit = rebootOnExit;
    b.kernel = kernel;
    b.boot = boot;
    b.uefi = uefi;
    b.uefiBoot = uefiBoot;
    b.baseVolumeSz = baseVolumeSz;
    b.targetRoot = targetRoot;
    b.tfsV4 = tfsV4;
    b.cloudImageName = cloudConfig.imageName();
    b.nanosVersion = nanosVersion;
    b.nightlyBuild = nightlyBuild;
    b.disableArgsCopy = disableArgsCopy;
    b.localFilesParentDirectory = localFilesParentDirectory;
    b.home = home;
    return b;
  }

  /** A fresh copy each call: the record must stay immutable although tuples are not. */
  @Override
  public Tuple manifestPassthrough() {
    return manifestPassthrough.deepCopy();
  }

  /** {@link #baseVolumeSz()} in bytes (not yet rounded up to 512), or empty when not set. */
  public OptionalLong baseVolumeBytes() {
    return baseVolumeSz.isEmpty() ? OptionalLong.empty() : OptionalLong.of(OpsSize.parse("BaseVolumeSz", baseVolumeSz));
  }

  /**
   * {@code RunConfig}: the parts that reach the image ("5.2 Fields that influence the image": addresses, NICs, {@code OPS_PORT}), the
   * output image name and verbosity, and what running the image under QEMU uses ({@link NanosRun#applyConfig}).
   *
   * @param ipAddress {@code IPAddress}; "" when not an IP address ("5.1 Loading rules")
   * @param ipv6Address {@code IPv6Address}
   * @param gateway {@code Gateway}; "" when not an IP address ("5.1 Loading rules")
   * @param netMask {@code NetMask}; "" when not an IP address ("5.1 Loading rules")
   * @param nics {@code Nics}: the first becomes the root-level keys, the others {@code en2}…
   * @param ports {@code Ports}, joined with ',' into env {@code OPS_PORT}
   * @param imageName {@code ImageName}, the output image path
   * @param verbose {@code Verbose}
   * @param udpPorts {@code UDPPorts}: forwarded like {@code Ports} when the image runs
   * @param memory {@code Memory} as ops writes it ({@code 2G}, {@code 512M}); "" when not set
   * @param cpus {@code CPUs}; 0 when not set
   * @param accel {@code Accel}; empty when not set
   */
  public record RunConfig(
      String ipAddress,
      String ipv6Address,
      String gateway,
      String netMask,
      List<Nic> nics,
      List<String> ports,
      String imageName,
      boolean verbose,
      List<String> udpPorts,
      String memory,
      int cpus,
      Optional<Boolean> accel) {

    public RunConfig {
      Objects.requireNonNull(ipAddress, "ipAddress");
      Objects.requireNonNull(ipv6Address, "ipv6Address");
      Objects.requireNonNull(gateway, "gateway");
      Objects.requireNonNull(netMask, "netMask");
      nics = ImmutableList.copyOf(nics);
      ports = ImmutableList.copyOf(ports);
      Objects.requireNonNull(imageName, "imageName");
      udpPorts = ImmutableList.copyOf(udpPorts);
      Objects.requireNonNull(memory, "memory");
      Objects.requireNonNull(accel, "accel");
    }

    /** The run settings of an ops 7-field {@code RunConfig} with none of the run-time ones set. */
    public RunConfig(String ipAddress, String ipv6Address, String gateway, String netMask, List<Nic> nics,
        List<String> ports, String imageName, boolean verbose) {
      this(ipAddress, ipv6Address, gateway, netMask, nics, ports, imageName, verbose, List.of(), "", 0, Optional.empty());
    }

    public static RunConfig empty() {
      return new RunConfigBuilder().build();
    }

    public RunConfigBuilder toBuilder() {
      RunConfigBuilder b = new RunConfigBuilder();
      b.ipAddress = ipAddress;
      b.ipv6Address = ipv6Address;
      b.gateway = gateway;
      b.netMask = netMask;
      b.nics.addAll(nics);
      b.ports.addAll(ports);
      b.imageName = imageName;
      b.verbose = verbose;
      b.udpPorts.addAll(udpPorts);
      b.memory = memory;
      b.cpus = cpus;
      b.accel = accel;
      return b;
    }
  }

  /** One entry of {@code RunConfig.Nics}. */
  public record Nic(String ipAddress, String ipv6Address, String netMask, String gateway, String bridgeName) {
    public Nic {
      Objects.requireNonNull(ipAddress, "ipAddress");
      Objects.requireNonNull(ipv6Address, "ipv6Address");
      Objects.requireNonNull(netMask, "netMask");
      Objects.requireNonNull(gateway, "gateway");
      Objects.requireNonNull(bridgeName, "bridgeName");
    }
  }

  /** {@code CloudConfig}: only {@code ImageName} reaches the image (env {@code IMAGE_NAME}). */
  public record CloudConfig(String imageName) {
    public CloudConfig {
      Objects.requireNonNull(imageName, "imageName");
    }
  }

  /** Mutable counterpart of {@link RunConfig}. */
  public static final class RunConfigBuilder {
    private String ipAddress = "";
    private String ipv6Address = "";
    private String gateway = "";
    private String netMask = "";
    private final List<Nic> nics = new ArrayList<>();
    private final List<String> ports = new ArrayList<>();
    private String imageName = "";
    private boolean verbose;
    private final List<String> udpPorts = new ArrayList<>();
    private String memory = "";
    private int cpus;
    private Optional<Boolean> accel = Optional.empty();

    public RunConfigBuilder ipAddress(String v) {
      ipAddress = Objects.requireNonNull(v);
      return this;
    }

    public RunConfigBuilder ipv6Address(String v) {
      ipv6Address = Objects.requireNonNull(v);
      return this;
    }

    public RunConfigBuilder gateway(String v) {
      gateway = Objects.requireNonNull(v);
      return this;
    }

    public RunConfigBuilder netMask(String v) {
      netMask = Objects.requireNonNull(v);
      return this;
    }

    public RunConfigBuilder nics(List<Nic> v) {
      nics.clear();
      nics.addAll(v);
      return this;
    }

    public RunConfigBuilder ports(List<String> v) {
      ports.clear();
      ports.addAll(v);
      return this;
    }

    public RunConfigBuilder imageName(String v) {
      imageName = Objects.requireNonNull(v);
      return this;
    }

    public RunConfigBuilder verbose(boolean v) {
      verbose = v;
      return this;
    }

    public RunConfigBuilder udpPorts(List<String> v) {
      udpPorts.clear();
      udpPorts.addAll(v);
      return this;
    }

    public RunConfigBuilder memory(String v) {
      memory = Objects.requireNonNull(v);
      return this;
    }

    public RunConfigBuilder cpus(int v) {
      cpus = v;
      return this;
    }

    public RunConfigBuilder accel(boolean v) {
      accel = Optional.of(v);
      return this;
    }

    public RunConfig build() {
      return new RunConfig(ipAddress, ipv6Address, gateway, netMask, nics, ports, imageName, verbose, udpPorts, memory,
          cpus, accel);
    }
  }

  /**
   * Mutable counterpart of {@link OpsConfig}. Setters of lists replace the whole list (as
   * arguments given to the builder replace {@code Args}); {@link #putEnv} and the other {@code put} methods add
   * to a map.
   */
  public static final class Builder {
    private String program = "";
    private final List<String> args = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> files = new ArrayList<>();
    private final List<String> dirs = new ArrayList<>();
    private final Map<String, String> mapDirs = new LinkedHashMap<>();
    private final List<String> klibs = new ArrayList<>();
    private String klibDir = "";
    private final Map<String, String> mounts = new LinkedHashMap<>();
    private RunConfigBuilder runConfig = new RunConfigBuilder();
    private final List<String> nameServers = new ArrayList<>();
    private Tuple manifestPassthrough = new Tuple();
    private final List<String> debugflags = new ArrayList<>();
    private final List<String> noTrace = new ArrayList<>();
    private boolean rebootOnExit;
    private String kernel = "";
    private String boot = "";
    private boolean uefi;
    private String uefiBoot = "";
    private String baseVolumeSz = "";
    private String targetRoot = "";
    private boolean tfsV4;
    private String cloudImageName = "";
    private String nanosVersion = "";
    private boolean nightlyBuild;
    private boolean disableArgsCopy;
    private String localFilesParentDirectory = "";
    private String home = "";

    private Builder() {}

    private static <T> void replace(List<T> list, List<T> values) {
      List<T> copy = List.copyOf(values);
      list.clear();
      list.addAll(copy);
    }

    public Builder program(String v) {
      program = Objects.requireNonNull(v);
      return this;
    }

    public Builder args(List<String> v) {
      replace(args, v);
      return this;
    }

    public Builder putEnv(String name, String value) {
      env.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
      return this;
    }

    public Builder files(List<String> v) {
      replace(files, v);
      return this;
    }

    public Builder dirs(List<String> v) {
      replace(dirs, v);
      return this;
    }

    public Builder putMapDir(String hostPattern, String imageDir) {
      mapDirs.put(Objects.requireNonNull(hostPattern), Objects.requireNonNull(imageDir));
      return this;
    }

    public Builder klibs(List<String> v) {
      replace(klibs, v);
      return this;
    }

    public Builder klibDir(String v) {
      klibDir = Objects.requireNonNull(v);
      return this;
    }

    public Builder putMount(String volume, String path) {
      mounts.put(Objects.requireNonNull(volume), Objects.requireNonNull(path));
      return this;
    }

    /** The run configuration being built; modify it in place. */
    public RunConfigBuilder runConfig() {
      return runConfig;
    }

    public Builder nameServers(List<String> v) {
      replace(nameServers, v);
      return this;
    }

    /** Sets one passthrough entry; a later entry with the same name replaces it. */
    public Builder putManifestPassthrough(String name, Value value) {
      manifestPassthrough.put(name, value);
      return this;
    }

    public Builder debugflags(List<String> v) {
      replace(debugflags, v);
      return this;
    }

    public Builder noTrace(List<String> v) {
      replace(noTrace, v);
      return this;
    }

    public Builder rebootOnExit(boolean v) {
      rebootOnExit = v;
      return this;
    }

    public Builder kernel(String v) {
      kernel = Objects.requireNonNull(v);
      return this;
    }

    public Builder boot(String v) {
      boot = Objects.requireNonNull(v);
      return this;
    }

    public Builder uefi(boolean v) {
      uefi = v;
      return this;
    }

    public Builder uefiBoot(String v) {
      uefiBoot = Objects.requireNonNull(v);
      return this;
    }

    /** @throws IllegalArgumentException if {@code v} is neither empty nor valid {@link OpsSize} syntax */
    public Builder baseVolumeSz(String v) {
      if (!v.isEmpty()) {
        OpsSize.parse("BaseVolumeSz", v);
      }
      baseVolumeSz = v;
      return this;
    }

    public Builder targetRoot(String v) {
      targetRoot = Objects.requireNonNull(v);
      return this;
    }

    public Builder tfsV4(boolean v) {
      tfsV4 = v;
      return this;
    }

    public Builder cloudImageName(String v) {
      cloudImageName = Objects.requireNonNull(v);
      return this;
    }

    public Builder nanosVersion(String v) {
      nanosVersion = Objects.requireNonNull(v);
      return this;
    }

    public Builder nightlyBuild(boolean v) {
      nightlyBuild = v;
      return this;
    }

    public Builder disableArgsCopy(boolean v) {
      disableArgsCopy = v;
      return this;
    }

    public Builder localFilesParentDirectory(String v) {
      localFilesParentDirectory = Objects.requireNonNull(v);
      return this;
    }

    public Builder home(String v) {
      home = Objects.requireNonNull(v);
      return this;
    }

    public OpsConfig build() {
      return new OpsConfig(program, args, env, files, dirs, mapDirs, klibs, klibDir, mounts,
          runConfig.build(), nameServers, manifestPassthrough, debugflags, noTrace, rebootOnExit,
          kernel, boot, uefi, uefiBoot, baseVolumeSz, targetRoot, tfsV4, new CloudConfig(cloudImageName),
          nanosVersion, nightlyBuild, disableArgsCopy, localFilesParentDirectory, home);
    }
  }
}
