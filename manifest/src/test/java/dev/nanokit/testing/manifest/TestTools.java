package dev.nanokit.testing.manifest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Host tools for tests that use one (gcc, qemu, tar, script, bash): found once, the same way. */
public final class TestTools {
  private TestTools() {}

  /** The first executable {@code name} in a directory of {@code $PATH}. */
  public static Optional<Path> onPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
        return Optional.of(Path.of(dir, name));
      }
    }
    return Optional.empty();
  }
}
