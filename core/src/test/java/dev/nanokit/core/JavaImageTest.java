package dev.nanokit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanokit.manifest.StringValue;
import dev.nanokit.manifest.Value;
import dev.nanokit.manifest.VectorValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The layout and root configuration of Java images; the runtime is the test JDK's, copied (no jlink here). */
class JavaImageTest {
  private static final String RUNTIME = "/usr/lib/jvm/app-runtime";
  @TempDir Path tmp;

  private static List<String> arguments(ImagePlan plan) {
    List<String> out = new ArrayList<>();
    for (Value v : ((VectorValue) plan.rootConfig().get("arguments")).elements()) {
      out.add(((StringValue) v).text());
    }
    return out;
  }

  private static ImagePlan plan(JavaImage java) throws Exception {
    return java.setRuntime(JavaImage.Runtime.JDK).nanosImage().setEnvironment(Map.of()).plan();
  }

  @Test
  void aJarWithADependencyIsLaidOutAsJibDoesWithTheMainClassFromItsManifest() throws Exception {
    JavaSamples s = JavaSamples.compile(tmp);
    Path jar = s.helloJar("plain", "app.Hello", null);
    Path extra = Files.createDirectories(tmp.resolve("extra/etc/app"));
    Files.writeString(extra.resolve("app.conf"), "x=1\n");
    try (JavaImage java = JavaImage.fromJar(jar).addDependency(s.greeterJar).addJvmFlags("-Xmx64m")
        .addArguments("a", "b").putEnvironment("APP_MODE", "test").addExtraDirectory(tmp.resolve("extra"))) {
      ImagePlan plan = plan(java);
      Path home = Path.of(System.getProperty("java.home")).toRealPath();
      assertThat(plan.entries().get("/app/hello.jar").hostPath()).isEqualTo(jar);
      assertThat(plan.entries().get("/app/libs/greeter.jar").hostPath()).isEqualTo(s.greeterJar);
      assertThat(plan.entries().get("/etc/app/app.conf").hostPath()).isEqualTo(extra.resolve("app.conf"));
      assertThat(plan.entries().get(RUNTIME + "/bin/java").hostPath()).isEqualTo(home.resolve("bin/java"));
      assertThat(plan.entries().get(RUNTIME + "/lib/modules").hostPath()).isEqualTo(home.resolve("lib/modules"));
      assertThat(plan.entries()).containsKey(RUNTIME + "/lib/libjli.so")
          .noneSatisfy((path, e) -> assertThat(path).startsWith(home.toString()));
      assertThat(plan.rootConfig().get("program")).isEqualTo(StringValue.of(RUNTIME + "/bin/java"));
      assertThat(arguments(plan)).containsExactly(RUNTIME + "/bin/java", "-Xmx64m", "-cp",
          "/app/hello.jar:/app/libs/greeter.jar", "app.Hello", "a", "b");
      assertThat(plan.rootConfig().getTuple("environment").get("APP_MODE")).isEqualTo(StringValue.of("test"));
    }
  }

  @Test
  void classesAndResourcesGoToTheirDirectoriesFirstOnTheClassPath() throws Exception {
    JavaSamples s = JavaSamples.compile(tmp);
    Path resources = Files.createDirectories(tmp.resolve("resources"));
    Files.writeString(resources.resolve("app.properties"), "k=v\n");
    try (JavaImage java = JavaImage.fromClasses(s.helloClasses).setResources(resources).addDependency(s.greeterJar)
        .setMainClass("app.Hello")) {
      ImagePlan plan = plan(java);
      assertThat(plan.entries().get("/app/classes/app/Hello.class").hostPath())
          .isEqualTo(s.helloClasses.resolve("app/Hello.class"));
      assertThat(plan.entries().get("/app/resources/app.properties").hostPath()).isEqualTo(resources.resolve("app.properties"));
      assertThat(arguments(plan)).containsExactly(RUNTIME + "/bin/java", "-cp",
          "/app/resources:/app/classes:/app/libs/greeter.jar", "app.Hello");
    }
  }

  @Test
  void theJarsClassPathEntriesAreFollowedAndAMissingOneIsANote() throws Exception {
    JavaSamples s = JavaSamples.compile(tmp);
    Path jar = s.helloJar("cp", "app.Hello", "lib/greeter.jar lib/absent.jar");
    Files.createDirectories(tmp.resolve("cp/lib"));
    Files.copy(s.greeterJar, tmp.resolve("cp/lib/greeter.jar"));
    List<String> notes = new ArrayList<>();
    try (JavaImage java = JavaImage.fromJar(jar).addEventHandler(NoteEvent.class, n -> notes.add(n.message()))) {
      ImagePlan plan = plan(java);
      assertThat(plan.entries().get("/app/libs/greeter.jar").hostPath()).isEqualTo(tmp.resolve("cp/lib/greeter.jar"));
      assertThat(arguments(plan)).contains("/app/hello.jar:/app/libs/greeter.jar");
      assertThat(notes).contains("Class-Path entry lib/absent.jar of hello.jar: " + tmp.resolve("cp/lib/absent.jar")
          + " does not exist, left out (the launcher skips it too)");
    }
  }

  @Test
  void withoutAMainClassTheErrorListsTheClassesThatHaveAPublicStaticMain() throws Exception {
    JavaSamples s = JavaSamples.compile(tmp);
    Path jar = s.helloJar("nomain", null, null);
    try (JavaImage java = JavaImage.fromJar(jar)) {
      assertThatThrownBy(java::mainClass).isInstanceOf(ImageInputException.class).hasMessage(jar
          + " has no Main-Class in its manifest and no main class is set;"
          + " classes with public static void main(String[]): app.Hello");
    }
    // Greeter's main is not public: the launcher would refuse it, so it is no candidate.
    try (JavaImage java = JavaImage.fromClasses(tmp.resolve("greeter-classes"))) {
      assertThatThrownBy(java::mainClass).isInstanceOf(ImageInputException.class).hasMessage("no main class is set for"
          + " the classes in " + tmp.resolve("greeter-classes") + "; no class in it declares public static void main(String[])");
    }
  }

  @Test
  void twoDependenciesWithOneFileNameAndAMissingApplicationAreRefused() throws Exception {
    JavaSamples s = JavaSamples.compile(tmp);
    Path other = Files.createDirectories(tmp.resolve("other")).resolve("greeter.jar");
    Files.copy(s.greeterJar, other);
    try (JavaImage java = JavaImage.fromClasses(s.helloClasses).setMainClass("app.Hello").addDependency(s.greeterJar)
        .addDependency(other)) {
      assertThatThrownBy(java::classPath).isInstanceOf(ImageInputException.class)
          .hasMessage("dependencies " + s.greeterJar + " and " + other + " would both be /app/libs/greeter.jar");
    }
    try (JavaImage java = JavaImage.fromJar(tmp.resolve("absent.jar"))) {
      assertThatThrownBy(java::mainClass).isInstanceOf(ImageInputException.class)
          .hasMessage("application jar " + tmp.resolve("absent.jar") + ": not found");
    }
  }

  @Test
  void aCopiedJdksLinksOutOfItsHomeFindTheirFilesInTheImage() throws Exception {
    Path home = Path.of(System.getProperty("java.home")).toRealPath();
    List<Path> links;
    try (java.util.stream.Stream<Path> s = Files.walk(home.resolve("conf"))) {
      links = s.filter(Files::isSymbolicLink).filter(l -> {
        try {
          return Files.readSymbolicLink(l).isAbsolute() && Files.isRegularFile(l);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).toList();
    }
    org.junit.jupiter.api.Assumptions.assumeFalse(links.isEmpty(),
        "the test JDK's conf/ has no link out of its home (Debian's has: /etc/java-NN-openjdk)");
    JavaSamples s = JavaSamples.compile(tmp);
    try (JavaImage java = JavaImage.fromJar(s.helloJar("a", "app.Hello", null)).addDependency(s.greeterJar)) {
      ImagePlan plan = plan(java);
      for (Path link : links) {
        String target = Files.readSymbolicLink(link).toString();
        assertThat(plan.entries().get(RUNTIME + "/" + home.relativize(link)).linkTarget()).isEqualTo(target);
        assertThat(plan.entries().get(target).hostPath()).isEqualTo(link.toRealPath());
      }
    }
  }
}
