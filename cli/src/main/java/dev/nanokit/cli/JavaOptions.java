package dev.nanokit.cli;

import dev.nanokit.core.JavaImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code mkimage}'s options for a Java application ({@code --java JAR}): what {@link JavaImage} takes,
 * as flags. {@code --arg} are then the application's arguments. Not thread-safe (picocli fills it).
 */
final class JavaOptions {
  @Option(names = "--java", paramLabel = "JAR", description = "A Java application jar to run (main class from its "
      + "manifest, its Class-Path followed), on a jlinked runtime at " + "/usr/lib/jvm/app-runtime; --arg are its arguments.")
  Path jar;

  @Option(names = "--java-home", paramLabel = "DIR", description = "With --java: the JDK to take the runtime, jlink "
      + "and jdeps from (default: the one running mkimage).")
  Path javaHome;

  @Option(names = "--java-runtime", paramLabel = "KIND", description = "With --java: jlink (a runtime of the modules "
      + "jdeps finds; default) or jdk (the JDK's lib, conf and release, copied).")
  String runtime;

  @Option(names = "--main-class", paramLabel = "CLASS", description = "With --java: the class to start instead of "
      + "the manifest's Main-Class.")
  String mainClass;

  @Option(names = "--jvm-flag", paramLabel = "F", description = "With --java: a JVM option, before -cp (repeatable).")
  List<String> jvmFlags = new ArrayList<>();

  @Option(names = "--class-path", paramLabel = "DIR|JAR", description = "With --java: a dependency, at "
      + "/app/libs/NAME, on the class path after the application (repeatable).")
  List<Path> classPath = new ArrayList<>();

  @Option(names = "--add-modules", paramLabel = "M,M", split = ",", description = "With --java: modules added to "
      + "what jdeps finds (services, reflection).")
  List<String> addModules = new ArrayList<>();

  /** A flag given without {@code --java}, or null. */
  String withoutJar() {
    if (jar != null) {
      return null;
    }
    return javaHome != null ? "--java-home" : runtime != null ? "--java-runtime" : mainClass != null ? "--main-class"
        : !jvmFlags.isEmpty() ? "--jvm-flag" : !classPath.isEmpty() ? "--class-path" : !addModules.isEmpty()
        ? "--add-modules" : null;
  }

  /** The image of {@link #jar} as these flags describe it. */
  JavaImage image() {
    JavaImage.Runtime kind = switch (runtime == null ? "jlink" : runtime) {
      case "jlink" -> JavaImage.Runtime.JLINK;
      case "jdk" -> JavaImage.Runtime.JDK;
      default -> throw new IllegalArgumentException("--java-runtime is jlink or jdk, not '" + runtime + "'");
    };
    JavaImage j = JavaImage.fromJar(jar).setJavaHome(javaHome).setRuntime(kind).setMainClass(mainClass)
        .addJvmFlags(jvmFlags.toArray(String[]::new)).addModules(addModules.toArray(String[]::new));
    classPath.forEach(j::addDependency);
    return j;
  }
}
