package dev.nanokit.core;

import static dev.nanokit.core.oci.OciLayerApplierTest.dir;
import static dev.nanokit.core.oci.OciLayerApplierTest.file;
import static dev.nanokit.core.oci.OciLayerApplierTest.symlink;
import static dev.nanokit.core.oci.OciLayerApplierTest.tar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanokit.core.oci.OciImageTest;
import dev.nanokit.core.plan.ContentPlanner;
import dev.nanokit.manifest.StringValue;
import dev.nanokit.manifest.VectorValue;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Container-image builds through {@link ImageSource#containerImage}. */
class NanosImageContainerTest {
  @TempDir Path tmp;

  /** A minimal static x86-64 ELF executable, as a string for the tar helper. */
  static String staticElf() {
    return new String(dev.nanokit.testing.manifest.TestPrograms.staticElf(dev.nanokit.testing.manifest.TestPrograms.X86_64),
        StandardCharsets.ISO_8859_1);
  }

  /** A one-layer OCI layout: /usr/bin/app (static ELF), /bin -> usr/bin, /app/data.txt; Entrypoint app. */
  static Path layout(Path dir) throws Exception {
    byte[] layer = tar(dir("usr/"), dir("usr/bin/"), file("usr/bin/app", staticElf()), symlink("bin", "usr/bin"),
        file("app/data.txt", "data"), file("etc/os-release", "test"));
    List<OciImageTest.L> layers = List.of(new OciImageTest.L(layer, true));
    ObjectNode run = OciImageTest.JSON.createObjectNode();
    run.putArray("Entrypoint").add("app");
    run.putArray("Cmd").add("--serve");
    run.putArray("Env").add("PATH=/bin:/usr/bin").add("LANG=C.UTF-8").add("MODE=image");
    run.put("WorkingDir", "/app");
    ObjectNode m = OciImageTest.image(dir, OciImageTest.config(run, layers), layers);
    OciImageTest.writeIndex(dir, OciImageTest.index(m));
    return dir;
  }

  private NanosImage builder(OpsConfig config) throws Exception {
    return builder(config, ImageSource.containerImage(layout(tmp.resolve("oci"))));
  }

  private final List<NanosImage> opened = new java.util.ArrayList<>();

  private NanosImage builder(OpsConfig config, ImageSource source) {
    NanosImage b = NanosImage.from(source).setConfig(config).setWorkingDirectory(tmp).setEnvironment(java.util.Map.of());
    opened.add(b);
    return b;
  }

  /** Closing a builder removes what it unpacked: nothing of this test's stays in the temp directory. */
  @org.junit.jupiter.api.AfterEach
  void closingTheBuildersLeavesNoScratchDirectory() throws Exception {
    for (NanosImage b : opened) {
      b.close();
    }
    // Directories only: the temp directory of a test JVM is the module's target, which also holds
    // the nanokit-core-*.jar files of an earlier package phase.
    try (var left = Files.newDirectoryStream(Path.of(System.getProperty("java.io.tmpdir")),
        p -> Files.isDirectory(p) && p.getFileName().toString().startsWith("nanokit-"))) {
      assertThat(left).isEmpty();
    }
  }

  private NanosImage builderRunning(String program) throws Exception {
    return builder(OpsConfig.empty(), ImageSource.containerImage(layout(tmp.resolve("oci"))).withProgram(program));
  }

  @Test
  void theImageConfigGivesProgramArgumentsAndEnvironment() throws Exception {
    ImagePlan plan = builder(OpsConfig.empty()).plan();
    assertThat(plan.entries()).containsKeys("/usr/bin/app", "/etc/passwd").doesNotContainKeys("/bin", "/app",
        "/etc/os-release");
    assertThat(plan.entries().get("/usr/bin/app").kind()).isEqualTo(ImageEntry.Kind.FILE);
    assertThat(plan.rootConfig().get("program")).isEqualTo(StringValue.of("/usr/bin/app"));
    assertThat(plan.rootConfig().get("arguments")).isEqualTo(VectorValue.ofStrings(List.of("app", "--serve")));
    assertThat(plan.rootConfig().getTuple("environment").get("LANG")).isEqualTo(StringValue.of("C.UTF-8"));
    assertThat(plan.rootConfig().getTuple("environment").get("PATH")).isEqualTo(StringValue.of("/bin:/usr/bin"));
    assertThat(plan.rootConfig().contains("cwd")).isFalse();
    assertThat(plan.notes()).anyMatch(n -> n.startsWith("the image's WorkingDir /app is not in the image"));
  }

  @Test
  void theWholeImageKeepsItsTreeAndWorkingDirectory() throws Exception {
    ImagePlan plan = builder(OpsConfig.empty(), ImageSource.containerImage(layout(tmp.resolve("oci"))).withWholeFilesystem()).plan();
    assertThat(plan.entries().get("/bin")).isEqualTo(ImageEntry.symlink("/bin", "usr/bin"));
    assertThat(plan.entries()).containsKeys("/app/data.txt", "/etc/os-release", "/usr/bin/app");
    assertThat(plan.rootConfig().get("cwd")).isEqualTo(StringValue.of("/app"));
    assertThat(plan.notes()).noneMatch(n -> n.contains("replaces")); // the program is the image's own file
    Path out = tmp.resolve("whole.img");
    ImageResult r = builder(OpsConfig.empty(), ImageSource.containerImage(tmp.resolve("oci")).withWholeFilesystem())
        .writeVolumeTo(out);
    assertThat(r.size()).isEqualTo(Files.size(out));
    try (dev.nanokit.tfs.TfsVolume v = dev.nanokit.tfs.TfsVolume.open(out)) {
      assertThat(v.lookup("/app/data.txt", true).orElseThrow().size()).isEqualTo(4);
      assertThat(v.lookup("/bin", false).orElseThrow().linkTarget()).isEqualTo("usr/bin");
    }
  }

  @Test
  void flagsAndConfigOverrideTheImage() throws Exception {
    ImagePlan plan = builder(OpsConfig.builder().putEnv("MODE", "config").build(),
        ImageSource.containerImage(layout(tmp.resolve("oci"))).withProgram("/bin/app")).addArguments("x").putEnvironment("LANG", "flag")
        .set("cwd", StringValue.of("/")).plan();
    assertThat(plan.rootConfig().get("program")).isEqualTo(StringValue.of("/usr/bin/app"));
    assertThat(plan.rootConfig().get("arguments")).isEqualTo(VectorValue.ofStrings(List.of("/bin/app", "x")));
    assertThat(plan.rootConfig().getTuple("environment").get("MODE")).isEqualTo(StringValue.of("config"));
    assertThat(plan.rootConfig().getTuple("environment").get("LANG")).isEqualTo(StringValue.of("flag"));
    assertThat(plan.rootConfig().get("cwd")).isEqualTo(StringValue.of("/"));

    // Naming the program drops the image's Cmd (Docker's rule for a new entrypoint).
    ImagePlan named = builderRunning("app").plan();
    assertThat(named.rootConfig().get("arguments")).isEqualTo(VectorValue.ofStrings(List.of("app")));
  }

  @Test
  void aProgramNotInTheImageIsOneLine() throws Exception {
    assertThatThrownBy(() -> builderRunning("python3").plan())
        .isInstanceOf(ImageFormatException.class)
        .hasMessageEndingWith("python3: not found on the image's PATH /bin:/usr/bin");
    assertThatThrownBy(() -> builderRunning("/etc/../../usr/bin/none").plan())
        .isInstanceOf(ImageFormatException.class)
        .hasMessageContaining("/usr/bin/none does not exist in the image");
  }

  @Test
  void aMergedUsrImageKeepsItsLibSymlinkAndBringsItsOwnNssLibrary() throws Exception {
    byte[] layer = tar(dir("usr/"), dir("usr/bin/"), file("usr/bin/app", staticElf()), symlink("lib", "usr/lib"),
        file("usr/lib/x86_64-linux-gnu/libnss_dns.so.2", "nss"));
    List<OciImageTest.L> layers = List.of(new OciImageTest.L(layer, false));
    ObjectNode run = OciImageTest.JSON.createObjectNode();
    run.putArray("Entrypoint").add("/usr/bin/app");
    Path dir = tmp.resolve("merged");
    OciImageTest.writeIndex(dir, OciImageTest.index(OciImageTest.image(dir, OciImageTest.config(run, layers), layers)));

    ImagePlan whole = builder(OpsConfig.empty(), ImageSource.containerImage(dir).withWholeFilesystem()).plan();
    assertThat(whole.entries().get("/lib")).isEqualTo(ImageEntry.symlink("/lib", "usr/lib"));
    assertThat(whole.entries()).containsKey("/usr/lib/x86_64-linux-gnu/libnss_dns.so.2");
    assertThat(whole.notes()).contains("not added " + ContentPlanner.CA_CERTIFICATES + " and " + ContentPlanner.NSS_DNS
        + ": the whole image is copied");

    ImagePlan slim = builder(OpsConfig.empty(), ImageSource.containerImage(dir)).plan();
    assertThat(slim.entries().get(ContentPlanner.NSS_DNS).kind()).isEqualTo(ImageEntry.Kind.FILE);
    assertThat(PlanText.of(slim)).contains(ContentPlanner.NSS_DNS + "\t" + dir + ":/usr/lib/x86_64-linux-gnu/libnss_dns.so.2\n");
    assertThat(String.join("\n", slim.notes())).doesNotContain(System.getProperty("java.io.tmpdir") + "/nanokit-");
  }

  @Test
  void aNulInTheImageConfigIsOneLineNamingTheImage() throws Exception {
    byte[] layer = tar(file("app", staticElf()));
    List<OciImageTest.L> layers = List.of(new OciImageTest.L(layer, false));
    ObjectNode run = OciImageTest.JSON.createObjectNode();
    run.putArray("Entrypoint").add("/app\u0000x");
    Path dir = tmp.resolve("nul");
    OciImageTest.writeIndex(dir, OciImageTest.index(OciImageTest.image(dir, OciImageTest.config(run, layers), layers)));
    assertThatThrownBy(() -> builder(OpsConfig.empty(), ImageSource.containerImage(dir)).plan())
        .isInstanceOf(ImageFormatException.class)
        .hasMessageStartingWith(dir.toString())
        .hasMessageEndingWith("\"Entrypoint\" holds a NUL character");
  }

  @Test
  void errorsAboutUnpackedFilesNameTheArchiveNotTheScratchDirectory() throws Exception {
    Path image = layout(tmp.resolve("oci"));
    NanosImage b = builder(OpsConfig.empty(), ImageSource.containerImage(image))
        .setDependencyFinder((host, root) -> {
          throw new java.nio.file.NoSuchFileException(host.toString(), null, "shared libraries not found");
        });
    assertThatThrownBy(b::plan)
        .isInstanceOf(ImageFormatException.class)
        .hasMessage(image + ":/usr/bin/app: shared libraries not found");
  }
}
