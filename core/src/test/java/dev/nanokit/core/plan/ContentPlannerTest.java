package dev.nanokit.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanokit.core.ImageEntry;
import dev.nanokit.core.ImagePlan;
import dev.nanokit.core.OpsConfig;
import dev.nanokit.core.PlanText;
import dev.nanokit.manifest.StringValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentPlannerTest {
  @TempDir Path tmp;
  Path cwd;

  /** The entries every plain program build has besides the program (no CA bundle, no NSS library). */
  static final List<String> DEFAULTS = List.of(
      "/etc/",
      "/etc/hostname\t(generated, 7 bytes)",
      "/etc/passwd\t(generated, 33 bytes)",
      "/etc/resolv.conf\t(generated, 20 bytes)",
      "/proc/",
      "/proc/sys/",
      "/proc/sys/kernel/",
      "/proc/sys/kernel/hostname\t(generated, 7 bytes)");

  @BeforeEach
  void setUp() throws IOException {
    cwd = Files.createDirectories(tmp.resolve("work"));
    write(cwd.resolve("hello"), "ELF");
  }

  static Path write(Path p, String text) throws IOException {
    Files.createDirectories(p.getParent());
    return Files.writeString(p, text);
  }

  /**
   * Host entries as {@code NanosImage} hands them to the planner: {@code HOST[:IMAGE]} (split at the
   * last colon, as the command line does), the host against the working directory, the image path
   * cleaned, or the host path's own when none is given.
   */
  List<ContentPlanner.HostEntry> entries(String... specs) {
    return hostEntries(cwd, specs);
  }

  static List<ContentPlanner.HostEntry> hostEntries(Path cwd, String... specs) {
    List<ContentPlanner.HostEntry> out = new java.util.ArrayList<>();
    for (String spec : specs) {
      int colon = spec.lastIndexOf(':');
      String host = colon > 0 ? spec.substring(0, colon) : spec;
      String image = colon > 0 ? spec.substring(colon + 1) : spec;
      out.add(new ContentPlanner.HostEntry(cwd.resolve(host).normalize(), dev.nanokit.tfs.ImagePath.clean(image)));
    }
    return out;
  }

  PlannerInputs inputs(OpsConfig config) {
    return new PlannerInputs().config(config).cwd(cwd).program("./hello", "/hello", cwd.resolve("hello"));
  }

  /** The entry lines of the dry run with the temp dir shown as {@code $T}. */
  List<String> listing(ImagePlan plan) {
    List<String> out = new ArrayList<>();
    for (ImageEntry e : plan.entries().values()) {
      String line = switch (e.kind()) {
        case DIRECTORY -> e.imagePath() + "/";
        case SYMLINK -> e.imagePath() + "\t-> " + e.linkTarget();
        case FILE -> e.imagePath() + "\t"
            + (e.hostPath() == null ? "(generated, " + e.content().length + " bytes)" : e.hostPath().toString());
      };
      out.add(line.replace(tmp.toString(), "$T"));
    }
    return out;
  }

  static List<String> withDefaults(String... extra) {
    List<String> all = new ArrayList<>(DEFAULTS);
    all.addAll(List.of(extra));
    all.sort(ImagePlan.PATH_ORDER);
    return all;
  }

  static String text(ImagePlan plan, String path) {
    return new String(plan.entries().get(path).content(), StandardCharsets.UTF_8);
  }

  @Test
  void plainProgramGetsTheDefaultFiles() throws IOException {
    ImagePlan plan = ContentPlanner.plan(inputs(OpsConfig.empty()));
    assertThat(listing(plan)).containsExactlyElementsOf(withDefaults("/hello\t$T/work/hello"));
    assertThat(text(plan, "/etc/resolv.conf")).isEqualTo("nameserver  8.8.8.8\n");
    assertThat(text(plan, "/etc/passwd")).isEqualTo("root:x:0:0:root:/root:/bin/nobash");
    assertThat(text(plan, "/etc/hostname")).isEqualTo("uniboot");
    assertThat(text(plan, "/proc/sys/kernel/hostname")).isEqualTo("uniboot");
    assertThat(plan.notes()).containsExactly(
        "not added /etc/ssl/certs/ca-certificates.crt: no CA bundle available",
        "not added /lib/x86_64-linux-gnu/libnss_dns.so.2: no copy available",
        "added /etc/resolv.conf with name server 8.8.8.8 (default)",
        "added /proc/sys/kernel/hostname: uniboot (as ops)",
        "added /etc/hostname: uniboot (the kernel takes the node name from /etc/hostname;"
            + " ops writes only /proc/sys/kernel/hostname)",
        "added /etc/passwd with the root user");
  }

  @Test
  void nameServersEachGetALineWithTwoSpaces() throws IOException {
    OpsConfig c = OpsConfig.builder().nameServers(List.of("1.1.1.1", "9.9.9.9")).build();
    ImagePlan plan = ContentPlanner.plan(inputs(c));
    assertThat(text(plan, "/etc/resolv.conf")).isEqualTo("nameserver  1.1.1.1\nnameserver  9.9.9.9\n");
    assertThat(plan.notes()).contains("added /etc/resolv.conf with name servers 1.1.1.1, 9.9.9.9");
  }

  @Test
  void caBundleAndNssLibraryComeFromInjectedPaths() throws IOException {
    Path ca = write(tmp.resolve("common/ca-certificates.crt"), "CERTS");
    Path nss = write(tmp.resolve("common/libnss_dns.so.2"), "NSS");
    ImagePlan plan = ContentPlanner.plan(inputs(OpsConfig.empty()).caCertificates(ca).nssDnsLibrary(nss));
    assertThat(listing(plan)).containsExactlyElementsOf(withDefaults(
        "/etc/ssl/", "/etc/ssl/certs/", "/etc/ssl/certs/ca-certificates.crt\t$T/common/ca-certificates.crt",
        "/hello\t$T/work/hello", "/lib/", "/lib/x86_64-linux-gnu/",
        "/lib/x86_64-linux-gnu/libnss_dns.so.2\t$T/common/libnss_dns.so.2"));
    assertThat(plan.notes()).contains("added /etc/ssl/certs/ca-certificates.crt from " + ca,
        "added /lib/x86_64-linux-gnu/libnss_dns.so.2 from " + nss);

    ImagePlan arm = ContentPlanner.plan(inputs(OpsConfig.empty()).arch("arm64").caCertificates(ca)
        .nssDnsLibrary(nss));
    assertThat(arm.entries()).containsKey("/etc/ssl/certs/ca-certificates.crt").doesNotContainKey("/lib");
    assertThat(arm.notes()).contains("not added /lib/x86_64-linux-gnu/libnss_dns.so.2: it is for x86-64 images only,"
        + " this one is arm64");

    ImagePlan missing = ContentPlanner.plan(inputs(OpsConfig.empty()).caCertificates(tmp.resolve("nope.crt")));
    assertThat(missing.entries()).doesNotContainKey("/etc/ssl");
    assertThat(missing.notes()).contains("not added /etc/ssl/certs/ca-certificates.crt: " + tmp.resolve("nope.crt")
        + " does not exist");
  }

  @Test
  void libraryFromTheTargetRootReplacesTheCommonNssLibrary() throws IOException {
    Path nss = write(tmp.resolve("common/libnss_dns.so.2"), "NSS");
    Path sysNss = write(tmp.resolve("root/lib/x86_64-linux-gnu/libnss_dns.so.2"), "NSS2");
    ImagePlan plan = ContentPlanner.plan(inputs(OpsConfig.empty()).nssDnsLibrary(nss)
        .dependencies(List.of(ImageEntry.file("/lib/x86_64-linux-gnu/libnss_dns.so.2", sysNss))));
    assertThat(plan.entries().get("/lib/x86_64-linux-gnu/libnss_dns.so.2").hostPath()).isEqualTo(sysNss);
    assertThat(plan.notes()).contains("/lib/x86_64-linux-gnu/libnss_dns.so.2: program dependency replaces the file"
        + " from default file");
  }

  @Test
  void packageBuildSkipsCommonFilesAndKeepsItsOwnPasswdAndHostname() throws IOException {
    Path ca = write(tmp.resolve("common/ca-certificates.crt"), "CERTS");
    Path pkg = tmp.resolve("pkg/sysroot");
    Path prog = write(pkg.resolve("bin/node"), "ELF");
    Path passwd = write(pkg.resolve("etc/passwd"), "root:x:0:0::/:/bin/sh\n");
    Path hostname = write(pkg.resolve("etc/hostname"), "pkg\n");
    ImagePlan plan = ContentPlanner.plan(new PlannerInputs().cwd(cwd).packageBuild(true).caCertificates(ca)
        .program("node", "bin/node", null)
        .dependencies(List.of(ImageEntry.file("/bin/node", prog), ImageEntry.file("/etc/passwd", passwd),
            ImageEntry.file("/etc/hostname", hostname))));
    assertThat(listing(plan)).containsExactly(
        "/bin/", "/bin/node\t$T/pkg/sysroot/bin/node",
        "/etc/", "/etc/hostname\t$T/pkg/sysroot/etc/hostname", "/etc/passwd\t$T/pkg/sysroot/etc/passwd",
        "/etc/resolv.conf\t(generated, 20 bytes)",
        "/proc/", "/proc/sys/", "/proc/sys/kernel/", "/proc/sys/kernel/hostname\t(generated, 7 bytes)");
    assertThat(plan.notes()).contains(
        "not added /etc/ssl/certs/ca-certificates.crt and /lib/x86_64-linux-gnu/libnss_dns.so.2: package build",
        "not added default /etc/hostname: already provided by program dependency",
        "not added default /etc/passwd: already provided by program dependency");
    assertThat(plan.rootConfig().get("program")).isEqualTo(StringValue.of("bin/node"));
  }

  @Test
  void packageBuildCopiesTheFirstArgumentWhenItIsAHostFile() throws IOException {
    Path script = write(cwd.resolve("app/main.js"), "console.log(1)");
    Path prog = write(tmp.resolve("pkg/sysroot/node"), "ELF");
    PlannerInputs in = new PlannerInputs().cwd(cwd).packageBuild(true)
        .program("node", "node", null).dependencies(List.of(ImageEntry.file("/node", prog)))
        .config(OpsConfig.builder().args(List.of("app/main.js", "x")).build());
    ImagePlan plan = ContentPlanner.plan(in);
    assertThat(plan.entries().get("/app/main.js")).isEqualTo(ImageEntry.file("/app/main.js", script));

    ImagePlan disabled = ContentPlanner.plan(in.config(OpsConfig.builder().args(List.of("app/main.js"))
        .disableArgsCopy(true).build()));
    assertThat(disabled.entries()).doesNotContainKey("/app/main.js");
  }

  @Test
  void userFileReplacesTheDefaultPasswd() throws IOException {
    write(cwd.resolve("etc/passwd"), "me:x:1000:1000::/:/bin/false");
    ImagePlan plan = ContentPlanner.plan(inputs(OpsConfig.builder().files(List.of("etc/passwd")).build()));
    assertThat(plan.entries().get("/etc/passwd")).isEqualTo(ImageEntry.file("/etc/passwd", cwd.resolve("etc/passwd")));
    assertThat(plan.notes()).contains("/etc/passwd: config.json Files: etc/passwd replaces the file from default file");
  }

  @Test
  void filesResolveAgainstTheWorkingDirectoryEvenWhenAbsolute() throws IOException {
    Path confDir = Files.createDirectories(tmp.resolve("conf"));
    write(confDir.resolve("a.txt"), "not me");
    write(cwd.resolve("a.txt"), "a");
    write(cwd.resolve("data/b.txt"), "b");
    OpsConfig c = OpsConfig.builder().files(List.of("./a.txt", "/data/b.txt", "../work/a.txt"))
        .localFilesParentDirectory(confDir.toString()).targetRoot(tmp.resolve("sysroot").toString()).build();
    ImagePlan plan = ContentPlanner.plan(inputs(c));
    assertThat(listing(plan)).containsExactlyElementsOf(withDefaults(
        "/a.txt\t$T/work/a.txt", "/data/", "/data/b.txt\t$T/work/data/b.txt", "/hello\t$T/work/hello",
        "/work/", "/work/a.txt\t$T/work/a.txt"));
  }

  @Test
  void missingFileIsAnErrorNamingTheFieldAndPath() {
    OpsConfig c = OpsConfig.builder().files(List.of("/x/y")).build();
    assertThatThrownBy(() -> ContentPlanner.plan(inputs(c))).isInstanceOf(IOException.class)
        .hasMessage("config.json Files: /x/y: no such file: " + cwd.resolve("x/y"));
    assertThatThrownBy(() -> ContentPlanner.plan(inputs(OpsConfig.empty()).cliFiles(entries("nope:/n"))))
        .hasMessage("file " + cwd.resolve("nope") + " at /n: no such file: " + cwd.resolve("nope"));
    OpsConfig dir = OpsConfig.builder().files(List.of(".")).build();
    assertThatThrownBy(() -> ContentPlanner.plan(inputs(dir)))
        .hasMessage("config.json Files: .: \".\" names no file in the image");
    assertThatThrownBy(() -> ContentPlanner.plan(inputs(OpsConfig.builder().dirs(List.of("gone")).build())))
        .hasMessage("config.json Dirs: gone: no such directory: " + cwd.resolve("gone"));
  }

  @Test
  void dirsKeepSymlinksSkipDanglingOnesAndCreateEmptyDirectories() throws IOException {
    Path site = cwd.resolve("site");
    write(site.resolve("index.html"), "<html>");
    write(site.resolve("css/main.css"), "body{}");
    Files.createDirectories(site.resolve("empty"));
    Files.createSymbolicLink(site.resolve("home.html"), Path.of("index.html"));
    Files.createSymbolicLink(site.resolve("abs"), cwd.resolve("hello"));
    Files.createSymbolicLink(site.resolve("css/broken"), Path.of("../missing"));
    Files.createSymbolicLink(site.resolve("styles"), Path.of("css"));
    Path abs = write(tmp.resolve("opt/tool/bin/run"), "#!");
    OpsConfig c = OpsConfig.builder().dirs(List.of("site", abs.getParent().getParent().toString())).build();
    ImagePlan plan = ContentPlanner.plan(inputs(c));
    List<String> tmpParents = new ArrayList<>();
    for (Path p = tmp.getParent(); p.getParent() != null; p = p.getParent()) {
      tmpParents.add(p + "/");
    }
    assertThat(listing(plan).stream().filter(l -> !tmpParents.contains(l)).toList()).containsExactlyElementsOf(withDefaults(
        "/hello\t$T/work/hello",
        "/site/", "/site/abs\t-> " + cwd.resolve("hello"), "/site/css/", "/site/css/main.css\t$T/work/site/css/main.css",
        "/site/empty/", "/site/home.html\t-> index.html", "/site/index.html\t$T/work/site/index.html",
        "/site/styles\t-> css",
        tmp + "/", tmp + "/opt/", tmp + "/opt/tool/", tmp + "/opt/tool/bin/", tmp + "/opt/tool/bin/run\t" + abs)
        .stream().map(s -> s.replace(tmp.toString(), "$T")).toList());
    assertThat(plan.notes()).contains("config.json Dirs: site: skipped dangling symlink " + site.resolve("css/broken")
        + " -> ../missing");
  }

  /**
   * With runtime support the listing opens every regular file to look for the ELF magic: a FIFO in the
   * tree must be skipped, never opened (opening one blocks until a writer comes).
   */
  @Test
  void aFifoInATreeIsSkippedWithANoteAndNeverOpened() throws Exception {
    Path site = cwd.resolve("site");
    write(site.resolve("index.html"), "<html>");
    Path fifo = site.resolve("sub/pipe");
    Files.createDirectories(fifo.getParent());
    Process mk;
    try {
      mk = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
    } catch (IOException e) {
      org.junit.jupiter.api.Assumptions.abort("no mkfifo on this machine: " + e.getMessage());
      return;
    }
    assertThat(mk.waitFor()).isZero();
    OpsConfig c = OpsConfig.builder().dirs(List.of("site")).build();
    ImagePlan plan = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60),
        () -> ContentPlanner.plan(inputs(c).runtimeFrom(tmp.resolve("no-root"))));
    assertThat(plan.entries()).containsKeys("/site/index.html", "/site/sub").doesNotContainKey("/site/sub/pipe");
    assertThat(plan.notes()).contains("config.json Dirs: site: skipped " + fifo + ": not a regular file, directory or symlink");
  }

  @Test
  void mapDirsMatchNamesInEverySubdirectory() throws IOException {
    Path conf = Files.createDirectories(tmp.resolve("conf"));
    Path assets = conf.resolve("assets");
    write(assets.resolve("a.html"), "a");
    write(assets.resolve("b.css"), "b");
    write(assets.resolve("sub/c.html"), "c");
    write(assets.resolve("sub/d.txt"), "d");
    Files.createDirectories(assets.resolve("x.html"));
    Files.createSymbolicLink(assets.resolve("link.html"), Path.of("a.html"));
    Files.createSymbolicLink(assets.resolve("dead.html"), Path.of("gone.html"));
    write(cwd.resolve("assets/zz.html"), "wrong base");
    OpsConfig c = OpsConfig.builder().putMapDir("assets/*.html", "/www").putMapDir("assets/[a-b].*", "srv/../ab")
        .localFilesParentDirectory(conf.toString()).build();
    ImagePlan plan = ContentPlanner.plan(inputs(c));
    assertThat(listing(plan)).containsExactlyElementsOf(withDefaults(
        "/ab/", "/ab/a.html\t$T/conf/assets/a.html", "/ab/b.css\t$T/conf/assets/b.css",
        "/hello\t$T/work/hello",
        "/www/", "/www/a.html\t$T/conf/assets/a.html", "/www/link.html\t-> a.html", "/www/sub/",
        "/www/sub/c.html\t$T/conf/assets/sub/c.html", "/www/x.html/"));
    assertThat(plan.notes()).contains("config.json MapDirs: assets/*.html: skipped dangling symlink "
        + assets.resolve("dead.html") + " -> gone.html");
  }

  @Test
  void mapDirsWithAnAbsoluteDirectoryLookUnderTheTargetRoot() throws IOException {
    Path root = tmp.resolve("sysroot");
    write(root.resolve("usr/share/zoneinfo/UTC"), "TZif");
    write(root.resolve("usr/share/zoneinfo/Europe/Paris"), "TZif");
    OpsConfig c = OpsConfig.builder().putMapDir("/usr/share/zoneinfo/*", "/usr/share/zoneinfo").build();
    ImagePlan plan = ContentPlanner.plan(inputs(c).targetRoot(root));
    assertThat(listing(plan)).containsExactlyElementsOf(withDefaults(
        "/hello\t$T/work/hello", "/usr/", "/usr/share/", "/usr/share/zoneinfo/",
        "/usr/share/zoneinfo/Europe/", "/usr/share/zoneinfo/Europe/Paris\t$T/sysroot/usr/share/zoneinfo/Europe/Paris",
        "/usr/share/zoneinfo/UTC\t$T/sysroot/usr/share/zoneinfo/UTC"));
    // The config's TargetRoot is used when no target root is given.
    ImagePlan viaConfig = ContentPlanner.plan(inputs(c.toBuilder().targetRoot(root.toString()).build()));
    assertThat(viaConfig.entries()).isEqualTo(plan.entries());
  }

  @Test
  void mapDirsErrors() throws IOException {
    write(cwd.resolve("data/a"), "a");
    OpsConfig bad = OpsConfig.builder().putMapDir("data/[a", "/d").build();
    assertThatThrownBy(() -> ContentPlanner.plan(inputs(bad)))
        .hasMessage("config.json MapDirs: data/[a: bad pattern \"[a\": unclosed [");
    OpsConfig clash = OpsConfig.builder().putMapDir("data/*", "/srv/data").args(List.of("data")).build();
    assertThatThrownBy(() -> ContentPlanner.plan(inputs(clash)))
        .hasMessage("config.json MapDirs: data/*: the image directory /srv/data has the same name as the argument"
            + " \"data\" (ops refuses this too)");
    OpsConfig missing = OpsConfig.builder().putMapDir("nodir/*", "/d").build();
    assertThatThrownBy(() -> ContentPlanner.plan(inputs(missing)))
        .hasMessage("config.json MapDirs: nodir/*: no such directory: " + cwd.resolve("nodir"));
    ImagePlan none = ContentPlanner.plan(inputs(OpsConfig.builder().putMapDir("data/*.png", "/img").build()));
    assertThat(none.entries()).doesNotContainKey("/img");
    assertThat(none.notes()).contains("config.json MapDirs: data/*.png: nothing in " + cwd.resolve("data")
        + " matches *.png");
  }

  @Test
  void globFollowsGoFilepathMatch() {
    assertThat(Glob.compile("*.so*").matches("libc.so.6")).isTrue();
    assertThat(Glob.compile("*.so*").matches("libc.a")).isFalse();
    assertThat(Glob.compile("a?c").matches("abc")).isTrue();
    assertThat(Glob.compile("a?c").matches("ac")).isFalse();
    assertThat(Glob.compile("[^a-c]x").matches("dx")).isTrue();
    assertThat(Glob.compile("[^a-c]x").matches("bx")).isFalse();
    assertThat(Glob.compile("\\*").matches("*")).isTrue();
    assertThat(Glob.compile("\\*").matches("a")).isFalse();
    assertThat(Glob.compile("[\\]]").matches("]")).isTrue();
    assertThat(Glob.compile("*a*b").matches("xaybzb")).isTrue();
    assertThat(Glob.compile("*").matches("")).isTrue();
    assertThat(Glob.compile("é?").matches("éé")).isTrue();
    for (String bad : List.of("[", "[]", "[a-", "\\", "[-a]", "[]a]")) {
      assertThatThrownBy(() -> Glob.compile(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void laterSourcesReplaceEarlierOnesInOpsOrder() throws IOException {
    Path lib = write(tmp.resolve("root/lib/libx.so"), "lib");
    write(cwd.resolve("lib/libx.so"), "files");
    write(cwd.resolve("d/lib/libx.so"), "dirs");
    write(cwd.resolve("m/libx.so"), "mapdirs");
    write(cwd.resolve("cli/libx.so"), "cli file");
    write(cwd.resolve("cd/libx.so"), "cli dir");
    OpsConfig c = OpsConfig.builder().files(List.of("lib/libx.so")).dirs(List.of("d")).putMapDir("m/*", "/d/lib")
        .build();
    PlannerInputs in = inputs(c).dependencies(List.of(ImageEntry.file("/d/lib/libx.so", lib)));
    assertThat(ContentPlanner.plan(in).entries().get("/d/lib/libx.so").hostPath())
        .isEqualTo(cwd.resolve("m/libx.so"));
    ImagePlan plan = ContentPlanner.plan(in.cliFiles(entries("cli/libx.so:/d/lib/libx.so"))
        .cliDirs(entries("cd:d/lib")));
    assertThat(plan.entries().get("/d/lib/libx.so").hostPath()).isEqualTo(cwd.resolve("cd/libx.so"));
    assertThat(plan.notes()).containsSubsequence(
        "/d/lib/libx.so: config.json Dirs: d replaces the file from program dependency",
        "/d/lib/libx.so: config.json MapDirs: m/* replaces the file from config.json Dirs: d",
        "/d/lib/libx.so: file " + cwd.resolve("cli/libx.so") + " at /d/lib/libx.so replaces the file from config.json MapDirs: m/*",
        "/d/lib/libx.so: directory " + cwd.resolve("cd") + " at /d/lib replaces the file from file "
            + cwd.resolve("cli/libx.so") + " at /d/lib/libx.so");
    assertThat(plan.entries().get("/lib/libx.so").hostPath()).isEqualTo(cwd.resolve("lib/libx.so"));
  }

  @Test
  void cliFileAndDirImagePaths() throws IOException {
    write(cwd.resolve("conf/app.yml"), "x");
    write(cwd.resolve("web/i.html"), "x");
    ImagePlan plan = ContentPlanner.plan(inputs(OpsConfig.empty())
        .cliFiles(entries("conf/app.yml", "conf/app.yml:etc/app.yml", cwd.resolve("conf/app.yml") + ":/x.yml"))
        .cliDirs(entries("web", "web:/srv/www")));
    assertThat(listing(plan)).containsExactlyElementsOf(withDefaults(
        "/conf/", "/conf/app.yml\t$T/work/conf/app.yml", "/etc/app.yml\t$T/work/conf/app.yml",
        "/hello\t$T/work/hello", "/srv/", "/srv/www/", "/srv/www/i.html\t$T/work/web/i.html",
        "/web/", "/web/i.html\t$T/work/web/i.html", "/x.yml\t$T/work/conf/app.yml"));
  }

  @Test
  void typeConflictsAreErrors() throws IOException {
    write(cwd.resolve("f"), "x");
    assertThatThrownBy(() -> ContentPlanner.plan(inputs(OpsConfig.empty()).cliFiles(entries("f:/etc"))))
        .hasMessage("file " + cwd.resolve("f") + " at /etc: /etc: cannot replace the directory from default file with a file");
    assertThatThrownBy(() -> ContentPlanner.plan(inputs(OpsConfig.empty()).cliFiles(entries("f:/hello/x"))))
        .hasMessage("file " + cwd.resolve("f") + " at /hello/x: /hello/x: its parent /hello is a file (from program)");
    write(cwd.resolve("d/hello/a"), "x");
    assertThatThrownBy(() -> ContentPlanner.plan(inputs(OpsConfig.builder().dirs(List.of("d")).build())
        .cliDirs(entries("d:/"))))
        .hasMessage("directory " + cwd.resolve("d") + " at /: /hello: cannot replace the file from program with a directory");
  }

  @Test
  void mountDirectoriesAreCreated() throws IOException {
    OpsConfig c = OpsConfig.builder().putMount("data", "/mnt/data").putMount("logs", "/var/log:ro").build();
    ImagePlan plan = ContentPlanner.plan(inputs(c));
    assertThat(listing(plan)).containsExactlyElementsOf(withDefaults(
        "/hello\t$T/work/hello", "/mnt/", "/mnt/data/", "/var/", "/var/log/"));
    assertThatThrownBy(() -> ContentPlanner.plan(inputs(OpsConfig.builder().putMount("x", "/:ro").build())))
        .hasMessage("config.json Mounts: x: \"/:ro\": the mount directory must be a directory other than /");
    assertThatThrownBy(() -> ContentPlanner.plan(inputs(OpsConfig.builder().putMount("x", "/hello").build())))
        .hasMessage("config.json Mounts: x: /hello: cannot replace the file from program with a directory");
  }

  @Test
  void programMustBeInTheImage() throws IOException {
    assertThatThrownBy(() -> ContentPlanner.plan(new PlannerInputs().cwd(cwd)))
        .hasMessageStartingWith("no program given");
    assertThatThrownBy(() -> ContentPlanner.plan(new PlannerInputs().cwd(cwd)
        .program("./nope", "/nope", cwd.resolve("nope"))))
        .hasMessage("program ./nope: no such file: " + cwd.resolve("nope"));
    assertThatThrownBy(() -> ContentPlanner.plan(inputs(OpsConfig.empty()).set("program", StringValue.of("/bin/sh"))))
        .hasMessage("program: /bin/sh is not a file in the image");
    ImagePlan viaSymlink = ContentPlanner.plan(new PlannerInputs().cwd(cwd).program("java", "/usr/bin/java", null)
        .dependencies(List.of(ImageEntry.symlink("/usr/bin/java", "/opt/jdk/bin/java"),
            ImageEntry.file("/opt/jdk/bin/java", cwd.resolve("hello")))));
    assertThat(viaSymlink.entries().get("/usr/bin/java").kind()).isEqualTo(ImageEntry.Kind.SYMLINK);
  }

  @Test
  void sameInputsInAnyHostListingOrderGiveTheSamePlan() throws IOException {
    List<String> names = List.of("b", "a", "A", "a b", "a-b", "z/y", "z/a", "m/n/o", "_", "a.b");
    String[] dryRuns = new String[2];
    for (int round = 0; round < 2; round++) {
      Path base = Files.createDirectories(tmp.resolve("round" + round));
      Path work = Files.createDirectories(base.resolve("w"));
      write(work.resolve("hello"), "ELF");
      List<String> order = new ArrayList<>(names);
      if (round == 1) {
        java.util.Collections.reverse(order);
      }
      for (String n : order) {
        write(work.resolve("tree").resolve(n), n);
        write(work.resolve("conf/m").resolve(n.replace('/', '_') + ".txt"), n);
      }
      OpsConfig c = OpsConfig.builder().dirs(List.of("tree")).putMapDir("m/*.txt", "/txt")
          .localFilesParentDirectory(work.resolve("conf").toString()).build();
      ImagePlan plan = ContentPlanner.plan(new PlannerInputs().config(c).cwd(work)
          .program("./hello", "/hello", work.resolve("hello")));
      dryRuns[round] = PlanText.of(plan).replace(base.toString(), "$B");
      assertThat(new ArrayList<>(plan.entries().keySet())).isSortedAccordingTo(ImagePlan.PATH_ORDER);
    }
    assertThat(dryRuns[1]).isEqualTo(dryRuns[0]);
    assertThat(dryRuns[0]).contains("/tree/a\t$B/w/tree/a\n/tree/a b\t$B/w/tree/a b\n/tree/a-b\t$B/w/tree/a-b\n");
  }

  @Test
  void everyParentDirectoryIsAnEntry() throws IOException {
    Path lib = write(tmp.resolve("l/libc.so.6"), "c");
    ImagePlan plan = ContentPlanner.plan(inputs(OpsConfig.empty())
        .dependencies(List.of(ImageEntry.file("/lib/x86_64-linux-gnu/libc.so.6", lib))));
    for (Map.Entry<String, ImageEntry> e : plan.entries().entrySet()) {
      String p = e.getKey();
      assertThat(e.getValue().imagePath()).isEqualTo(p);
      String parent = p.substring(0, p.lastIndexOf('/'));
      if (!parent.isEmpty()) {
        assertThat(plan.entries().get(parent).kind()).as(p).isEqualTo(ImageEntry.Kind.DIRECTORY);
      }
    }
    assertThat(plan.entries()).doesNotContainKey("/");
  }
}
