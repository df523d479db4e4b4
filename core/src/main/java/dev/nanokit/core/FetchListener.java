package dev.nanokit.core;

import java.net.URI;

/**
 * Progress of {@link NanosReleaseFetcher#fetch}: the library reports, the caller decides whether and
 * how to show it (the core never prints). Called on the thread that called {@code fetch}.
 */
public interface FetchListener {
  /** The server answered {@code uri} with 200; {@code totalBytes} is its Content-Length, or -1. */
  default void downloadStarted(URI uri, long totalBytes) {}

  /** {@code done} bytes of the archive received so far, of {@code total} (-1 when not announced). */
  default void bytesDownloaded(long done, long total) {}

  /** The download is complete and verified; the archive is being unpacked. */
  default void extracting() {}
}
