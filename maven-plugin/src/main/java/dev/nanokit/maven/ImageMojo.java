package dev.nanokit.maven;

import dev.nanokit.NanokitException;
import dev.nanokit.core.JavaImage;
import dev.nanokit.core.NanosImage;
import dev.nanokit.core.NanosRelease;
import dev.nanokit.core.NoteEvent;
import dev.nanokit.core.OpsConfig;
import dev.nanokit.core.ProgressEvent;
import dev.nanokit.core.WarningEvent;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Goal {@code image}: the project's Java application as a bootable Nanos disk image
 * ({@code target/<artifactId>.img}), laid out as Jib lays out a container, on a jlinked runtime (see
 * {@link JavaImage}). The application is the project's jar when packaging made one, else its classes
 * directory; its dependencies are the runtime class path as Maven resolved it. Same inputs, same bytes.
 *
 * <p>Maven makes one instance per execution; not for use by several threads.
 */
@Mojo(name = "image", defaultPhase = LifecyclePhase.PACKAGE, requiresDependencyResolution = ResolutionScope.RUNTIME,
    threadSafe = true)
public class ImageMojo extends AbstractMojo {
  /** The project's main artifact (its jar after {@code package}), if any. */
  @Parameter(defaultValue = "${project.artifact.file}", readonly = true)
  File artifactFile;

  @Parameter(defaultValue = "${project.build.outputDirectory}", readonly = true, required = true)
  File classesDirectory;

  /** The runtime class path: the classes directory, then the dependencies in Maven's order. */
  @Parameter(defaultValue = "${project.runtimeClasspathElements}", readonly = true, required = true)
  List<String> runtimeClasspathElements;

  /** The class to start; default: the jar manifest's {@code Main-Class}. */
  @Parameter(property = "nanokit.mainClass")
  String mainClass;

  /** JVM options, before {@code -cp}. */
  @Parameter(property = "nanokit.jvmFlags")
  List<String> jvmFlags = new ArrayList<>();

  /** The application's arguments. */
  @Parameter(property = "nanokit.args")
  List<String> args = new ArrayList<>();

  /** Environment variables of the image. */
  @Parameter
  Map<String, String> environment = new HashMap<>();

  /** Directories whose contents are copied into the image's root. */
  @Parameter(property = "nanokit.extraDirectories")
  List<File> extraDirectories = new ArrayList<>();

  /** Ports the application listens on: the image's {@code OPS_PORT}, as ops's {@code RunConfig.Ports}. */
  @Parameter(property = "nanokit.ports")
  List<String> ports = new ArrayList<>();

  /** The JDK the runtime (and jlink, jdeps) come from; default: the one running Maven. */
  @Parameter(property = "nanokit.javaHome")
  File javaHome;

  /** {@code jlink} (a runtime of the modules jdeps finds) or {@code none} (the JDK's runtime, copied). */
  @Parameter(property = "nanokit.runtime", defaultValue = "jlink")
  String runtime = "jlink";

  /** Exactly these modules instead of what jdeps finds. */
  @Parameter(property = "nanokit.modules")
  List<String> modules = new ArrayList<>();

  /** Modules added to what jdeps finds (services, reflection). */
  @Parameter(property = "nanokit.addModules")
  List<String> addModules = new ArrayList<>();

  /** A Nanos release in the ops cache ({@code ~/.ops/<version>/}). */
  @Parameter(property = "nanokit.nanosVersion")
  String nanosVersion;

  /** A Nanos release directory (kernel.img, boot.img), as {@code $NANOS_HOME}. */
  @Parameter(property = "nanokit.nanosHome")
  File nanosHome;

  /** The Nanos kernel; wins over the release directory. */
  @Parameter(property = "nanokit.kernel")
  File kernel;

  /** The BIOS boot image ({@code boot.img}); wins over the release directory. */
  @Parameter(property = "nanokit.bootLoader")
  File bootLoader;

  /** Write only the root filesystem (a bare TFS volume), which needs no kernel. */
  @Parameter(property = "nanokit.volumeOnly", defaultValue = "false")
  boolean volumeOnly;

  @Parameter(property = "nanokit.skip", defaultValue = "false")
  boolean skip;

  @Parameter(property = "nanokit.outputFile", defaultValue = "${project.build.directory}/${project.artifactId}.img",
      required = true)
  File outputFile;

  /** Where the jlinked runtime is made. */
  @Parameter(defaultValue = "${project.build.directory}/nanokit", readonly = true, required = true)
  File workDirectory;

  /** The process environment ({@code NANOS_HOME}, {@code SOURCE_DATE_EPOCH}, {@code HOME}); tests give their own. */
  Map<String, String> processEnvironment = System.getenv();

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("nanokit: skipped");
      return;
    }
    long start = System.nanoTime();
    Path out = outputFile.toPath();
    try (JavaImage java = javaImage()) {
      java.addEventHandler(NoteEvent.class, n -> getLog().debug("nanokit: " + n.message()));
      java.addEventHandler(WarningEvent.class, w -> getLog().warn("nanokit: " + w.message()));
      java.addEventHandler(ProgressEvent.class, p -> {
        if (p.isStart()) {
          getLog().info("nanokit: " + (p.phase().equals("jlink") ? "linking a Java runtime" : "writing " + p.phase()));
        }
      });
      getLog().info("nanokit: main class " + java.mainClass() + ", class path " + String.join(":", java.classPath()));
      try (NanosImage image = java.nanosImage()) {
        configure(image);
        Files.createDirectories(out.toAbsolutePath().getParent());
        if (volumeOnly) {
          image.writeVolumeTo(out);
        } else {
          image.writeTo(out);
        }
      }
    } catch (NanokitException | java.nio.file.NoSuchFileException e) {
      throw new MojoFailureException("nanokit: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new MojoExecutionException("nanokit: " + out + ": " + e.getMessage(), e);
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    getLog().info(String.format(Locale.ROOT, "nanokit: built %s (%.1f MiB%s) in %.1f s", out, out.toFile().length()
        / 1048576.0, volumeOnly ? ", root filesystem only" : "", millis / 1000.0));
  }

  /** The application as configured: the jar (or classes), dependencies, main class, flags, runtime. */
  JavaImage javaImage() throws MojoFailureException {
    Path classes = classesDirectory.toPath().toAbsolutePath().normalize();
    boolean jar = artifactFile != null && artifactFile.isFile() && artifactFile.getName().endsWith(".jar");
    JavaImage java = jar ? JavaImage.fromJar(artifactFile.toPath()) : JavaImage.fromClasses(classes);
    for (String element : runtimeClasspathElements) {
      Path p = Path.of(element).toAbsolutePath().normalize();
      if (!p.equals(classes)) {
        java.addDependency(p);
      }
    }
    java.setMainClass(mainClass).addJvmFlags(jvmFlags.toArray(String[]::new)).addArguments(args.toArray(String[]::new));
    new TreeMap<>(environment).forEach(java::putEnvironment);
    extraDirectories.forEach(d -> java.addExtraDirectory(d.toPath()));
    if (javaHome != null) {
      java.setJavaHome(javaHome.toPath());
    }
    switch (runtime) {
      case "jlink" -> java.setRuntime(JavaImage.Runtime.JLINK);
      case "none" -> java.setRuntime(JavaImage.Runtime.JDK);
      default -> throw new MojoFailureException("nanokit: runtime is jlink or none, not '" + runtime + "'");
    }
    if (!modules.isEmpty()) {
      java.setModules(modules);
    }
    java.addModules(addModules.toArray(String[]::new));
    java.setScratchDirectory(workDirectory.toPath());
    return java;
  }

  /** The release (the same lookup as mkimage's: kernel and boot loader given, nanosHome, the ops cache) and ports. */
  void configure(NanosImage image) {
    Map<String, String> env = new HashMap<>(processEnvironment);
    if (nanosHome != null) {
      env.put("NANOS_HOME", nanosHome.getAbsolutePath());
    }
    image.setEnvironment(env).setNanosVersion(nanosVersion);
    if (kernel != null || bootLoader != null) {
      image.setRelease(NanosRelease.of(kernel == null ? null : kernel.toPath(), bootLoader == null ? null
          : bootLoader.toPath(), null, null));
    }
    if (!ports.isEmpty()) {
      OpsConfig.Builder config = OpsConfig.builder();
      config.runConfig().ports(ports);
      image.setConfig(config.build());
    }
    image.setImageName(outputFile.getName().replaceFirst("\\.img$", ""));
  }
}
