package dev.nanokit.elf;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Computes, without executing anything, the interpreter and shared libraries a dynamically linked
 * program needs, following the glibc loader's rules (docs/formats/elf-deps.md, "3 Dynamic string tokens (DSTs)" to "5 Multiarch directories (Debian/Ubuntu)", "7 Recommended non-executing resolver") against a target root.
 *
 * <p>Deliberate choices where the spec leaves room: glibc-hwcaps subdirectories are not searched
 * unless configured ("4 glibc search order for a DT_NEEDED name": the VM's CPU is unknown); ld.so.cache is emulated from ld.so.conf ("4.1 ld.so.conf (what feeds ld.so.cache)");
 * the default directories are those compiled into the program's interpreter (a glibc loader keeps
 * them as one string; see {@link LoaderSearchPath}), else follow the distribution flavour detected in
 * the root (multiarch if {@code /lib/<triplet>} or {@code /usr/lib/<triplet>} exists, else lib64
 * style), unless set.
 * Thread-safe: instances are immutable and each {@link #resolve} works on its own state.
 */
public final class LibraryResolver {
  private final Path targetRoot;
  private final List<String> libraryPath;
  private final List<String> defaultDirectories;
  private final String libDirectoryName;
  private final Optional<String> platform;
  private final boolean platformSet;
  private final boolean useLdSoConf;
  private final List<String> hwcapsSubdirectories;

  private LibraryResolver(Builder b) {
    this.targetRoot = b.targetRoot;
    this.libraryPath = b.libraryPath;
    this.defaultDirectories = b.defaultDirectories;
    this.libDirectoryName = b.libDirectoryName;
    this.platform = Optional.ofNullable(b.platform);
    this.platformSet = b.platformSet;
    this.useLdSoConf = b.useLdSoConf;
    this.hwcapsSubdirectories = b.hwcapsSubdirectories;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builder; every setting is optional. */
  public static final class Builder {
    private Path targetRoot;
    private List<String> libraryPath;
    private List<String> defaultDirectories;
    private String libDirectoryName;
    private String platform;
    private boolean platformSet;
    private boolean useLdSoConf = true;
    private List<String> hwcapsSubdirectories = List.of();

    private Builder() {}

    /** Directory that plays the role of {@code /}; absent means the host root. */
    public Builder setTargetRoot(Path root) {
      this.targetRoot = java.util.Objects.requireNonNull(root, "target root");
      return this;
    }

    /** LD_LIBRARY_PATH of the image environment; elements may themselves contain {@code :}. */
    public Builder setLibraryPath(List<String> path) {
      // contains(null) would throw on immutable lists, so look for null elements directly.
      boolean hasNull = false;
      if (path != null) {
        for (String element : path) {
          hasNull |= element == null;
        }
      }
      checkArgument(!hasNull, "library path has a null element: %s", path);
      this.libraryPath = path == null ? null : List.copyOf(path);
      return this;
    }

    /** Replaces the detected default directories ("4 glibc search order for a DT_NEEDED name" step 6). */
    public Builder setDefaultDirectories(List<String> dirs) {
      if (dirs != null) {
        for (String d : dirs) {
          checkArgument(d != null && d.startsWith("/"),
              "default directory must be an absolute image path: %s", d);
        }
      }
      this.defaultDirectories = dirs == null ? null : List.copyOf(dirs);
      return this;
    }

    /** Expansion of {@code $LIB}; detected from the root's layout when unset. */
    public Builder setLibDirectoryName(String lib) {
      checkArgument(lib == null || (!lib.isEmpty() && !lib.startsWith("/")),
          "$LIB expansion must be a relative directory such as lib64: %s", lib);
      this.libDirectoryName = lib;
      return this;
    }

    /**
     * Expansion of {@code $PLATFORM}; null makes elements using it fail, as inside Nanos where
     * AT_PLATFORM is not passed ("3 Dynamic string tokens (DSTs)"). Defaults to the architecture's AT_PLATFORM string.
     */
    public Builder setPlatform(String platform) {
      this.platform = platform;
      this.platformSet = true;
      return this;
    }

    /** Whether to search ld.so.conf directories (emulating the host's ld.so.cache). */
    public Builder setUseLdSoConf(boolean use) {
      this.useLdSoConf = use;
      return this;
    }

    /** glibc-hwcaps subdirectory names to try first, best first (e.g. x86-64-v3); default none. */
    public Builder setHwcapsSubdirectories(List<String> subdirs) {
      java.util.Objects.requireNonNull(subdirs, "hwcaps subdirectories");
      for (String h : subdirs) {
        checkArgument(h != null && !h.isEmpty() && h.indexOf('/') < 0 && !h.equals("..")
            && !h.equals("."), "hwcaps subdirectory must be one path component: %s", h);
      }
      this.hwcapsSubdirectories = List.copyOf(subdirs);
      return this;
    }

    /** A precondition that names the bad value, as Guava's would, without Guava for two checks. */
    private static void checkArgument(boolean ok, String message, Object badValue) {
      if (!ok) {
        throw new IllegalArgumentException(message.replace("%s", String.valueOf(badValue)));
      }
    }

    public LibraryResolver build() {
      return new LibraryResolver(this);
    }
  }

  /**
   * Resolves the dependencies of {@code program}, a host path; with a target root, an absolute path
   * not already under the root is taken as an image path inside it.
   *
   * @throws NoSuchFileException if the program does not exist (inside the root, or as an absolute
   *     host path outside it, which is then resolved as if at that path in the root)
   * @throws ElfFormatException if the program is not a valid ELF file
   */
  public ResolvedLibraries resolve(Path program) throws IOException {
    java.util.Objects.requireNonNull(program, "program");
    RootFs fs = new RootFs(targetRoot == null ? Path.of("/") : targetRoot);
    String image = programImagePath(fs, program);
    List<RootFs.Hop> hops = fs.open(image);
    if (hops.isEmpty()) {
      if (isHostProgramOutsideRoot(fs, program)) {
        // Built outside the sysroot it runs against (a cross-compiled program beside Debian's
        // /usr/aarch64-linux-gnu): it goes into the image at its own path; only what it loads comes from the root.
        return resolve(program, image);
      }
      throw new NoSuchFileException(program.toString());
    }
    RootFs.Hop real = hops.get(hops.size() - 1);
    ElfFile elf = ElfFile.read(real.hostPath());
    return new Run(fs, elf, real.imagePath()).run();
  }

  /**
   * Resolves the dependencies of {@code object}, a host ELF file (a program or a shared library)
   * wherever it is, as if it were at {@code imagePath} in the root: {@code $ORIGIN} is that path's
   * directory, and everything it loads comes from the root.
   *
   * @throws ElfFormatException if the object is not a valid ELF file
   */
  public ResolvedLibraries resolve(Path object, String imagePath) throws IOException {
    java.util.Objects.requireNonNull(object, "object");
    if (imagePath == null || !imagePath.startsWith("/")) {
      throw new IllegalArgumentException("image path must be absolute: " + imagePath);
    }
    RootFs fs = new RootFs(targetRoot == null ? Path.of("/") : targetRoot);
    return new Run(fs, ElfFile.read(object), RootFs.normalize(imagePath)).run();
  }

  private boolean isHostProgramOutsideRoot(RootFs fs, Path program) {
    return targetRoot != null && program.isAbsolute() && !program.normalize().startsWith(fs.root())
        && java.nio.file.Files.isRegularFile(program);
  }

  private String programImagePath(RootFs fs, Path program) {
    Path abs = program.toAbsolutePath().normalize();
    if (targetRoot == null) {
      return abs.toString();
    }
    if (program.isAbsolute() && !abs.startsWith(fs.root())) {
      return RootFs.normalize(program.toString());
    }
    if (!program.isAbsolute()) {
      abs = Path.of(System.getProperty("user.dir")).resolve(program).normalize();
    }
    return RootFs.normalize("/" + fs.root().relativize(abs).toString().replace('\\', '/'));
  }

  /** Why a directory is searched; only ld.so.conf-only hits deserve a warning ("6 What matters at run time inside Nanos"). */
  private enum Source { RPATH, LD_LIBRARY_PATH, RUNPATH, LD_SO_CONF, DEFAULT }

  private record Dir(String path, Source source) {}

  /** A loaded object in the emulated link map. */
  private record Obj(ElfFile elf, String imagePath, String origin, Obj loader) {
    Optional<String> effectiveRpath() {
      // glibc drops DT_RPATH entirely when DT_RUNPATH is present.
      return elf.runpath().isPresent() ? Optional.empty() : elf.rpath();
    }
  }

  /** State of one resolution. */
  private final class Run {
    private final RootFs fs;
    private final ElfFile programElf;
    private final String programReal;
    private final Map<String, ResolvedLibraries.Entry> entries = new TreeMap<>();
    private final Map<String, Obj> byName = new HashMap<>();
    private final Map<Path, Obj> byHostFile = new HashMap<>();
    private final Set<String> missing = new LinkedHashSet<>();
    private final List<String> warnings = new ArrayList<>();
    private final String triplet;
    private final List<String> defaults;
    private final String lib;
    private final Optional<String> plat;
    private List<String> confDirs;

    Run(RootFs fs, ElfFile elf, String programReal) {
      this.fs = fs;
      this.programElf = elf;
      this.programReal = programReal;
      this.triplet = triplet(elf);
      boolean multiarch = triplet != null
          && (fs.isDirectory("/lib/" + triplet) || fs.isDirectory("/usr/lib/" + triplet));
      Optional<List<String>> compiled = defaultDirectories != null ? Optional.empty() : compiledDefaults(fs, elf);
      this.defaults = defaultDirectories != null ? defaultDirectories
          : compiled.isPresent() ? compiled.get() : defaults(elf, multiarch);
      // glibc's $LIB is its slibdir, the first of its compiled-in directories.
      String slibdir = compiled.isPresent() ? compiled.get().get(0).substring(1) : "";
      this.lib = libDirectoryName != null ? libDirectoryName
          : !slibdir.isEmpty() ? slibdir : multiarch ? "lib/" + triplet : elf.elfClass() == 64 ? "lib64" : "lib";
      this.plat = platformSet ? platform : Optional.ofNullable(atPlatform(elf));
    }

    ResolvedLibraries run() {
      Optional<String> interp = programElf.interpreter();
      if (!programElf.isDynamic()) {
        return result(interp);
      }
      Obj program = new Obj(programElf, programReal, RootFs.parent(programReal), null);
      if (programElf.soname().isPresent()) {
        byName.put(programElf.soname().get(), program);
      }
      if (interp.isPresent()) {
        loadInterpreter(interp.get());
      }
      ArrayDeque<Obj> queue = new ArrayDeque<>();
      queue.add(program);
      while (!queue.isEmpty()) {
        Obj r = queue.poll();
        for (String name : r.elf().needed()) {
          if (byName.containsKey(name) || missing.contains(name)) {
            continue;
          }
          Obj loaded = load(name, r, program);
          if (loaded != null) {
            queue.add(loaded);
          }
        }
      }
      return result(interp);
    }

    private ResolvedLibraries result(Optional<String> interp) {
      return new ResolvedLibraries(programReal, interp, new ArrayList<>(entries.values()),
          new ArrayList<>(missing), warnings);
    }

    private void loadInterpreter(String interp) {
      String path = RootFs.normalize(interp.startsWith("/") ? interp : "/" + interp);
      List<RootFs.Hop> hops = fs.open(path);
      String base = path.substring(path.lastIndexOf('/') + 1);
      if (hops.isEmpty()) {
        missing.add(interp);
        byName.put(base, null); // do not search for libc's DT_NEEDED on the loader
        return;
      }
      record(hops);
      Path host = hops.get(hops.size() - 1).hostPath();
      try {
        ElfFile elf = ElfFile.read(host);
        Obj o = new Obj(elf, path, RootFs.parent(path), null);
        byName.put(interp, o);
        byName.put(path, o);
        if (elf.soname().isPresent()) {
          byName.put(elf.soname().get(), o);
        }
        byHostFile.put(host, o);
      } catch (IOException e) {
        warnings.add("interpreter " + interp + " is not readable as ELF: " + e.getMessage());
        byName.put(base, null);
      }
    }

    /** Maps {@code name} for requester {@code r}; returns the new object or null. */
    private Obj load(String name, Obj r, Obj program) {
      List<String> candidates = new ArrayList<>();
      Map<String, Source> sources = new HashMap<>();
      if (name.indexOf('/') >= 0) {
        Optional<String> p = expand(name, r.origin());
        if (p.isPresent()) {
          candidates.add(p.get().startsWith("/") ? p.get() : "/" + p.get());
        }
      } else {
        for (Dir d : searchDirs(r, program)) {
          for (String h : hwcapsSubdirectories) {
            String c = RootFs.join(RootFs.join(d.path(), "glibc-hwcaps/" + h), name);
            candidates.add(c);
            sources.putIfAbsent(c, d.source());
          }
          String c = RootFs.join(d.path(), name);
          candidates.add(c);
          sources.putIfAbsent(c, d.source());
        }
      }
      List<String> skipped = new ArrayList<>();
      for (String candidate : candidates) {
        String image = RootFs.normalize(candidate);
        List<RootFs.Hop> hops = fs.open(image);
        if (hops.isEmpty()) {
          continue;
        }
        Path host = hops.get(hops.size() - 1).hostPath();
        ElfFile elf;
        try {
          elf = ElfFile.read(host);
        } catch (IOException e) {
          // "8 Architectures": a candidate that is not ELF stops the search for this name.
          missing.add(name);
          warnings.add(name + ": " + image + " is not a usable ELF file: " + e.getMessage());
          return null;
        }
        if (!compatible(elf)) {
          skipped.add(image + " (" + elf.architecture() + ", ELF" + elf.elfClass() + ")");
          continue;
        }
        record(hops);
        if (sources.get(candidate) == Source.LD_SO_CONF) {
          warnings.add(name + " found in " + RootFs.parent(image) + " only through ld.so.conf;"
              + " the loader in the VM does not search it unless LD_LIBRARY_PATH includes it");
        }
        Obj existing = byHostFile.get(host);
        if (existing != null) {
          // Same file under another name: glibc reuses the object (dev/inode match).
          byName.put(name, existing);
          return null;
        }
        Obj o = new Obj(elf, image, RootFs.parent(image), r);
        byName.put(name, o);
        byName.put(image, o);
        if (elf.soname().isPresent()) {
          byName.putIfAbsent(elf.soname().get(), o);
        }
        byHostFile.put(host, o);
        return o;
      }
      missing.add(name);
      if (!skipped.isEmpty()) {
        warnings.add(name + ": skipped incompatible candidates " + skipped);
      }
      return null;
    }

    private boolean compatible(ElfFile elf) {
      return elf.elfClass() == programElf.elfClass()
          && elf.byteOrder().equals(programElf.byteOrder())
          && elf.machine() == programElf.machine();
    }

    private void record(List<RootFs.Hop> hops) {
      for (RootFs.Hop h : hops) {
        entries.putIfAbsent(h.imagePath(), h.linkTarget() != null
            ? new ResolvedLibraries.SymlinkEntry(h.imagePath(), h.linkTarget())
            : new ResolvedLibraries.FileEntry(h.imagePath(), h.hostPath()));
      }
    }

    private List<Dir> searchDirs(Obj r, Obj program) {
      List<Dir> dirs = new ArrayList<>();
      if (r.elf().runpath().isEmpty()) {
        boolean programSeen = false;
        for (Obj o = r; o != null; o = o.loader()) {
          programSeen |= o == program;
          addList(dirs, o.effectiveRpath(), ":", o.origin(), Source.RPATH);
        }
        if (!programSeen) {
          addList(dirs, program.effectiveRpath(), ":", program.origin(), Source.RPATH);
        }
      }
      if (libraryPath != null) {
        for (String e : libraryPath) {
          addList(dirs, Optional.of(e), "[:;]", program.origin(), Source.LD_LIBRARY_PATH);
        }
      }
      addList(dirs, r.elf().runpath(), ":", r.origin(), Source.RUNPATH);
      if (!r.elf().isNoDefaultLib()) {
        if (useLdSoConf) {
          if (confDirs == null) {
            confDirs = LdSoConf.directories(fs);
          }
          for (String d : confDirs) {
            dirs.add(new Dir(d, defaults.contains(d) ? Source.DEFAULT : Source.LD_SO_CONF));
          }
        }
        for (String d : defaults) {
          dirs.add(new Dir(d, Source.DEFAULT));
        }
      }
      return dirs;
    }

    private void addList(List<Dir> dirs, Optional<String> list, String sep, String origin,
        Source source) {
      if (list.isEmpty()) {
        return;
      }
      for (String element : list.get().split(sep)) {
        if (element.isEmpty()) {
          continue; // would mean the process cwd; ignored at build time ("3 Dynamic string tokens (DSTs)")
        }
        Optional<String> e = expand(element, origin);
        if (e.isPresent()) {
          String s = e.get();
          dirs.add(new Dir(RootFs.normalize(s.startsWith("/") ? s : "/" + s), source));
        }
      }
    }

    /** Dynamic string token expansion ("3 Dynamic string tokens (DSTs)"); empty if a token cannot be expanded. */
    private Optional<String> expand(String s, String origin) {
      StringBuilder out = new StringBuilder();
      int i = 0;
      while (i < s.length()) {
        char c = s.charAt(i);
        if (c != '$') {
          out.append(c);
          i++;
          continue;
        }
        String token;
        int end;
        if (i + 1 < s.length() && s.charAt(i + 1) == '{') {
          int close = s.indexOf('}', i + 2);
          if (close < 0) {
            out.append(c);
            i++;
            continue;
          }
          token = s.substring(i + 2, close);
          end = close + 1;
        } else {
          int j = i + 1;
          while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
            j++;
          }
          token = s.substring(i + 1, j);
          end = j;
        }
        String value;
        switch (token) {
          case "ORIGIN":
            value = origin;
            break;
          case "LIB":
            value = lib;
            break;
          case "PLATFORM":
            if (plat.isEmpty()) {
              return Optional.empty();
            }
            value = plat.get();
            break;
          default:
            out.append(c); // unknown tokens stay verbatim, like glibc
            i++;
            continue;
        }
        out.append(value);
        i = end;
      }
      return Optional.of(out.toString());
    }
  }

  /**
   * The default directories compiled into the program's interpreter as found in the root, when it
   * is a glibc loader; empty otherwise. A loader that cannot be read is reported when it is loaded
   * as a dependency, so here it only means "guess from the layout".
   */
  private static Optional<List<String>> compiledDefaults(RootFs fs, ElfFile elf) {
    Optional<String> interp = elf.interpreter();
    if (interp.isEmpty()) {
      return Optional.empty();
    }
    String path = RootFs.normalize(interp.get().startsWith("/") ? interp.get() : "/" + interp.get());
    List<RootFs.Hop> hops = fs.open(path);
    if (hops.isEmpty()) {
      return Optional.empty();
    }
    try {
      return LoaderSearchPath.read(hops.get(hops.size() - 1).hostPath());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Debian multiarch triplet ("5 Multiarch directories (Debian/Ubuntu)"), or null when there is no established one. */
  static String triplet(ElfFile elf) {
    boolean le = elf.byteOrder().equals(ByteOrder.LITTLE_ENDIAN);
    switch (elf.architecture()) {
      case X86_64:
        return "x86_64-linux-gnu";
      case AARCH64:
        return le ? "aarch64-linux-gnu" : "aarch64_be-linux-gnu";
      case RISCV64:
        return "riscv64-linux-gnu";
      case X86:
        return "i386-linux-gnu";
      case ARM:
        return "arm-linux-gnueabihf";
      case PPC64:
        return le ? "powerpc64le-linux-gnu" : "powerpc64-linux-gnu";
      case S390X:
        return "s390x-linux-gnu";
      case LOONGARCH64:
        return "loongarch64-linux-gnu";
      default:
        return null;
    }
  }

  private static List<String> defaults(ElfFile elf, boolean multiarch) {
    if (multiarch) {
      String t = triplet(elf);
      return List.of("/lib/" + t, "/usr/lib/" + t, "/lib", "/usr/lib");
    }
    if (elf.architecture() == Architecture.RISCV64) {
      return List.of("/lib64/lp64d", "/usr/lib64/lp64d");
    }
    return elf.elfClass() == 64 ? List.of("/lib64", "/usr/lib64") : List.of("/lib", "/usr/lib");
  }

  private static String atPlatform(ElfFile elf) {
    switch (elf.architecture()) {
      case X86_64:
        return "x86_64";
      case AARCH64:
        return "aarch64";
      case X86:
        return "i686";
      default:
        return null;
    }
  }
}
