package dev.nanokit.elf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The default library directories compiled into a glibc loader, read from the loader file itself
 * (docs/formats/elf-deps.md, "4 glibc search order for a DT_NEEDED name" step 6: the defaults are those of the interpreter that goes into the image).
 *
 * <p>glibc keeps them as one string constant, {@code SYSTEM_DIRS}: absolute directories, each ending
 * in {@code /} and a NUL, one after the other ({@code "/lib/aarch64-linux-gnu/\0/usr/lib/aarch64-linux-gnu/\0/lib/\0/usr/lib/\0"}
 * in Debian's loaders, {@code "/lib64/\0/usr/lib64/\0"} in Fedora's). Reading them beats guessing from
 * the root's layout: Debian's cross sysroot {@code /usr/aarch64-linux-gnu} keeps its libraries in
 * {@code lib/}, which its Debian-built loader finds through the plain {@code /lib} entry. A loader
 * without such a run (musl, whose libc is the loader) gives nothing and the caller falls back.
 *
 * <p>Stateless; safe for concurrent use.
 */
final class LoaderSearchPath {
  /** Loaders are a few hundred KiB; the constant sits in .rodata near the start. Bounds the read. */
  static final int MAX_SCAN_BYTES = 8 << 20;
  /** Longest directory we accept as part of the run: real ones are under 40 bytes. */
  private static final int MAX_DIRECTORY_BYTES = 256;

  private LoaderSearchPath() {}

  /** The directories (without their trailing slash) of the first SYSTEM_DIRS-shaped run in the file. */
  static Optional<List<String>> read(Path loader) throws IOException {
    try (FileChannel ch = FileChannel.open(loader, StandardOpenOption.READ)) {
      int length = (int) Math.min(ch.size(), MAX_SCAN_BYTES);
      ByteBuffer b = ByteBuffer.allocate(length);
      int n;
      do {
        n = ch.read(b, b.position());
      } while (n >= 0 && b.hasRemaining());
      return find(b.array(), b.position());
    }
  }

  /**
   * The first run of at least two NUL-terminated strings, each an absolute directory ending in
   * {@code /} with {@code lib} in it, that starts right after a NUL (or at 0), within {@code bytes[0, length)}.
   */
  static Optional<List<String>> find(byte[] bytes, int length) {
    for (int i = 0; i < length; i++) {
      if (bytes[i] != '/' || (i > 0 && bytes[i - 1] != 0)) {
        continue;
      }
      List<String> dirs = new ArrayList<>();
      int at = i;
      int end;
      while ((end = directoryEnd(bytes, length, at)) >= 0) {
        String dir = new String(bytes, at, end - at, StandardCharsets.US_ASCII);
        dirs.add(dir.substring(0, dir.length() - 1));
        at = end + 1;
      }
      if (dirs.size() >= 2) {
        return Optional.of(List.copyOf(dirs));
      }
    }
    return Optional.empty();
  }

  /** Index of the NUL ending a directory string at {@code at}, or -1 when none is there. */
  private static int directoryEnd(byte[] bytes, int length, int at) {
    if (at >= length || bytes[at] != '/') {
      return -1;
    }
    int limit = Math.min(length, at + MAX_DIRECTORY_BYTES);
    for (int j = at + 1; j < limit; j++) {
      byte c = bytes[j];
      if (c == 0) {
        boolean endsInSlash = bytes[j - 1] == '/' && j - at > 1;
        String s = new String(bytes, at, j - at, StandardCharsets.US_ASCII);
        return endsInSlash && s.contains("lib") ? j : -1;
      }
      if (c < 0x21 || c > 0x7e) {
        return -1;
      }
    }
    return -1;
  }
}
