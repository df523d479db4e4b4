package dev.nanokit.core;

import dev.nanokit.core.ops.ReleaseDirectory;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The files of a Nanos release a bootable image needs: the kernel, the BIOS stage-2 {@code boot.img},
 * the UEFI loader, and the klib directory. Take a release directory as ops lays it out
 * ({@link #fromDirectory}), or name the files one by one ({@link #ofKernel} and {@code with…}).
 * Immutable.
 */
public final class NanosRelease {
  private final Path kernel;
  private final Path bootImage;
  private final Path uefiLoader;
  private final Path klibDirectory;

  private NanosRelease(Path kernel, Path bootImage, Path uefiLoader, Path klibDirectory) {
    this.kernel = kernel;
    this.bootImage = bootImage;
    this.uefiLoader = uefiLoader;
    this.klibDirectory = klibDirectory;
  }

  /**
   * The release in {@code dir}: {@code kernel.img}, {@code boot.img} when present, the UEFI loader
   * ({@code bootx64.efi}, else {@code bootaa64.efi}, else the first other {@code *.efi}) and
   * {@code klibs/}.
   *
   * @throws NoSuchFileException when {@code dir} holds no {@code kernel.img}
   */
  public static NanosRelease fromDirectory(Path dir) throws IOException {
    if (!ReleaseDirectory.isRelease(dir)) {
      throw new NoSuchFileException(dir.resolve(ReleaseDirectory.KERNEL).toString(), null, "no Nanos kernel in the release directory");
    }
    return from(ReleaseDirectory.at(dir));
  }

  static NanosRelease from(ReleaseDirectory d) {
    return new NanosRelease(d.kernel(), d.bootImage().orElse(null), d.uefiLoader().orElse(null), d.klibDirectory());
  }

  /** A release of only a kernel; add the other files with the {@code with…} methods. */
  public static NanosRelease ofKernel(Path kernel) {
    return new NanosRelease(Objects.requireNonNull(kernel, "kernel"), null, null, null);
  }

  /**
   * Release files given one by one; each may be null, and is then taken from the configuration,
   * {@code $NANOS_HOME} or the ops cache.
   */
  public static NanosRelease of(Path kernel, Path bootImage, Path uefiLoader, Path klibDirectory) {
    return new NanosRelease(kernel, bootImage, uefiLoader, klibDirectory);
  }

  public NanosRelease withKernel(Path kernel) {
    return new NanosRelease(Objects.requireNonNull(kernel, "kernel"), bootImage, uefiLoader, klibDirectory);
  }

  /** The BIOS stage-2 loader; null for none (a UEFI-only or {@code -kernel}-booted image). */
  public NanosRelease withBootImage(Path bootImage) {
    return new NanosRelease(kernel, bootImage, uefiLoader, klibDirectory);
  }

  public NanosRelease withUefiLoader(Path uefiLoader) {
    return new NanosRelease(kernel, bootImage, uefiLoader, klibDirectory);
  }

  public NanosRelease withKlibDirectory(Path klibDirectory) {
    return new NanosRelease(kernel, bootImage, uefiLoader, klibDirectory);
  }

  public Optional<Path> kernel() {
    return Optional.ofNullable(kernel);
  }

  public Optional<Path> bootImage() {
    return Optional.ofNullable(bootImage);
  }

  public Optional<Path> uefiLoader() {
    return Optional.ofNullable(uefiLoader);
  }

  public Optional<Path> klibDirectory() {
    return Optional.ofNullable(klibDirectory);
  }

  @Override
  public String toString() {
    return "NanosRelease[kernel " + kernel + "]";
  }
}
