package dev.nanokit.core;

import dev.nanokit.core.ops.OpsPackage;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where an image's program and its files come from — exactly one of: a program on the host (or in
 * the {@linkplain NanosImage#setTargetRoot target root}), the {@code Program} of the ops configuration,
 * an ops package, or a container image. Immutable values.
 */
public sealed interface ImageSource {
  /** The ELF executable (or script) at {@code program}, placed in the image at the same path. */
  static Program program(Path program) {
    return new Program(Objects.requireNonNull(program, "program"), null);
  }

  /** The program the ops configuration names in its {@code Program} field. */
  static ConfiguredProgram configuredProgram() {
    return new ConfiguredProgram();
  }

  /**
   * An ops package as the user wrote it: a package directory or its {@code .tar.gz} when that path
   * exists (relative to the {@linkplain NanosImage#setWorkingDirectory working directory}), else a
   * {@code [namespace/]name:version} reference in the local ops package cache. Nothing is downloaded.
   */
  static OpsPackage opsPackage(String reference) {
    return new OpsPackage(Objects.requireNonNull(reference, "reference"), null, null);
  }

  /** An ops package directory (with {@code package.manifest} and {@code sysroot/}) or its {@code .tar.gz}. */
  static OpsPackage opsPackage(Path packagePath) {
    return new OpsPackage(null, Objects.requireNonNull(packagePath, "packagePath"), null);
  }

  /**
   * A container image read without a daemon: a {@code docker save} tarball (gzipped or not), an OCI
   * image layout directory or its tar. Its layers, applied in order, are the target root.
   */
  static ContainerImage containerImage(Path archiveOrLayout) {
    return new ContainerImage(Objects.requireNonNull(archiveOrLayout, "archiveOrLayout"), null, false);
  }

  /**
   * A program on the host.
   *
   * @param path host path (with a target root: the path inside it)
   * @param asGiven argv[0] as the user wrote it, or null for the image path
   */
  record Program(Path path, String asGiven) implements ImageSource {
    public Program {
      Objects.requireNonNull(path, "path");
    }

    /** argv[0] as written by the user (ops passes the program string as given). */
    public Program withArgv0(String argv0) {
      return new Program(path, argv0);
    }
  }

  /** The configuration's {@code Program}. */
  record ConfiguredProgram() implements ImageSource {}

  /**
   * An ops package, by reference or path (exactly one is set), optionally with another program than its own.
   *
   * @param reference as the user wrote it, or null
   * @param path the package directory or archive, or null
   * @param program the program to run instead of the package's {@code Program}, or null
   */
  record OpsPackage(String reference, Path path, String program) implements ImageSource {
    public OpsPackage {
      if ((reference == null) == (path == null)) {
        throw new IllegalArgumentException("an ops package is a reference or a path, not both or neither");
      }
    }

    /** Runs {@code program} (a name in the package, or an absolute path in its sysroot) instead. */
    public OpsPackage withProgram(String program) {
      return new OpsPackage(reference, path, Objects.requireNonNull(program, "program"));
    }

    public Optional<String> programOverride() {
      return Optional.ofNullable(program);
    }
  }

  /**
   * A container image.
   *
   * @param path the archive or layout directory
   * @param program the program to run (an image path, or a bare name looked up on the image's
   *     {@code PATH}) instead of its {@code Entrypoint}/{@code Cmd}, or null
   * @param wholeFilesystem whether to copy the image's whole filesystem, not only the program and the
   *     libraries it needs
   */
  record ContainerImage(Path path, String program, boolean wholeFilesystem) implements ImageSource {
    public ContainerImage {
      Objects.requireNonNull(path, "path");
    }

    public ContainerImage withProgram(String program) {
      return new ContainerImage(path, Objects.requireNonNull(program, "program"), wholeFilesystem);
    }

    /** Copies the whole filesystem (ops {@code pkg from-docker --copy-whole-fs}). */
    public ContainerImage withWholeFilesystem() {
      return new ContainerImage(path, program, true);
    }
  }
}
