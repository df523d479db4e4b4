package dev.nanokit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.spi.ToolProvider;

/**
 * A sample application compiled by the test JDK: {@code greeter.jar} (class {@code lib.Greeter}, no main)
 * and {@code hello.jar} ({@code app.Hello}, whose main prints {@code Greeter.greet(args)} and uses
 * {@code java.util.logging} when asked), with or without a {@code Main-Class} and a {@code Class-Path}.
 */
final class JavaSamples {
  final Path greeterJar;
  final Path helloClasses;
  private final Path dir;

  private JavaSamples(Path dir, Path greeterJar, Path helloClasses) {
    this.dir = dir;
    this.greeterJar = greeterJar;
    this.helloClasses = helloClasses;
  }

  static ToolProvider tool(String name) {
    ToolProvider t = ToolProvider.findFirst(name).orElse(null);
    assumeTrue(t != null, "the test JVM is not a JDK (no " + name + ")");
    return t;
  }

  static JavaSamples compile(Path dir) throws Exception {
    Path src = Files.createDirectories(dir.resolve("src"));
    Files.createDirectories(src.resolve("lib"));
    Files.createDirectories(src.resolve("app"));
    Files.writeString(src.resolve("lib/Greeter.java"), "package lib; public class Greeter {"
        + " public static String greet(String[] a) { return \"greeter says \" + String.join(\" \", a); }"
        + " static void main(String[] a) {} }\n");
    Files.writeString(src.resolve("app/Hello.java"), "package app; public class Hello {"
        + " public static void main(String[] a) {"
        + "  if (a.length > 0 && a[0].equals(\"log\")) java.util.logging.Logger.getLogger(\"x\").info(\"logged\");"
        + "  System.out.println(lib.Greeter.greet(a)); } }\n");
    Path greeterClasses = dir.resolve("greeter-classes");
    assertThat(tool("javac").run(System.out, System.err, "--release", "17", "-d", greeterClasses.toString(),
        src.resolve("lib/Greeter.java").toString())).isZero();
    Path greeterJar = dir.resolve("greeter.jar");
    jar(greeterJar, greeterClasses, null, null);
    Path helloClasses = dir.resolve("hello-classes");
    assertThat(tool("javac").run(System.out, System.err, "--release", "17", "-cp", greeterJar.toString(), "-d",
        helloClasses.toString(), src.resolve("app/Hello.java").toString())).isZero();
    return new JavaSamples(dir, greeterJar, helloClasses);
  }

  /** {@code hello.jar} in {@code sub} (made), with the given manifest attributes (null: none). */
  Path helloJar(String sub, String mainClass, String classPath) throws Exception {
    Path out = Files.createDirectories(dir.resolve(sub)).resolve("hello.jar");
    jar(out, helloClasses, mainClass, classPath);
    return out;
  }

  private static void jar(Path out, Path classes, String mainClass, String classPath) throws Exception {
    List<String> args = new ArrayList<>(List.of("--create", "--file", out.toString(), "--date", "2026-01-01T00:00:00Z"));
    if (mainClass != null) {
      args.addAll(List.of("--main-class", mainClass));
    }
    if (classPath != null) {
      Path manifest = out.resolveSibling(out.getFileName() + ".mf");
      Files.writeString(manifest, "Class-Path: " + classPath + "\n");
      args.addAll(List.of("--manifest", manifest.toString()));
    }
    args.addAll(List.of("-C", classes.toString(), "."));
    assertThat(tool("jar").run(System.out, System.err, args.toArray(String[]::new))).isZero();
  }
}
