package dev.nanokit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mkimage --java}: a jar's image, its dependencies and main class, and the flags' errors. */
class JavaOptionsTest {
  private static final String JAVA = "/usr/lib/jvm/app-runtime/bin/java";
  @TempDir Path tmp;
  private Path greeter;

  private static ToolProvider tool(String name) {
    ToolProvider t = ToolProvider.findFirst(name).orElse(null);
    assumeTrue(t != null, "the test JVM is not a JDK (no " + name + ")");
    return t;
  }

  @BeforeEach
  void compile() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src/app"));
    Files.createDirectories(tmp.resolve("src/lib"));
    Files.writeString(tmp.resolve("src/lib/Greeter.java"), "package lib; public class Greeter {"
        + " public static String greet() { return \"hi\"; } }\n");
    Files.writeString(src.resolve("Hello.java"), "package app; public class Hello {"
        + " public static void main(String[] a) { System.out.println(lib.Greeter.greet()); } }\n");
    assertThat(tool("javac").run(System.out, System.err, "-d", tmp.resolve("classes").toString(),
        tmp.resolve("src/lib/Greeter.java").toString(), src.resolve("Hello.java").toString())).isZero();
    greeter = tmp.resolve("greeter.jar");
    assertThat(tool("jar").run(System.out, System.err, "--create", "--file", greeter.toString(), "-C",
        tmp.resolve("classes").toString(), "lib")).isZero();
  }

  private Path hello(String dir, String mainClass, String classPath) throws Exception {
    Path out = Files.createDirectories(tmp.resolve(dir)).resolve("hello.jar");
    List<String> args = new ArrayList<>(List.of("--create", "--file", out.toString()));
    if (mainClass != null) {
      args.addAll(List.of("--main-class", mainClass));
    }
    if (classPath != null) {
      Files.writeString(tmp.resolve(dir + ".mf"), "Class-Path: " + classPath + "\n");
      args.addAll(List.of("--manifest", tmp.resolve(dir + ".mf").toString()));
    }
    args.addAll(List.of("-C", tmp.resolve("classes").toString(), "app"));
    assertThat(tool("jar").run(System.out, System.err, args.toArray(String[]::new))).isZero();
    return out;
  }

  @Test
  void aJarAndItsDependencyArePlannedWithFlagsMainClassAndArguments() throws Exception {
    Path jar = hello("a", "app.Hello", null);
    Cli.Result r = Cli.mkimage("--dry-run", "--no-boot", "--java", jar.toString(), "--java-runtime", "jdk",
        "--jvm-flag", "-Xmx64m", "--class-path", greeter.toString(), "--arg", "x");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("/app/hello.jar\t" + jar + "\n", "/app/libs/greeter.jar\t" + greeter + "\n",
        JAVA + "\t", "program:\"" + JAVA + "\"",
        "arguments:[\"" + JAVA + "\" -Xmx64m -cp \"/app/hello.jar:/app/libs/greeter.jar\" app.Hello x]");
  }

  @Test
  void theManifestsClassPathIsFollowed() throws Exception {
    Path jar = hello("b", "app.Hello", "greeter.jar");
    Files.copy(greeter, tmp.resolve("b/greeter.jar"));
    Cli.Result r = Cli.mkimage("--dry-run", "--no-boot", "--java", jar.toString(), "--java-runtime", "jdk");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("/app/libs/greeter.jar\t" + tmp.resolve("b/greeter.jar") + "\n");
  }

  @Test
  void aJarWithoutMainClassFailsInOneLineNamingTheCandidates() throws Exception {
    Path jar = hello("c", null, null);
    Cli.Result r = Cli.mkimage("--no-boot", "--java", jar.toString(), "--java-runtime", "jdk", "-o",
        tmp.resolve("c.img").toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.errLine()).isEqualTo("mkimage: " + jar + " has no Main-Class in its manifest and no main class is set;"
        + " classes with public static void main(String[]): app.Hello");
    assertThat(tmp.resolve("c.img")).doesNotExist();
    Cli.Result named = Cli.mkimage("--dry-run", "--no-boot", "--java", jar.toString(), "--java-runtime", "jdk",
        "--main-class", "app.Hello");
    assertThat(named.exit()).as(named.err()).isZero();
  }

  @Test
  void javaFlagsWithoutAJarOrWithAnotherSourceAreUsageErrors() throws Exception {
    Path jar = hello("d", "app.Hello", null);
    Cli.Result flag = Cli.mkimage("--no-boot", "--jvm-flag", "-Xmx1g", "--program", "/bin/true");
    assertThat(flag.exit()).isEqualTo(2);
    assertThat(flag.err()).startsWith("mkimage: --jvm-flag needs --java JAR");
    Cli.Result both = Cli.mkimage("--no-boot", "--java", jar.toString(), "--program", "/bin/true");
    assertThat(both.exit()).isEqualTo(2);
    assertThat(both.err()).startsWith("mkimage: --java JAR runs the jar on its own Java runtime; drop --program");
    Cli.Result kind = Cli.mkimage("--no-boot", "--java", jar.toString(), "--java-runtime", "jre");
    assertThat(kind.exit()).isEqualTo(2);
    assertThat(kind.err()).startsWith("mkimage: --java-runtime is jlink or jdk, not 'jre'");
  }
}
