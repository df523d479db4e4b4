package dev.nanokit.core.plan;

import dev.nanokit.core.OpsConfig;
import java.io.IOException;
import java.nio.file.Path;

/**
 * What the builder hands a source-specific planner (an ops package, a container image): the
 * program the user named instead of the source's own, the user's configuration, and how to turn a
 * configuration and a root into planner inputs that carry every other input.
 *
 * @param program the program the user named, or null to take the source's
 * @param programAsGiven argv[0] as the user wrote it, or null
 * @param config the user's configuration (over the source's own)
 * @param architecture the NANOS_ARCH the user set, or null to read it from the program
 * @param dependencies how the program's libraries are found
 * @param inputs planner inputs for an effective configuration and a target root
 */
public record SourceContext(Path program, String programAsGiven, OpsConfig config, String architecture,
    DependencyFinder dependencies, InputsFactory inputs) {

  /** Planner inputs with the builder's flags, files and settings for {@code effective} and {@code root}. */
  @FunctionalInterface
  public interface InputsFactory {
    PlannerInputs create(OpsConfig effective, Path root) throws IOException;
  }

  /** {@code programAsGiven} when the user gave one, else {@code fallback}. */
  public String argv0(String fallback) {
    return programAsGiven != null && !programAsGiven.isEmpty() ? programAsGiven : fallback;
  }
}
