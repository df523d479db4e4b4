package dev.nanokit.core.plan;

import dev.nanokit.core.ImageEntry;
import dev.nanokit.core.ImageInputException;
import dev.nanokit.core.ImagePlan;
import dev.nanokit.core.OpsConfig;
import dev.nanokit.core.host.ImageRoot;
import dev.nanokit.elf.Architecture;
import dev.nanokit.elf.ElfFile;
import dev.nanokit.manifest.StringValue;
import dev.nanokit.manifest.Tuple;
import dev.nanokit.manifest.Value;
import dev.nanokit.paths.SymlinkWalk;
import dev.nanokit.tfs.ImagePath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Plans the root filesystem content and root-tuple configuration of {@code mkimage} (docs/cli) from an
 * ops configuration, the program with its already-resolved libraries, and the command line, with ops'
 * precedence (docs/formats/manifest.md, "5 ops `config.json`", "6 The tree ops builds (default content of every image)"). Pure logic: it reads the host only to check and list the files it
 * was told about (and the injected CA bundle and NSS library paths), never {@code /etc} or the
 * environment, so tests are hermetic.
 *
 * <p><b>Order</b> — a later entry replaces an earlier one at the same image path:
 * <ol>
 *   <li>the CA bundle {@code /etc/ssl/certs/ca-certificates.crt} and (x86-64 only)
 *       {@code /lib/x86_64-linux-gnu/libnss_dns.so.2}, for program builds, when the injected host paths
 *       exist (ops adds its "common" files first, so a library resolved from the target root wins);
 *   <li>the program, then its libraries and interpreter (or a package's sysroot), as given;
 *   <li>default files: {@code /etc/resolv.conf}, {@code /proc/sys/kernel/hostname},
 *       {@code /etc/hostname}, {@code /etc/passwd} (the last two only if not already present);
 *   <li>config {@code Files}, {@code Dirs}, {@code MapDirs} (config order);
 *   <li>package builds: the first argument, when it names a host file (ops {@code pkg load}), unless
 *       {@code DisableArgsCopy};
 *   <li>{@code --file}, then {@code --dir} (command-line flags override the configuration);
 *   <li>with runtime support ({@link PlannerInputs#runtimeFrom}): an interpreter's runtime directories
 *       ({@link RuntimeDirectories}), unless the user mapped them, then the libraries every other ELF
 *       object needs ({@link LibraryClosure}), where nothing is yet;
 *   <li>the {@code Mounts} directories.
 * </ol>
 *
 * <p><b>Decisions where the spec is silent or nanokit differs from ops:</b>
 * <ul>
 *   <li><i>Type conflicts</i>: a file or symlink replaces a file or symlink. A directory is never
 *       replaced by a file or symlink and never replaces one (ops would silently drop a whole subtree
 *       or write into a file's tuple): that is an error naming both sources, as is an entry whose
 *       parent is a file or symlink. A replacement by a different source is recorded in the notes.
 *   <li><i>Hostname</i>: ops writes {@code uniboot} to {@code /proc/sys/kernel/hostname}, which the
 *       kernel ignores; it takes the node name from {@code /etc/hostname} (docs/formats/manifest.md, "4.1 Program and process"). nanokit
 *       writes both (7 bytes, no newline), so programs reading either file and {@code uname()} agree.
 *       {@code /etc/hostname} is nanokit's addition, so like {@code /etc/passwd} it does not replace a
 *       file the program's dependencies or a package already put there.
 *   <li><i>Files</i>: image path {@code path.Join("/", f)}; host path = cwd + {@code /} + f even when f
 *       is absolute — ops' behaviour described in docs/formats/manifest.md, "5.2 Fields that influence the image" and "7 Ambiguities and ops/Nanos differences" item 4, kept so existing
 *       configurations find the same files. The host file is dereferenced and must be a regular file.
 *   <li><i>Dirs</i>: host path = cwd-relative (absolute as is); image path {@code path.Join("/", d)}.
 *       A {@code Dirs} entry naming a file adds that file. Inside the walk, symlinks are kept with
 *       their literal target; a symlink whose target does not exist on the host is skipped with a
 *       note; sockets, FIFOs and devices are skipped with a note; empty directories are created.
 *       Directory listings are sorted, so the host's listing order never matters.
 *   <li><i>MapDirs</i> {@code "dir/pattern": "imagedir"}: split at the last {@code /} (a key without
 *       {@code /} means the config directory itself); a relative dir is resolved against
 *       {@code LocalFilesParentDirectory} (the config's directory; cwd when empty), an absolute one
 *       under the target root when there is one. The pattern uses Go {@code filepath.Match} syntax
 *       ({@code * ? [a-z] [^a-z] \}), matched against each name while walking every subdirectory;
 *       matches are placed at {@code imagedir/<relative dir>/<name>}. A malformed pattern is an error
 *       (ops ignores the error and matches nothing); a key that matches nothing gets a note. As in
 *       ops, an argument equal to the base name of an {@code imagedir} is an error.
 *   <li><i>--file HOST[:IMAGEPATH]</i>, <i>--dir HOST[:IMAGEPATH]</i>: split at the <em>last</em>
 *       {@code :}; host relative to cwd; without IMAGEPATH the image path is
 *       {@code path.Join("/", HOST)}, as for {@code Files}/{@code Dirs}; a relative IMAGEPATH is rooted
 *       at {@code /}. {@code --dir} puts the directory's content at IMAGEPATH. Neither uses the target
 *       root (it is the sysroot of the program and its libraries).
 *   <li><i>Target root</i>: {@link PlannerInputs#targetRoot} if given, else the config's {@code TargetRoot}
 *       (cwd-relative).
 *   <li><i>Mounts</i>: the directory (value without {@code :ro}) is created after everything else;
 *       {@code /} or a path already holding a file is an error.
 *   <li><i>program</i>: the root {@code program} key, after {@code --set}, must be a string; if it is
 *       absolute it must name a file in the plan, following the plan's symlinks as the kernel does (a
 *       package sysroot may hold {@code /usr -> /opt}).
 * </ul>
 */
public final class ContentPlanner {
  public static final String CA_CERTIFICATES = "/etc/ssl/certs/ca-certificates.crt";
  public static final String NSS_DNS = "/lib/x86_64-linux-gnu/libnss_dns.so.2";
  public static final String HOSTNAME = "uniboot";
  public static final String PASSWD = "root:x:0:0:root:/root:/bin/nobash";

  /**
   * The inputs of one plan; fluent setters, every list copied. Required: {@link #cwd} and
   * {@link #programImagePath}.
   */
  /** A host file or tree (absolute) and where it goes in the image. */
  public record HostEntry(Path host, ImagePath image) {}

  /** A host directory the walk has still to take, and its node in the plan if it is there yet. */
  private record Subdirectory(HostDirectoryListing.Entry host, String image, PlannedTree.Node node) {}

  private final PlannerInputs in;
  private final Path cwd;
  private final Path targetRoot;
  private final PlannedTree tree = new PlannedTree();
  /**
   * Whether walked files start with the ELF magic, as their listing found ({@link HostDirectoryListing}),
   * by entry: the library closure then opens only the files no walk listed.
   */
  private final Map<ImageEntry, Object> elfProbes = new IdentityHashMap<>();
  /** What is left of {@link HostDirectoryListing#SMALL_FILES_KEPT_BYTES} for this plan; null if nothing is kept. */
  private final AtomicLong smallFilesBudget;
  private final List<String> notes = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();

  private ContentPlanner(PlannerInputs in) {
    this.in = in;
    boolean keep = in.smallFiles != null && in.libraryRoot != null;
    this.smallFilesBudget = !keep ? null : in.listingsAhead != null && in.listingsAhead.smallFilesBudget() != null
        ? in.listingsAhead.smallFilesBudget() : new AtomicLong(HostDirectoryListing.SMALL_FILES_KEPT_BYTES);
    this.cwd = in.cwd.toAbsolutePath().normalize();
    if (in.targetRoot != null) {
      this.targetRoot = cwd.resolve(in.targetRoot).normalize();
    } else if (!in.config.targetRoot().isEmpty()) {
      this.targetRoot = cwd.resolve(in.config.targetRoot()).normalize();
    } else {
      this.targetRoot = null;
    }
  }

  /** Plans the image. */
  public static ImagePlan plan(PlannerInputs in) throws IOException {
    Objects.requireNonNull(in.cwd, "cwd");
    if (in.programImagePath == null || in.programImagePath.isEmpty()) {
      throw new ImageInputException("no program given");
    }
    return new ContentPlanner(in).run();
  }

  private ImagePlan run() throws IOException {
    OpsConfig c = in.config;
    List<String> arguments = RootConfig.arguments(in);

    if (in.packageBuild) {
      notes.add("not added " + CA_CERTIFICATES + " and " + NSS_DNS + ": package build");
    } else if (in.withoutCommonFiles != null) {
      notes.add("not added " + CA_CERTIFICATES + " and " + NSS_DNS + ": " + in.withoutCommonFiles);
    } else {
      addCommonFiles();
    }
    if (in.programHost != null && in.libraryRoot != null) {
      placeProgramAtItsRealPath();
    }
    if (in.programHost != null) {
      String image = cleanImagePath(in.programImagePath);
      checkHostFile("program " + in.program(), in.programHost);
      put(ImageEntry.file(image, in.programHost.toAbsolutePath().normalize()), "program");
    }
    for (ImageEntry dep : in.dependencies) {
      put(dep, "program dependency");
    }
    addDefaultFiles();

    for (String f : c.files()) {
      String source = "config.json Files: " + f;
      String image = cleanFilePath(source, f);
      Path host = cwd.resolve(stripLeadingSlashes(f)).normalize();
      checkHostFile(source, host);
      put(ImageEntry.file(image, host), source);
    }
    for (String d : c.dirs()) {
      String source = "config.json Dirs: " + d;
      addTree(source, cwd.resolve(d).normalize(), cleanImagePath(d));
    }
    for (Map.Entry<String, String> e : c.mapDirs().entrySet()) {
      addMapDir(e.getKey(), e.getValue(), arguments);
    }
    if (in.packageBuild && !c.disableArgsCopy() && !arguments.isEmpty()) {
      String a = arguments.get(0);
      Path host = a.isEmpty() ? null : cwd.resolve(a).normalize();
      if (host != null && Files.isRegularFile(host) && !cleanImagePath(a).equals("/")) {
        put(ImageEntry.file(cleanImagePath(a), host), "package argument " + a);
        notes.add("added " + cleanImagePath(a) + " from " + host
            + ": a package build copies its first argument when it names a host file (ops pkg load;"
            + " DisableArgsCopy turns this off)");
      }
    }
    for (HostEntry f : in.cliFiles) {
      String source = "file " + f.host() + " at " + f.image();
      if (f.image().isRoot()) {
        throw new ImageInputException(source + ": / names no file in the image");
      }
      checkHostFile(source, f.host());
      put(ImageEntry.file(f.image().toString(), f.host()), source);
    }
    for (HostEntry d : in.cliDirs) {
      addTree("directory " + d.host() + " at " + d.image(), d.host(), d.image().toString());
    }
    if (in.libraryRoot != null) {
      addRuntime();
    }
    for (Map.Entry<String, String> e : c.mounts().entrySet()) {
      String dir = RootConfig.mountDirectory(e.getKey(), e.getValue());
      put(ImageEntry.directory(dir), "config.json Mounts: " + e.getKey());
    }

    Tuple environment = RootConfig.environment(in);
    List<String> klibs = RootConfig.klibs(in, environment, notes);
    Tuple root = RootConfig.build(in, arguments, environment, klibs);
    checkProgram(root);

    return new ImagePlan(tree.entries(), root, notes, klibs).withWarnings(warnings);
  }

  /**
   * A program reached through symlinks whose RPATH/RUNPATH uses {@code $ORIGIN} (a JDK's
   * {@code /usr/bin/java}) goes in at its real path: Nanos makes {@code /proc/self/exe} a link to the root
   * {@code program} verbatim, so glibc's {@code $ORIGIN}, and the JDK's idea of its home, come from it.
   */
  private void placeProgramAtItsRealPath() throws IOException {
    String given = cleanImagePath(in.programImagePath);
    String real = new ImageRoot(in.libraryRoot, in.libraryRoot.toString()).realPathIfPresent(given);
    if (real == null || real.equals(given) || !usesOrigin(in.programHost)) {
      return;
    }
    in.program(in.program(), real, in.programHost);
    notes.add("the program " + given + " is " + real + ", which finds its libraries relative to itself ($ORIGIN):"
        + " placed and run at that path (argv[0] stays " + in.program() + ")");
  }

  private static boolean usesOrigin(Path host) {
    try {
      ElfFile elf = ElfFile.read(host);
      String paths = elf.rpath().orElse("") + ":" + elf.runpath().orElse("");
      return paths.contains("$ORIGIN") || paths.contains("${ORIGIN}");
    } catch (IOException notElf) {
      return false;
    }
  }

  /** An interpreter's runtime directories, then the libraries every other ELF object in the image needs. */
  private void addRuntime() throws IOException {
    String program = in.programHost != null ? cleanImagePath(in.programImagePath) : null;
    if (program != null) {
      ImageRoot root = new ImageRoot(in.libraryRoot, in.libraryRoot.toString());
      String real = root.realPathIfPresent(program);
      for (RuntimeDirectories.Tree t : RuntimeDirectories.find(root, real != null ? real : program, in.programHost)) {
        PlannedTree.Node there = tree.get(t.imagePath());
        // Only the user maps a runtime directory; the program's own libraries may already live in it.
        if (there != null && !there.source().equals("program dependency")) {
          notes.add("not added " + t.imagePath() + " (" + t.why() + "): already in the image from " + there.source());
          continue;
        }
        if (Files.isDirectory(t.host())) {
          addTree(t.why(), t.host(), t.imagePath());
        } else {
          put(ImageEntry.file(t.imagePath(), t.host()), t.why());
        }
        notes.add("added " + t.imagePath() + " from " + t.host() + ": " + t.why());
      }
    }
    Set<String> skip = new HashSet<>();
    if (program != null) {
      skip.add(program);
    }
    // ops's NSS library is only ever loaded by a glibc program, whose libc is already there; a static one needs none.
    skip.add(NSS_DNS);
    if (!in.checkDependencies) {
      in.dependencies.forEach(d -> skip.add(d.imagePath()));
    }
    Value path = RootConfig.environment(in).get("LD_LIBRARY_PATH");
    List<String> libraryPath = path instanceof StringValue s && !s.text().isEmpty()
        ? List.of(s.text().split("[:;]")) : List.of();
    LibraryClosure closure = new LibraryClosure(tree.inPathOrder(), p -> tree.get(p) != null, elfProbes,
        in.libraryRoot, in.arch.equals("arm64") ? Architecture.AARCH64 : Architecture.X86_64, libraryPath);
    for (LibraryClosure.Found f : closure.close(skip)) {
      put(f.entry(), "library of " + f.neededBy());
    }
    notes.addAll(closure.notes());
    warnings.addAll(closure.warnings());
  }

  private void addCommonFiles() throws IOException {
    if (in.caCertificates == null) {
      notes.add("not added " + CA_CERTIFICATES + ": no CA bundle available");
    } else if (!Files.isRegularFile(in.caCertificates)) {
      notes.add("not added " + CA_CERTIFICATES + ": " + in.caCertificates + " does not exist");
    } else {
      put(ImageEntry.file(CA_CERTIFICATES, in.caCertificates.toAbsolutePath().normalize()), "default file");
      notes.add("added " + CA_CERTIFICATES + " from " + in.caCertificates);
    }
    if (!in.arch.equals("amd64")) {
      notes.add("not added " + NSS_DNS + ": it is for x86-64 images only, this one is " + in.arch);
    } else if (in.nssDnsLibrary == null) {
      notes.add("not added " + NSS_DNS + ": no copy available");
    } else if (!Files.isRegularFile(in.nssDnsLibrary)) {
      notes.add("not added " + NSS_DNS + ": " + in.nssDnsLibrary + " does not exist");
    } else {
      put(ImageEntry.file(NSS_DNS, in.nssDnsLibrary.toAbsolutePath().normalize()), "default file");
      notes.add("added " + NSS_DNS + " from " + in.nssDnsLibrary);
    }
  }

  private void addDefaultFiles() throws IOException {
    List<String> servers = in.config.nameServers().isEmpty() ? List.of("8.8.8.8") : in.config.nameServers();
    StringBuilder resolv = new StringBuilder();
    for (String s : servers) {
      resolv.append("nameserver  ").append(s).append('\n');
    }
    put(ImageEntry.generated("/etc/resolv.conf", resolv.toString().getBytes(StandardCharsets.UTF_8)),
        "default file");
    notes.add("added /etc/resolv.conf with name server" + (servers.size() == 1 ? " " : "s ")
        + String.join(", ", servers) + (in.config.nameServers().isEmpty() ? " (default)" : ""));
    byte[] hostname = HOSTNAME.getBytes(StandardCharsets.US_ASCII);
    put(ImageEntry.generated("/proc/sys/kernel/hostname", hostname), "default file");
    notes.add("added /proc/sys/kernel/hostname: " + HOSTNAME + " (as ops)");
    if (tree.get("/etc/hostname") != null) {
      notes.add("not added default /etc/hostname: already provided by " + tree.get("/etc/hostname").source());
    } else {
      put(ImageEntry.generated("/etc/hostname", hostname), "default file");
      notes.add("added /etc/hostname: " + HOSTNAME
          + " (the kernel takes the node name from /etc/hostname; ops writes only /proc/sys/kernel/hostname)");
    }
    if (tree.get("/etc/passwd") != null) {
      notes.add("not added default /etc/passwd: already provided by " + tree.get("/etc/passwd").source());
    } else {
      put(ImageEntry.generated("/etc/passwd", PASSWD.getBytes(StandardCharsets.US_ASCII)), "default file");
      notes.add("added /etc/passwd with the root user");
    }
  }

  private void addMapDir(String key, String imageDirRaw, List<String> arguments) throws IOException {
    String source = "config.json MapDirs: " + key;
    String imageDir = cleanImagePath(imageDirRaw);
    String base = imageDir.substring(imageDir.lastIndexOf('/') + 1);
    if (!base.isEmpty() && arguments.contains(base)) {
      throw new IOException(source + ": the image directory " + imageDirRaw + " has the same name as the argument \""
          + base + "\" (ops refuses this too)");
    }
    int slash = key.lastIndexOf('/');
    String dir = slash < 0 ? "" : key.substring(0, slash + 1);
    String pattern = key.substring(slash + 1);
    if (pattern.isEmpty()) {
      throw new IOException(source + ": no file name pattern after the last /");
    }
    Glob glob;
    try {
      glob = Glob.compile(pattern);
    } catch (IllegalArgumentException e) {
      throw new IOException(source + ": bad pattern \"" + pattern + "\": " + e.getMessage());
    }
    Path hostDir;
    if (dir.startsWith("/")) {
      hostDir = targetRoot != null ? targetRoot.resolve(stripLeadingSlashes(dir)) : Path.of(dir);
    } else {
      String parent = in.config.localFilesParentDirectory();
      hostDir = (parent.isEmpty() ? cwd : cwd.resolve(parent)).resolve(dir.isEmpty() ? "." : dir);
    }
    hostDir = hostDir.normalize();
    if (!Files.isDirectory(hostDir)) {
      throw new IOException(source + ": no such directory: " + hostDir);
    }
    if (walk(source, hostDir, imageDir, glob) == 0) {
      notes.add(source + ": nothing in " + hostDir + " matches " + pattern);
    }
  }

  /** {@code Dirs} / {@code --dir}: the host directory's content under {@code imageDir}. */
  private void addTree(String source, Path host, String imageDir) throws IOException {
    if (Files.isDirectory(host)) {
      if (!imageDir.equals("/")) {
        put(ImageEntry.directory(imageDir), source);
      }
      walk(source, host, imageDir, null);
    } else if (Files.isRegularFile(host)) {
      if (imageDir.equals("/")) {
        throw new IOException(source + ": " + host + " is a file and cannot become the root directory");
      }
      put(ImageEntry.file(imageDir, host), source);
    } else if (Files.exists(host, LinkOption.NOFOLLOW_LINKS) && Files.exists(host)) {
      throw new IOException(source + ": not a directory or regular file: " + host);
    } else {
      throw new IOException(source + ": no such directory: " + host);
    }
  }

  /**
   * Walks {@code hostDir} (not following symlinks), children in {@link ImagePlan#PATH_ORDER}, while it
   * is being listed. With a glob, only names that match are added (every directory is still descended
   * into); returns how many were added.
   */
  private int walk(String source, Path hostDir, String imageDir, Glob glob) throws IOException {
    boolean probeElf = in.libraryRoot != null;
    HostDirectoryListing ahead = in.listingsAhead != null ? in.listingsAhead.take(hostDir, probeElf) : null;
    try (HostDirectoryListing listing = ahead != null ? ahead
        : HostDirectoryListing.start(hostDir, probeElf, smallFilesBudget)) {
      int added = 0;
      Deque<Subdirectory> stack = new ArrayDeque<>();
      HostDirectoryListing.Directory dir = listing.root();
      String image = imageDir;
      PlannedTree.Node node = null; // found when the first entry goes in, as for every directory not put yet
      while (true) {
        added += walkDirectory(source, dir, image, node, glob, stack);
        if (stack.isEmpty()) {
          return added;
        }
        Subdirectory next = stack.pop();
        dir = next.host().directory();
        image = next.image();
        node = next.node();
      }
    }
  }

  /** Adds what {@code glob} matches of one listed directory; pushes its subdirectories, the first on top. */
  private int walkDirectory(String source, HostDirectoryListing.Directory listing, String image, PlannedTree.Node node,
      Glob glob, Deque<Subdirectory> stack) throws IOException {
    if (listing.unreadable()) {
      try {
        listing.rethrow();
      } catch (IOException e) {
        throw new IOException(source + ": cannot read directory " + listing.dir() + ": " + reason(e), e);
      }
    }
    int added = 0;
    List<Subdirectory> subdirs = new ArrayList<>();
    for (HostDirectoryListing.Entry ch : listing.entries()) {
      String name = ch.name();
      Path host = ch.host();
      String childImage = image.equals("/") ? "/" + name : image + "/" + name;
      HostDirectoryListing.Kind kind = ch.kind();
      PlannedTree.Node placed = null;
      if (glob == null || glob.matches(name)) {
        ImageEntry entry;
        if (kind == HostDirectoryListing.Kind.SYMLINK) {
          String target = ch.target();
          if (!ch.linkResolves()) {
            notes.add(source + ": skipped dangling symlink " + host + " -> " + target);
            continue;
          }
          entry = ImageEntry.symlink(childImage, target);
        } else if (kind == HostDirectoryListing.Kind.DIRECTORY) {
          entry = ImageEntry.directory(childImage);
        } else if (kind == HostDirectoryListing.Kind.FILE) {
          entry = ImageEntry.file(childImage, host, ch.size());
        } else {
          notes.add(source + ": skipped " + host + ": not a regular file, directory or symlink");
          continue;
        }
        if (node == null) {
          node = directoryFor(childImage, source);
        }
        placed = putChild(node, name, entry, source);
        if (ch.elfProbe() != null) {
          elfProbes.put(entry, ch.elfProbe());
        }
        if (ch.content() != null && in.smallFiles != null) { // a listing started ahead may keep what this plan does not
          in.smallFiles.put(entry, ch.content());
        }
        added++;
      }
      if (kind == HostDirectoryListing.Kind.DIRECTORY) {
        subdirs.add(new Subdirectory(ch, childImage, placed));
      }
    }
    listing.rethrow(); // an entry whose attributes could not be read, after those before it
    // Pushed in reverse so subdirectories are visited in order (keeps notes in path order).
    for (int i = subdirs.size() - 1; i >= 0; i--) {
      stack.push(subdirs.get(i));
    }
    return added;
  }

  /** Adds an entry with the replacement rules of the class comment. */
  private void put(ImageEntry entry, String source) throws IOException {
    String path = entry.imagePath();
    if (path.equals("/")) {
      return;
    }
    putChild(directoryFor(path, source), path.substring(path.lastIndexOf('/') + 1), entry, source);
  }

  /** Puts {@code entry} into the directory node {@code dir} as {@code name}; returns its node. */
  private PlannedTree.Node putChild(PlannedTree.Node dir, String name, ImageEntry entry, String source)
      throws IOException {
    PlannedTree.Node old = dir.child(name);
    if (old != null) {
      boolean isDirectory = entry.kind() == ImageEntry.Kind.DIRECTORY;
      if (isDirectory && old.isDirectory()) {
        return old;
      }
      if (isDirectory || old.isDirectory()) {
        throw new IOException(source + ": " + entry.imagePath() + ": cannot replace the " + describe(old.entry())
            + " from " + old.source() + " with a " + describe(entry));
      }
      if (!old.source().equals(source) && !old.entry().equals(entry)) {
        notes.add(entry.imagePath() + ": " + source + " replaces the " + describe(old.entry()) + " from " + old.source());
      }
    }
    return tree.put(dir, name, entry, source);
  }

  /**
   * The directory node that holds {@code path}, its missing parents put in as directories from
   * {@code source}; an error if one of them is a file or symlink.
   */
  private PlannedTree.Node directoryFor(String path, String source) throws IOException {
    PlannedTree.Node dir = tree.root();
    for (int start = 1, slash = path.indexOf('/', 1); slash > 0; start = slash + 1, slash = path.indexOf('/', start)) {
      String name = path.substring(start, slash);
      PlannedTree.Node next = dir.child(name);
      if (next == null) {
        next = tree.put(dir, name, ImageEntry.directory(path.substring(0, slash)), source);
      } else if (!next.isDirectory()) {
        throw new IOException(source + ": " + path + ": its parent " + path.substring(0, slash) + " is a "
            + describe(next.entry()) + " (from " + next.source() + ")");
      }
      dir = next;
    }
    return dir;
  }

  private static String describe(ImageEntry e) {
    return switch (e.kind()) {
      case DIRECTORY -> "directory";
      case FILE -> "file";
      case SYMLINK -> "symlink";
    };
  }

  private void checkProgram(Tuple root) throws IOException {
    Value p = root.get("program");
    if (!(p instanceof StringValue s) || s.text().isEmpty()) {
      throw new IOException("program: the root key program must be a non-empty string");
    }
    String text = s.text();
    if (text.startsWith("/")) {
      ImageEntry.Kind kind = kindFollowingLinks(cleanImagePath(text));
      if (kind != ImageEntry.Kind.FILE) {
        throw new IOException("program: " + text + " is not a file in the image");
      }
    }
  }

  /** What {@code path} names in the plan, its symlinks followed as the kernel would; null if nothing. */
  private ImageEntry.Kind kindFollowingLinks(String path) {
    SymlinkWalk.Tree planned = new SymlinkWalk.Tree() {
      @Override
      public SymlinkWalk.Kind kind(String p) {
        PlannedTree.Node placed = tree.get(p);
        return placed == null ? null : SymlinkWalk.Kind.valueOf(placed.entry().kind().name());
      }

      @Override
      public String linkTarget(String p) {
        return tree.get(p).entry().linkTarget();
      }
    };
    try {
      String resolved = SymlinkWalk.resolve(path, planned);
      return resolved.equals("/") ? ImageEntry.Kind.DIRECTORY : ImageEntry.Kind.valueOf(planned.kind(resolved).name());
    } catch (SymlinkWalk.Unresolved | IOException e) {
      return null;
    }
  }

  private static void checkHostFile(String source, Path host) throws IOException {
    if (Files.isRegularFile(host)) {
      return;
    }
    if (Files.isDirectory(host)) {
      throw new IOException(source + ": is a directory, not a file: " + host);
    }
    if (Files.exists(host)) {
      throw new IOException(source + ": not a regular file: " + host);
    }
    throw new IOException(source + ": no such file: " + host);
  }

  private static String cleanFilePath(String source, String raw) throws IOException {
    String image = cleanImagePath(raw);
    if (image.equals("/")) {
      throw new IOException(source + ": \"" + raw + "\" names no file in the image");
    }
    return image;
  }

  /** Go's {@code path.Join("/", p)} ({@link ImagePath#clean}), a NUL being an input error. */
  public static String cleanImagePath(String p) throws IOException {
    if (p.indexOf('\0') >= 0) {
      throw new ImageInputException("image path \"" + p.replace("\0", "\\0") + "\" contains a NUL character");
    }
    return ImagePath.clean(p).toString();
  }

  private static String stripLeadingSlashes(String s) {
    int i = 0;
    while (i < s.length() && s.charAt(i) == '/') {
      i++;
    }
    return s.substring(i);
  }

  private static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
