package dev.nanokit.core;

/**
 * Progress of {@link ImageBuilder#writeTo}: the library reports, the caller decides whether and how
 * to show it (the core never prints).
 */
public interface ImageListener {
  /** A phase began: "bootfs", "rootfs", "esp", "partition table". */
  default void phase(String name) {}

  /** Bytes of file data written so far in the current filesystem. */
  default void bytesWritten(long done, long total) {}
}
