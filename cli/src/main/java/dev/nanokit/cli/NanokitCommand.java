package dev.nanokit.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code nanokit}: run Nanos images (docs/cli). */
@Command(
    name = "nanokit",
    mixinStandardHelpOptions = true,
    versionProvider = CommandRunner.Version.class,
    description = {"Run Nanos disk images."},
    subcommands = {RunCommand.class})
final class NanokitCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(names = "--stacktrace", scope = ScopeType.INHERIT, description = "Print the stack trace of a failure.")
  boolean stacktrace;

  /** The process environment (PATH to find QEMU); tests give their own. */
  java.util.Map<String, String> processEnvironment = System.getenv();

  /** Test hook: the KVM device {@code --accel auto} looks at; null for {@code /dev/kvm}. */
  java.nio.file.Path kvmDevice;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing command");
  }
}
