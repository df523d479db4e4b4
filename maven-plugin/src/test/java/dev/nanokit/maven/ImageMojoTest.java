package dev.nanokit.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanokit.core.ImagePlan;
import dev.nanokit.core.JavaImage;
import dev.nanokit.core.NanosImage;
import dev.nanokit.manifest.StringValue;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the goal makes of the project: the application, the class path, the runtime, the ports, skip. */
class ImageMojoTest {
  @TempDir Path tmp;

  private ImageMojo mojo(Path classes, Path... dependencies) throws Exception {
    ImageMojo m = new ImageMojo();
    m.classesDirectory = Files.createDirectories(classes).toFile();
    m.runtimeClasspathElements = new java.util.ArrayList<>(List.of(classes.toString()));
    for (Path d : dependencies) {
      m.runtimeClasspathElements.add(d.toString());
    }
    m.outputFile = tmp.resolve("target/app.img").toFile();
    m.workDirectory = tmp.resolve("target/nanokit").toFile();
    m.processEnvironment = Map.of();
    return m;
  }

  private Path jar(String name, String mainClass) throws Exception {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (mainClass != null) {
      manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
    }
    Path jar = tmp.resolve(name);
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, manifest)) {
      j.flush();
    }
    return jar;
  }

  @Test
  void withoutAJarTheClassesDirectoryRunsWithTheDependenciesButNotItselfAmongThem() throws Exception {
    ImageMojo m = mojo(tmp.resolve("classes"), jar("a.jar", null), jar("b.jar", null));
    try (JavaImage java = m.javaImage()) {
      assertThat(java.classPath()).containsExactly("/app/classes", "/app/libs/a.jar", "/app/libs/b.jar");
    }
  }

  @Test
  void thePackagedJarIsTheApplicationWithItsManifestsMainClass() throws Exception {
    ImageMojo m = mojo(tmp.resolve("classes"), jar("dep.jar", null));
    m.artifactFile = jar("app-1.0.jar", "app.Main").toFile();
    try (JavaImage java = m.javaImage()) {
      assertThat(java.classPath()).containsExactly("/app/app-1.0.jar", "/app/libs/dep.jar");
      assertThat(java.mainClass()).isEqualTo("app.Main");
    }
    m.mainClass = "app.Other";
    try (JavaImage java = m.javaImage()) {
      assertThat(java.mainClass()).isEqualTo("app.Other");
    }
  }

  @Test
  void portsAndEnvironmentReachTheImageAndFlagsAndArgumentsTheCommandLine() throws Exception {
    ImageMojo m = mojo(tmp.resolve("classes"));
    m.mainClass = "app.Main";
    m.runtime = "none";
    m.ports = List.of("8080", "8443");
    m.environment = Map.of("B", "2", "A", "1");
    m.jvmFlags = List.of("-Xss1m");
    m.args = List.of("--serve");
    try (JavaImage java = m.javaImage(); NanosImage image = java.nanosImage()) {
      m.configure(image);
      ImagePlan plan = image.plan();
      assertThat(plan.rootConfig().getTuple("environment").get("OPS_PORT")).isEqualTo(StringValue.of("8080,8443"));
      assertThat(plan.rootConfig().getTuple("environment").get("A")).isEqualTo(StringValue.of("1"));
      assertThat(plan.rootConfig().getTuple("environment").get("IMAGE_NAME")).isEqualTo(StringValue.of("app"));
      assertThat(plan.rootConfig().get("arguments").toString()).isEqualTo("[\"/usr/lib/jvm/app-runtime/bin/java\""
          + " \"-Xss1m\" \"-cp\" \"/app/classes\" \"app.Main\" \"--serve\"]");
    }
  }

  @Test
  void anUnknownRuntimeFailsAndSkipWritesNothing() throws Exception {
    ImageMojo m = mojo(tmp.resolve("classes"));
    m.runtime = "jre";
    assertThatThrownBy(m::javaImage).isInstanceOf(MojoFailureException.class)
        .hasMessage("nanokit: runtime is jlink or none, not 'jre'");
    m.skip = true;
    m.execute();
    assertThat(tmp.resolve("target/app.img")).doesNotExist();
  }

  @Test
  void aMissingMainClassFailsTheBuildNamingTheCandidates() throws Exception {
    ImageMojo m = mojo(tmp.resolve("classes"));
    m.volumeOnly = true;
    assertThatThrownBy(m::execute).isInstanceOf(MojoFailureException.class).hasMessage("nanokit: no main class is set"
        + " for the classes in " + tmp.resolve("classes") + "; no class in it declares public static void main(String[])");
  }
}
