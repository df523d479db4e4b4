package dev.nanokit.maven;

import dev.nanokit.NanokitException;
import dev.nanokit.core.NanosRun;
import dev.nanokit.core.NanosVm;
import dev.nanokit.core.PortForward;
import dev.nanokit.core.RunExit;
import dev.nanokit.core.RunPlan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Execute;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Goal {@code run} ({@code mvn nanokit:run}): packages the project, builds its image as {@code image}
 * does, then boots it under QEMU as {@code nanokit run} does, each of {@code ports} forwarded from the
 * same host port (or {@code HOST:GUEST}). The console is the VM's; the program's exit status other than
 * 0 fails the build. {@code -Dnanokit.dryRun} logs the QEMU command line instead of starting it.
 *
 * <p>Maven makes one instance per execution; not for use by several threads.
 */
@Mojo(name = "run", requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
@Execute(phase = LifecyclePhase.PACKAGE)
public class RunMojo extends ImageMojo {
  /** {@code auto} (KVM when usable, else TCG), {@code kvm} or {@code tcg}. */
  @Parameter(property = "nanokit.accel", defaultValue = "auto")
  String accel = "auto";

  /** The VM's memory ({@code 512M}, {@code 2G}); default 2G, as {@code nanokit run}. */
  @Parameter(property = "nanokit.memory")
  String memory;

  /** Log the QEMU command line and start nothing. */
  @Parameter(property = "nanokit.dryRun", defaultValue = "false")
  boolean dryRun;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("nanokit: skipped");
      return;
    }
    volumeOnly = false; // only a disk with a kernel boots
    super.execute();
    try {
      NanosRun run = nanosRun(outputFile.toPath());
      RunPlan plan = run.plan();
      if (!plan.reportsExitStatus()) {
        getLog().warn("nanokit: the image has no debug_exit: the program's exit status cannot be told");
      }
      getLog().info("nanokit: " + String.join(" ", plan.command()));
      if (dryRun) {
        return;
      }
      RunExit exit;
      try (NanosVm vm = run.start()) {
        exit = vm.waitFor();
      }
      if (exit.status() != 0) {
        throw new MojoFailureException("nanokit: the program exited with status " + exit.status() + " (" + exit + ")");
      }
    } catch (NanokitException e) {
      throw new MojoFailureException("nanokit: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new MojoExecutionException("nanokit: " + outputFile + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MojoExecutionException("nanokit: interrupted", e);
    }
  }

  /** The run of {@code image} with this goal's ports, accelerator and memory. */
  NanosRun nanosRun(Path image) throws MojoFailureException {
    NanosRun run = NanosRun.of(image).setEnvironment(processEnvironment);
    try {
      run.setAccelerator(NanosRun.Accelerator.valueOf(accel.toUpperCase(Locale.ROOT)));
      for (String p : ports) {
        run.addPort(PortForward.parse(PortForward.Protocol.TCP, p));
      }
      if (memory != null) {
        run.setMemory(memory);
      }
    } catch (IllegalArgumentException e) {
      throw new MojoFailureException("nanokit: " + e.getMessage(), e);
    }
    return run;
  }
}
