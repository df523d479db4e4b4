package dev.nanokit.core;

/**
 * Progress of a phase of the work.
 *
 * @param phase what is being done: {@code rootfs}, {@code bootfs}, {@code esp}, {@code partition table},
 *     {@code download}, {@code extract}
 * @param done bytes done so far in this phase
 * @param total bytes the phase will take, or -1 when not known
 *
 * <p>Immutable and safe for use by any number of threads.
 */
public record ProgressEvent(String phase, long done, long total) implements ImageEvent {
  /** The phase began. */
  public boolean isStart() {
    return done == 0;
  }
}
