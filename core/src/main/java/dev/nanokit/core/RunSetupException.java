package dev.nanokit.core;

import dev.nanokit.NanokitException;
import java.util.Optional;

/**
 * An image cannot be run as asked: the hypervisor or the firmware is not installed, KVM was asked for
 * and cannot be used, the image cannot boot the way asked. {@link #condition()} says which;
 * {@link #debianPackage()} names the package that provides what is missing, when a package does.
 *
 * <p>Immutable.
 */
public final class RunSetupException extends NanokitException {
  private static final long serialVersionUID = 1L;

  /** What is wrong. */
  public enum Condition {
    /** The QEMU system emulator for the image's architecture is not on the search path. */
    QEMU_NOT_FOUND,
    /** UEFI boot was asked for and no firmware file was given or found. */
    FIRMWARE_NOT_FOUND,
    /** KVM was asked for and {@code /dev/kvm} cannot be opened for reading and writing, or the image is for another architecture. */
    KVM_UNAVAILABLE,
    /** The image cannot boot this way: a bare volume, no kernel, no EFI system partition. */
    NOT_BOOTABLE,
    /** A run setting cannot be used: a port, a memory size. */
    BAD_SETTING
  }

  private final Condition condition;
  private final String debianPackage;

  public RunSetupException(Condition condition, String message) {
    this(condition, message, null);
  }

  /** {@code debianPackage}: the Debian package that provides what is missing, or null. */
  public RunSetupException(Condition condition, String message, String debianPackage) {
    super(message);
    this.condition = condition;
    this.debianPackage = debianPackage;
  }

  public Condition condition() {
    return condition;
  }

  /** The Debian (and Ubuntu) package that installs what is missing. */
  public Optional<String> debianPackage() {
    return Optional.ofNullable(debianPackage);
  }
}
