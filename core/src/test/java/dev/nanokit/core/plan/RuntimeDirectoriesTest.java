package dev.nanokit.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanokit.core.ImageEntry;
import dev.nanokit.core.ImagePlan;
import dev.nanokit.core.ImageSource;
import dev.nanokit.core.NanosImage;
import dev.nanokit.manifest.StringValue;
import dev.nanokit.testing.manifest.TestPrograms;
import dev.nanokit.tfs.ImagePath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Interpreters get what they load besides libraries, from the target root, found by reading files. */
class RuntimeDirectoriesTest {
  private static final String LIBS = "/usr/lib/x86_64-linux-gnu";

  @TempDir Path tmp;

  private Path root() {
    return tmp.resolve("root");
  }

  private Path file(String imagePath, String text) throws Exception {
    Path p = root().resolve(imagePath.substring(1));
    Files.createDirectories(p.getParent());
    return Files.writeString(p, text);
  }

  private void link(String imagePath, String target) throws Exception {
    Path p = root().resolve(imagePath.substring(1));
    Files.createDirectories(p.getParent());
    Files.createSymbolicLink(p, Path.of(target));
  }

  private Path elf(String imagePath, String soname, String runpath, String... needed) throws Exception {
    return TestPrograms.dynamicElf(root().resolve(imagePath.substring(1)), null, soname, runpath, needed);
  }

  private NanosImage builder(String program) {
    return NanosImage.from(ImageSource.program(Path.of(program))).setTargetRoot(root()).setWorkingDirectory(tmp)
        .setEnvironment(Map.of());
  }

  @Test
  void cpythonGetsItsStandardLibraryAndWhatItsExtensionModulesLink() throws Exception {
    elf(LIBS + "/libc.so.6", "libc.so.6", null);
    elf(LIBS + "/libssl.so.3", "libssl.so.3", null, "libc.so.6");
    elf("/usr/bin/python3.11", null, null, "libc.so.6");
    link("/usr/bin/python3", "python3.11");
    file("/usr/lib/python3.11/os.py", "# os\n");
    file("/usr/lib/python3.11/json/__init__.py", "# json\n");
    elf("/usr/lib/python3.11/lib-dynload/_ssl.cpython-311-x86_64-linux-gnu.so", null, null, "libssl.so.3", "libc.so.6");
    elf("/usr/lib/python3.11/lib-dynload/_gone.cpython-311-x86_64-linux-gnu.so", null, null, "libgone.so.1");

    ImagePlan plan = builder("/usr/bin/python3").plan();

    assertThat(plan.entries()).containsKeys("/usr/lib/python3.11/os.py", "/usr/lib/python3.11/json/__init__.py",
        "/usr/lib/python3.11/lib-dynload/_ssl.cpython-311-x86_64-linux-gnu.so", LIBS + "/libssl.so.3");
    assertThat(plan.entries().get(LIBS + "/libssl.so.3").hostPath()).isEqualTo(root().resolve(LIBS.substring(1) + "/libssl.so.3"));
    assertThat(plan.notes()).contains("added /usr/lib/python3.11 from " + root().resolve("usr/lib/python3.11")
        + ": the standard library of python3.11");
    assertThat(plan.notes()).contains("added " + LIBS + "/libssl.so.3 from " + root().resolve("usr/lib/x86_64-linux-gnu/libssl.so.3")
        + ": needed by /usr/lib/python3.11/lib-dynload/_ssl.cpython-311-x86_64-linux-gnu.so");
    assertThat(plan.warnings()).containsExactly("/usr/lib/python3.11/lib-dynload/_gone.cpython-311-x86_64-linux-gnu.so"
        + " needs libgone.so.1, found neither in the image nor in " + root());
    // The program is not moved: it does not find libraries relative to itself.
    assertThat(plan.rootConfig().get("program")).isEqualTo(StringValue.of("/usr/bin/python3"));

    ImagePlan bare = builder("/usr/bin/python3").setRuntimeSupport(false).plan();
    assertThat(bare.entries()).doesNotContainKeys("/usr/lib/python3.11/os.py", LIBS + "/libssl.so.3");
    assertThat(bare.warnings()).isEmpty();
  }

  @Test
  void aStandardLibraryTheUserMappedIsLeftAsMapped() throws Exception {
    elf("/usr/bin/python3.12", null, null);
    file("/usr/lib/python3.12/os.py", "# os\n");
    Path mine = Files.createDirectories(tmp.resolve("mine"));
    Files.writeString(mine.resolve("os.py"), "# my os\n");

    ImagePlan plan = builder("/usr/bin/python3.12").addDirectory(mine, ImagePath.of("/usr/lib/python3.12")).plan();

    assertThat(plan.entries().get("/usr/lib/python3.12/os.py").hostPath()).isEqualTo(mine.resolve("os.py"));
    assertThat(plan.notes()).anyMatch(n -> n.startsWith("not added /usr/lib/python3.12 (the standard library of "
        + "python3.12): already in the image from directory " + mine));
  }

  @Test
  void aJdkLauncherRunsFromItsHomeWithItsRuntimeImage() throws Exception {
    String home = "/usr/lib/jvm/jdk-17";
    elf(LIBS + "/libc.so.6", "libc.so.6", null);
    elf(LIBS + "/libstdc++.so.6", "libstdc++.so.6", null, "libc.so.6");
    elf(home + "/bin/java", null, "$ORIGIN/../lib", "libjli.so", "libc.so.6");
    elf(home + "/lib/libjli.so", "libjli.so", null, "libc.so.6");
    elf(home + "/lib/server/libjvm.so", "libjvm.so", null, "libstdc++.so.6", "libc.so.6");
    elf(home + "/lib/libjava.so", "libjava.so", "$ORIGIN:$ORIGIN/server", "libjvm.so");
    file(home + "/lib/modules", "jimage");
    file(home + "/conf/security/java.security", "x=1\n");
    file(home + "/release", "JAVA_VERSION=\"17\"\n");
    link("/usr/bin/java", "../lib/jvm/jdk-17/bin/java");

    ImagePlan plan = builder("/usr/bin/java").addArguments("-jar", "/app.jar").plan();

    // Nanos points /proc/self/exe at the program key, so $ORIGIN and java.home must come from the real path.
    assertThat(plan.rootConfig().get("program")).isEqualTo(StringValue.of(home + "/bin/java"));
    assertThat(plan.rootConfig().get("arguments"))
        .isEqualTo(dev.nanokit.manifest.VectorValue.ofStrings(java.util.List.of("/usr/bin/java", "-jar", "/app.jar")));
    assertThat(plan.entries()).as(String.join("\n", plan.notes())).containsKeys(home + "/bin/java", home + "/lib/libjli.so", home + "/lib/modules",
        home + "/lib/server/libjvm.so", home + "/conf/security/java.security", home + "/release", LIBS + "/libstdc++.so.6")
        .doesNotContainKey("/usr/bin/java");
    assertThat(plan.entries().get(home + "/lib/modules").kind()).isEqualTo(ImageEntry.Kind.FILE);
    assertThat(plan.notes()).contains("the program /usr/bin/java is " + home + "/bin/java, which finds its libraries "
        + "relative to itself ($ORIGIN): placed and run at that path (argv[0] stays /usr/bin/java)");
    assertThat(plan.warnings()).isEmpty(); // libjava.so finds libjvm.so through its own RUNPATH, in the image
  }
}
