package dev.nanokit.cli;

import dev.nanokit.core.OpsConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Stack;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code mkimage ... --run [RUN OPTION...]}: the image just built, run as {@code nanokit run} would. */
final class RunAfterBuild {
  private RunAfterBuild() {}

  /** Takes every word after {@code --run} as a run option (they are nanokit run's, not mkimage's). */
  static final class Rest implements CommandLine.IParameterConsumer {
    @Override
    public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
      List<String> rest = new ArrayList<>();
      while (!args.isEmpty()) {
        rest.add(args.pop());
      }
      argSpec.setValue(rest);
    }
  }

  /** Runs {@code image} with {@code options}; the configuration mkimage read applies under them. */
  static int run(CommandLine mkimage, Path image, OpsConfig config, List<String> options, Map<String, String> env) {
    RunCommand run = new RunCommand();
    run.name = "mkimage";
    run.givenConfig = config;
    run.processEnvironment = env;
    List<String> args = new ArrayList<>(options);
    args.add("--");
    args.add(image.toString());
    PrintWriter out = mkimage.getOut();
    PrintWriter err = mkimage.getErr();
    return CommandRunner.run("mkimage", run, args.toArray(new String[0]), out, err);
  }
}
