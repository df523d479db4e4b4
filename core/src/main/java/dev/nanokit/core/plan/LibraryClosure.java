package dev.nanokit.core.plan;

import dev.nanokit.core.ImageEntry;
import dev.nanokit.elf.Architecture;
import dev.nanokit.elf.ElfFile;
import dev.nanokit.elf.LibraryResolver;
import dev.nanokit.elf.ResolvedLibraries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The shared libraries of every ELF object in the image besides the program, whose own were resolved
 * first (docs/formats/elf-deps.md, "7 Recommended non-executing resolver"). A JDK's {@code libjvm.so} or Python's {@code lib-dynload} modules come in
 * through a directory, and their own {@code DT_NEEDED} ({@code libstdc++}, {@code libm}, {@code libz}, …)
 * must be there too, or they fail when loaded, long after the build said yes.
 *
 * <p>A needed name is already met when the object's RPATH/RUNPATH ({@code $ORIGIN} being its image
 * directory), the image environment's {@code LD_LIBRARY_PATH} or the loader's default directories
 * find it in the image. Otherwise it is resolved with the program's rules in the library root (the
 * target root, a container's or a package's root, or the host's {@code /}), and what is found is added;
 * what is not is a warning naming the object and the library. Objects for another machine (test data
 * in a tree, say) are not the program's to load and are left alone. Nothing is executed.
 *
 * <p>One instance per plan; not thread-safe.
 */
final class LibraryClosure {
  /** Warnings beyond this many are counted, not listed: a tree of foreign binaries must not flood the output. */
  static final int MAX_WARNINGS = 20;

  /** A library to add and the object that needs it. */
  record Found(ImageEntry entry, String neededBy) {}

  /** An ELF object of the image that needs libraries, and the host file it comes from. */
  private record HostObject(Path host, ElfFile elf) {}

  private final List<ImageEntry> image;
  private final Predicate<String> inImage;
  private final Map<ImageEntry, Object> probed;
  private final Path libraryRoot;
  private final LibraryResolver resolver;
  private final Architecture machine;
  private final List<String> libraryPath;
  private final Map<String, Found> added = new TreeMap<>();
  private final List<String> notes = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private final Set<String> loadedByName = new java.util.HashSet<>();
  private int unlistedWarnings;

  /**
   * @param image the plan so far, in path order, read only
   * @param inImage whether the plan so far has an entry at an image path
   * @param probed what is already known of files of {@code image} (by entry): {@link Boolean#TRUE} if it
   *     starts with the ELF magic, {@link Boolean#FALSE} if not, or the IOException reading it met
   * @param libraryRoot where missing libraries come from
   * @param machine the program's machine; objects for others are skipped (null: none skipped)
   * @param libraryPath the image environment's {@code LD_LIBRARY_PATH} elements
   */
  LibraryClosure(List<ImageEntry> image, Predicate<String> inImage, Map<ImageEntry, Object> probed,
      Path libraryRoot, Architecture machine, List<String> libraryPath) {
    this.image = image;
    this.inImage = inImage;
    this.probed = probed;
    this.libraryRoot = libraryRoot;
    this.resolver = LibraryResolver.builder().setTargetRoot(libraryRoot).setLibraryPath(libraryPath).build();
    this.machine = machine;
    this.libraryPath = libraryPath;
  }

  /** Checks every regular file of the image not in {@code skip}; returns what to add, in path order. */
  List<Found> close(Set<String> skip) throws IOException {
    Map<String, HostObject> objects = new TreeMap<>();
    // Which files are ELF objects: one open and read per file of the image, most of this step's time
    // for a tree of thousands of files. Walked files were checked while they were listed; the others
    // are checked here on all processors. The answers are used in order.
    List<ImageEntry> files = new ArrayList<>();
    for (ImageEntry e : image) {
      if (e.kind() == ImageEntry.Kind.FILE && e.hostPath() != null) {
        files.add(e);
      }
    }
    Object[] probes = new Object[files.size()];
    List<Integer> unknown = new ArrayList<>();
    for (int i = 0; i < probes.length; i++) {
      probes[i] = probed.get(files.get(i));
      if (probes[i] == null) {
        unknown.add(i);
      }
    }
    unknown.parallelStream().forEach(i -> probes[i] = probe(files.get(i).hostPath()));
    // The ELF objects are read the same way: each on its own, the results taken in path order.
    List<Integer> elves = new ArrayList<>();
    for (int i = 0; i < probes.length; i++) {
      if (probes[i] == Boolean.TRUE) {
        elves.add(i);
      }
    }
    Object[] read = new Object[probes.length];
    elves.parallelStream().forEach(i -> read[i] = read(files.get(i).hostPath()));
    for (int i = 0; i < files.size(); i++) {
      if (probes[i] instanceof IOException x) {
        throw x;
      }
      if (probes[i] != Boolean.TRUE) {
        continue;
      }
      String path = files.get(i).imagePath();
      if (read[i] instanceof ElfFile elf) {
        elf.soname().ifPresent(loadedByName::add);
        if (!skip.contains(path) && (machine == null || elf.architecture() == machine) && !elf.needed().isEmpty()) {
          objects.put(path, new HostObject(files.get(i).hostPath(), elf));
        }
      } else if (!skip.contains(path)) {
        notes.add("not checked for shared libraries: " + path + ": " + ((IOException) read[i]).getMessage());
      }
    }
    for (Map.Entry<String, HostObject> o : objects.entrySet()) {
      check(o.getKey(), o.getValue().host(), o.getValue().elf());
    }
    if (unlistedWarnings > 0) {
      warnings.add("and " + unlistedWarnings + " more libraries not found for objects in the image");
    }
    return List.copyOf(added.values());
  }

  /** The ELF object at {@code host}, or the IOException reading it met. */
  private static Object read(Path host) {
    try {
      return ElfFile.read(host);
    } catch (IOException e) {
      return e;
    }
  }

  /** TRUE for a regular file that starts with the ELF magic, FALSE for any other, or the IOException met. */
  private static Object probe(Path host) {
    try {
      return Files.isRegularFile(host) && ElfFile.hasElfMagic(host);
    } catch (IOException e) {
      return e;
    }
  }

  List<String> notes() {
    return List.copyOf(notes);
  }

  List<String> warnings() {
    return List.copyOf(warnings);
  }

  private void check(String path, Path host, ElfFile elf) throws IOException {
    List<String> unmet = elf.needed().stream().filter(n -> !inImage(n, path, elf)).toList();
    if (unmet.isEmpty()) {
      return;
    }
    ResolvedLibraries r;
    try {
      r = resolver.resolve(host, path);
    } catch (IOException e) {
      notes.add("not checked for shared libraries: " + path + ": " + e.getMessage());
      return;
    }
    for (ResolvedLibraries.Entry lib : r.entries()) {
      String p = lib.imagePath();
      String name = p.substring(p.lastIndexOf('/') + 1);
      // The image's own copy of a library wins over the root's, wherever each keeps it.
      if (inImage.test(p) || added.containsKey(p)
          || (lib instanceof ResolvedLibraries.FileEntry && inDefaultDirectories(name))) {
        continue;
      }
      ImageEntry entry = lib instanceof ResolvedLibraries.FileEntry f ? ImageEntry.file(p, f.hostPath())
          : ImageEntry.symlink(p, ((ResolvedLibraries.SymlinkEntry) lib).linkTarget());
      added.put(p, new Found(entry, path));
      if (entry.kind() == ImageEntry.Kind.FILE) {
        notes.add("added " + p + " from " + entry.hostPath() + ": needed by " + path);
      }
    }
    for (String name : r.missing()) {
      if (!inImage(name, path, elf)) {
        warn(path + " needs " + name + ", found neither in the image nor in " + libraryRoot);
      }
    }
  }

  private void warn(String warning) {
    if (warnings.size() < MAX_WARNINGS) {
      warnings.add(warning);
    } else {
      unlistedWarnings++;
    }
  }

  /** Whether the loader would find {@code name} for the object at {@code path} among the image's files. */
  private boolean inImage(String name, String path, ElfFile elf) {
    // An object of the image with that SONAME: the runtime loads it first (a JDK launcher dlopens
    // lib/server/libjvm.so by path before libjava.so asks for libjvm.so), and ld.so reuses it by name.
    if (loadedByName.contains(name)) {
      return true;
    }
    if (name.contains("/")) {
      return has(name.startsWith("/") ? name : "/" + name);
    }
    String origin = path.substring(0, path.lastIndexOf('/'));
    List<String> dirs = new ArrayList<>();
    for (String list : new String[] {elf.rpath().orElse(""), elf.runpath().orElse("")}) {
      for (String d : list.split(":")) {
        dirs.add(d.replace("${ORIGIN}", origin).replace("$ORIGIN", origin));
      }
    }
    dirs.addAll(libraryPath);
    for (String d : dirs) {
      if (d.startsWith("/") && has(d + "/" + name)) {
        return true;
      }
    }
    return inDefaultDirectories(name);
  }

  private boolean inDefaultDirectories(String name) {
    String triplet = machine == Architecture.AARCH64 ? "aarch64-linux-gnu" : "x86_64-linux-gnu";
    for (String d : new String[] {"/lib/" + triplet, "/usr/lib/" + triplet, "/lib", "/usr/lib", "/lib64", "/usr/lib64"}) {
      if (has(d + "/" + name)) {
        return true;
      }
    }
    return false;
  }

  private boolean has(String imagePath) {
    String p = Path.of(imagePath).normalize().toString();
    return inImage.test(p) || added.containsKey(p);
  }
}
