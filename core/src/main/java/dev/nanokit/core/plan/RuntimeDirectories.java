package dev.nanokit.core.plan;

import dev.nanokit.core.host.ImageRoot;
import dev.nanokit.elf.ElfFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an interpreter loads besides shared libraries, found by reading files, never by running the
 * program: CPython's standard library ({@code <prefix>/lib/pythonX.Y}, with {@code lib-dynload}; also
 * {@code <prefix>/lib64/pythonX.Y/lib-dynload} where a distribution splits it out), for a program named
 * {@code pythonX.Y} or linked with {@code libpythonX.Y}; and a JDK launcher's runtime image
 * ({@code <java.home>/lib} with {@code lib/modules}, {@code conf}, {@code release}), for a {@code bin/java}
 * whose home has {@code lib/modules}. The prefix and home come from the program's real path in the
 * library root, as the interpreters derive them at run time from their own location.
 *
 * <p>Stateless; safe for concurrent use.
 */
final class RuntimeDirectories {
  private static final Pattern PYTHON = Pattern.compile("python(\\d+\\.\\d+)");
  private static final Pattern LIBPYTHON = Pattern.compile("libpython(\\d+\\.\\d+)[a-z]*\\.so(\\..*)?");

  /** A host file or directory to add at its image path, and why. */
  record Tree(Path host, String imagePath, String why) {}

  private RuntimeDirectories() {}

  /**
   * The runtime trees of the program whose real image path in {@code root} is {@code realProgram}
   * (host file {@code programHost}); empty for any other program.
   */
  static List<Tree> find(ImageRoot root, String realProgram, Path programHost) throws IOException {
    String name = realProgram.substring(realProgram.lastIndexOf('/') + 1);
    String bin = parent(realProgram);
    String prefix = parent(bin);
    List<Tree> trees = new ArrayList<>();
    Optional<String> python = pythonVersion(name, programHost);
    if (python.isPresent()) {
      String version = python.get();
      String stdlib = prefix + "/lib/python" + version;
      Path host = root.resolveDirectoryIfPresent(stdlib);
      if (host != null && Files.isRegularFile(host.resolve("os.py"))) {
        trees.add(new Tree(host, stdlib, "the standard library of python" + version));
      }
      String dynload = prefix + "/lib64/python" + version + "/lib-dynload";
      Path dynloadHost = root.resolveDirectoryIfPresent(dynload);
      if (dynloadHost != null) {
        trees.add(new Tree(dynloadHost, dynload, "the extension modules of python" + version));
      }
    } else if (name.equals("java") && bin.endsWith("/bin")) {
      Path lib = root.resolveDirectoryIfPresent(prefix + "/lib");
      if (lib != null && Files.isRegularFile(lib.resolve("modules"))) {
        String why = "the runtime image of the Java launcher " + realProgram;
        trees.add(new Tree(lib, prefix + "/lib", why));
        Path conf = root.resolveDirectoryIfPresent(prefix + "/conf");
        if (conf != null) {
          trees.add(new Tree(conf, prefix + "/conf", why));
        }
        Path release = root.resolveIfPresent(prefix + "/release");
        if (release != null) {
          trees.add(new Tree(release, prefix + "/release", why));
        }
      }
    }
    return trees;
  }

  /** {@code X.Y} for {@code pythonX.Y} or a program linked with {@code libpythonX.Y}. */
  private static Optional<String> pythonVersion(String name, Path programHost) throws IOException {
    Matcher m = PYTHON.matcher(name);
    if (m.matches()) {
      return Optional.of(m.group(1));
    }
    if (!name.startsWith("python")) {
      return Optional.empty();
    }
    try {
      for (String needed : ElfFile.read(programHost).needed()) {
        Matcher lib = LIBPYTHON.matcher(needed);
        if (lib.matches()) {
          return Optional.of(lib.group(1));
        }
      }
    } catch (IOException notElf) {
      // A python that is not ELF (a wrapper script) tells nothing.
    }
    return Optional.empty();
  }

  private static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "" : path.substring(0, slash);
  }
}
