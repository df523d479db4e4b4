package dev.nanokit.core.plan;

import dev.nanokit.core.ImageEntry;
import dev.nanokit.core.ImageInputException;
import dev.nanokit.core.OpsConfig;
import dev.nanokit.manifest.ManifestParser;
import dev.nanokit.manifest.Tuple;
import dev.nanokit.manifest.Value;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The inputs of one plan; fluent setters, every list copied. Required: {@link #cwd} and the program's
 * image path. Fields are read by the planner and {@link RootConfig} in this package. Not thread-safe.
 */
public final class PlannerInputs {
  OpsConfig config = OpsConfig.empty();
  Path cwd;
  String program;
  String programImagePath;
  Path programHost;
  List<ImageEntry> dependencies = List.of();
  List<String> cliArgs = List.of();
  List<String> cliEnv = List.of();
  List<ContentPlanner.HostEntry> cliFiles = List.of();
  List<ContentPlanner.HostEntry> cliDirs = List.of();
  List<String> cliKlibs = List.of();
  Tuple cliSettings = new Tuple();
  Path targetRoot;
  boolean packageBuild;
  String withoutCommonFiles;
  String arch = "amd64";
  String nanosVersion;
  String imageName;
  Path caCertificates;
  Path nssDnsLibrary;
  Path libraryRoot;
  boolean checkDependencies;
  Map<ImageEntry, byte[]> smallFiles;
  ListingsAhead listingsAhead;

  /**
   * Where the planner puts, by entry, the bytes of small walked files that checking them for the ELF
   * magic (runtime support) read whole anyway, up to a fixed total: a write that follows the plan at
   * once copies those from memory and does not open each file again. The planner only adds to it
   * (from one thread). Default: none kept.
   */
  public PlannerInputs keepSmallFiles(Map<ImageEntry, byte[]> sink) {
    smallFiles = sink;
    return this;
  }

  /** Directories already being listed, which the walks take instead of listing them again (default: none). */
  public PlannerInputs listingsAhead(ListingsAhead v) {
    listingsAhead = v;
    return this;
  }

  /** The ops configuration (default: empty). */
  public PlannerInputs config(OpsConfig v) {
    config = Objects.requireNonNull(v);
    return this;
  }

  /** The directory relative host paths are resolved against. */
  public PlannerInputs cwd(Path v) {
    cwd = v;
    return this;
  }

  /**
   * The program: {@code asGiven} becomes argv[0] (null: {@code rootProgram}); {@code rootProgram}
   * is the root {@code program} value (an image path, or a package's bare program name);
   * {@code host} is copied to {@code path.Join("/", rootProgram)}, or nothing is added when null
   * (a package whose sysroot holds the program).
   */
  public PlannerInputs program(String asGiven, String rootProgram, Path host) {
    program = asGiven;
    programImagePath = rootProgram;
    programHost = host;
    return this;
  }

  /** The program's interpreter and libraries, or a package's sysroot, already resolved, in order. */
  public PlannerInputs dependencies(List<ImageEntry> v) {
    dependencies = List.copyOf(v);
    return this;
  }

  /** {@code --arg}s; non-empty replaces the config's {@code Args}. */
  public PlannerInputs cliArgs(List<String> v) {
    cliArgs = List.copyOf(v);
    return this;
  }

  /** {@code --env K=V}s, raw. */
  public PlannerInputs cliEnv(List<String> v) {
    cliEnv = List.copyOf(v);
    return this;
  }

  /** Host files added by the caller, each with its image path. */
  public PlannerInputs cliFiles(List<ContentPlanner.HostEntry> v) {
    cliFiles = List.copyOf(v);
    return this;
  }

  /** Host directory trees added by the caller, each with its image path. */
  public PlannerInputs cliDirs(List<ContentPlanner.HostEntry> v) {
    cliDirs = List.copyOf(v);
    return this;
  }

  /** {@code --klib} names, added to the config's {@code Klibs}. */
  public PlannerInputs cliKlibs(List<String> v) {
    cliKlibs = List.copyOf(v);
    return this;
  }

  /** Sets one {@code --set} key; a later one with the same key replaces it. */
  public PlannerInputs set(String key, Value value) {
    cliSettings.put(key, value);
    return this;
  }

  /** Parses and sets a root key from {@code KEY=VALUE} (VALUE in manifest value syntax). */
  public PlannerInputs set(String keyEqualsValue) throws IOException {
    int eq = keyEqualsValue.indexOf('=');
    if (eq <= 0) {
      throw new ImageInputException("root key " + keyEqualsValue + ": expected KEY=VALUE");
    }
    String key = keyEqualsValue.substring(0, eq);
    return set(key, new ManifestParser().parseValue(keyEqualsValue.substring(eq + 1), "root key " + key));
  }

  /** Sysroot for absolute {@code MapDirs} hosts; null: the config's {@code TargetRoot}. */
  public PlannerInputs targetRoot(Path v) {
    targetRoot = v;
    return this;
  }

  /** A package build: no CA bundle/NSS library; first argument copied (docs/formats/manifest.md, "6 The tree ops builds (default content of every image)"). */
  public PlannerInputs packageBuild(boolean v) {
    packageBuild = v;
    return this;
  }

  /** Why the CA bundle and NSS library are not added (null: they are, when available). */
  public PlannerInputs withoutCommonFiles(String reason) {
    withoutCommonFiles = reason;
    return this;
  }

  /** {@code amd64} or {@code arm64}: env {@code NANOS_ARCH}; the NSS library is x86-64 only. */
  public PlannerInputs arch(String v) {
    arch = Objects.requireNonNull(v);
    return this;
  }

  /** env {@code NANOS_VERSION}; null: the config's {@code NanosVersion}. */
  public PlannerInputs nanosVersion(String v) {
    nanosVersion = v;
    return this;
  }

  /** env {@code IMAGE_NAME}; null: the config's {@code CloudConfig.ImageName}. */
  public PlannerInputs imageName(String v) {
    imageName = v;
    return this;
  }

  /** Host path of the CA bundle (ops' common archive or the host's); null: none. */
  public PlannerInputs caCertificates(Path v) {
    caCertificates = v;
    return this;
  }

  /**
   * Adds what the program needs at run time beyond its own libraries (an interpreter's runtime
   * directories, the libraries of every other ELF object in the image), taken from {@code root}: the
   * target root, a container's or package's root, or the host's {@code /}. Null (the default): nothing.
   */
  public PlannerInputs runtimeFrom(Path root) {
    libraryRoot = root;
    return this;
  }

  /**
   * The {@link #dependencies} are a tree to check like any other content (a package's sysroot, a whole
   * container image), not the program's resolved libraries.
   */
  public PlannerInputs checkDependencies() {
    checkDependencies = true;
    return this;
  }

  /** Host path of {@code libnss_dns.so.2}; null: none. */
  public PlannerInputs nssDnsLibrary(Path v) {
    nssDnsLibrary = v;
    return this;
  }

  public OpsConfig config() {
    return config;
  }

  public String program() {
    return program != null ? program : programImagePath;
  }

  public String programImagePath() {
    return programImagePath;
  }

  public List<String> cliArgs() {
    return cliArgs;
  }

  public List<String> cliEnv() {
    return cliEnv;
  }

  public List<String> cliKlibs() {
    return cliKlibs;
  }

  public Tuple cliSettings() {
    return cliSettings.deepCopy();
  }

  public String arch() {
    return arch;
  }

  /** Where runtime support takes files from; null when it is off. */
  public Path runtimeRoot() {
    return libraryRoot;
  }

  public String nanosVersion() {
    return nanosVersion != null ? nanosVersion : config.nanosVersion();
  }

  public String imageName() {
    return imageName != null ? imageName : config.cloudConfig().imageName();
  }
}
