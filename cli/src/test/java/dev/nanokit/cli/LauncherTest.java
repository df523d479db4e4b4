package dev.nanokit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;

/** What bin/nanokit-java (the launcher of bin/tfs, bin/mkimage, bin/nanokit) assumes about the commands. */
class LauncherTest {
  private static final Path LAUNCHER = Path.of("..", "bin", "nanokit-java").toAbsolutePath().normalize();

  /**
   * The launcher switches off picocli's converters of some types (picocli.converters.excludes) to start
   * faster: no option or parameter of any command may take one of them, or it would work in-process
   * (tests) and fail from bin/.
   */
  @Test
  void noOptionTakesATypeWhoseConverterTheLauncherExcludes() throws IOException {
    Matcher m = Pattern.compile("-Dpicocli\\.converters\\.excludes=([^' ]+)")
        .matcher(Files.readString(LAUNCHER, StandardCharsets.UTF_8));
    assertThat(m.find()).as("picocli.converters.excludes in " + LAUNCHER).isTrue();
    List<Pattern> excluded = new ArrayList<>();
    for (String regex : m.group(1).split(",")) {
      excluded.add(Pattern.compile(regex));
    }
    assertThat(excluded).as("what the launcher excludes").anyMatch(p -> p.matcher("java.time.Duration").matches())
        .anyMatch(p -> p.matcher("java.sql.Timestamp").matches());

    List<String> types = new ArrayList<>();
    for (Object main : new Object[] {new TfsCommand(), new MkimageCommand(), new NanokitCommand()}) {
      collect(CommandRunner.commandLine(main, new String[0]), types);
    }
    assertThat(types).hasSizeGreaterThan(100).contains("java.nio.file.Path", "java.lang.String");
    for (String type : types) {
      assertThat(excluded).as(type).noneMatch(p -> p.matcher(type).matches());
    }
  }

  private static void collect(CommandLine cl, List<String> types) {
    for (ArgSpec a : cl.getCommandSpec().args()) {
      types.add(a.type().getName());
      for (Class<?> aux : a.auxiliaryTypes()) {
        types.add(aux.getName());
      }
    }
    for (CommandLine sub : cl.getSubcommands().values()) {
      collect(sub, types);
    }
  }
}
