package dev.nanokit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** The hand-built models of {@code mkimage}, {@code tfs ls}, {@code tfs info} and {@code tfs mkfs} against the ones picocli reads from the annotations. */
class HandBuiltModelTest {
  private static CommandLine annotated(String name) {
    CommandLine cl = new CommandLine(new TfsCommand());
    cl.addSubcommand(name.equals("ls") ? LsCommand.class : name.equals("info") ? InfoCommand.class : MkfsCommand.class);
    return cl;
  }

  private static CommandLine handBuilt(String name) {
    CommandLine cl = HandBuiltModel.tfs(new TfsCommand(), name);
    assertThat(cl).as(name).isNotNull();
    return cl;
  }

  @ParameterizedTest
  @ValueSource(strings = {"ls", "info", "mkfs"})
  void helpAndVersionReadTheSame(String name) {
    CommandLine a = annotated(name);
    CommandLine h = handBuilt(name);
    for (Ansi ansi : new Ansi[] {Ansi.OFF, Ansi.ON}) {
      assertThat(h.getUsageMessage(ansi)).as("tfs, " + ansi).isEqualTo(a.getUsageMessage(ansi));
      assertThat(h.getSubcommands().get(name).getUsageMessage(ansi)).as(name + ", " + ansi)
          .isEqualTo(a.getSubcommands().get(name).getUsageMessage(ansi));
    }
    assertThat(version(h.getSubcommands().get(name))).isEqualTo(version(a.getSubcommands().get(name)))
        .startsWith("nanokit ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ls", "info", "mkfs"})
  void everyOptionAndParameterIsDeclaredAlike(String name) {
    CommandSpec a = annotated(name).getSubcommands().get(name).getCommandSpec();
    CommandSpec h = handBuilt(name).getSubcommands().get(name).getCommandSpec();
    assertThat(describe(h)).isEqualTo(describe(a)).isNotEmpty();
    assertThat(describe(handBuilt(name).getCommandSpec())).isEqualTo(describe(annotated(name).getCommandSpec()));
  }

  @org.junit.jupiter.api.Test
  void mkimageReadsTheSame() {
    CommandLine a = new CommandLine(new MkimageCommand());
    CommandLine h = HandBuiltModel.mkimage(new MkimageCommand());
    for (Ansi ansi : new Ansi[] {Ansi.OFF, Ansi.ON}) {
      assertThat(h.getUsageMessage(ansi)).as(ansi.toString()).isEqualTo(a.getUsageMessage(ansi));
    }
    assertThat(version(h)).isEqualTo(version(a));
    assertThat(describe(h.getCommandSpec())).isEqualTo(describe(a.getCommandSpec()));
  }

  @org.junit.jupiter.api.Test
  void mkimageFillsItsFieldsAndItsJavaOptions() {
    MkimageCommand m = new MkimageCommand();
    CommandLine cl = HandBuiltModel.mkimage(m);
    cl.setAllowOptionsAsOptionParameters(true); // as CommandRunner sets it
    cl.parseArgs("--program", "p", "--java", "app.jar", "--class-path", "a.jar",
        "--class-path", "b", "--add-modules", "x,y", "--arg", "-c", "--arg", "2", "-c", "cfg.json", "--no-boot",
        "-o", "out.img", "--run", "-p", "8080", "--snapshot");
    assertThat(m.program).isEqualTo(Path.of("p"));
    assertThat(m.java.jar).isEqualTo(Path.of("app.jar"));
    assertThat(m.java.classPath).containsExactly(Path.of("a.jar"), Path.of("b"));
    assertThat(m.java.addModules).containsExactly("x", "y");
    assertThat(m.arguments).containsExactly("-c", "2");
    assertThat(m.config).isEqualTo(Path.of("cfg.json"));
    assertThat(m.noBoot).isTrue();
    assertThat(m.dryRun).isFalse();
    assertThat(m.output).isEqualTo(Path.of("out.img"));
    assertThat(m.run).containsExactly("-p", "8080", "--snapshot");
    assertThat(m.environment).isEmpty();
    assertThat(m.spec.userObject()).isSameAs(m);
  }

  @org.junit.jupiter.api.Test
  void theParsedValuesReachTheCommandsFields() {
    CommandLine cl = handBuilt("ls");
    cl.parseArgs("ls", "-l", "-a", "--json", "--boot", "--max-file-size", "5m", "--stacktrace", "x.img", "/d");
    LsCommand ls = (LsCommand) cl.getSubcommands().get("ls").getCommandSpec().userObject();
    assertThat(List.of(ls.longForm, ls.all, ls.json, ls.boot)).containsOnly(true);
    assertThat(ls.maxFileSize).isEqualTo("5m");
    assertThat(ls.image).isEqualTo(Path.of("x.img"));
    assertThat(ls.path).isEqualTo("/d");
    assertThat(ls.spec).isSameAs(cl.getSubcommands().get("ls").getCommandSpec());

    CommandLine bare = handBuilt("ls");
    bare.parseArgs("ls", "x.img");
    LsCommand plain = (LsCommand) bare.getSubcommands().get("ls").getCommandSpec().userObject();
    assertThat(List.of(plain.longForm, plain.all, plain.json, plain.boot)).containsOnly(false);
    assertThat(plain.path).isEqualTo("/");
    assertThat(plain.maxFileSize).isNull();

    CommandLine info = handBuilt("info");
    info.parseArgs("info", "--json", "y.img");
    InfoCommand i = (InfoCommand) info.getSubcommands().get("info").getCommandSpec().userObject();
    assertThat(i.json).isTrue();
    assertThat(i.image).isEqualTo(Path.of("y.img"));
  }

  @org.junit.jupiter.api.Test
  void otherCommandsAreReadFromTheirAnnotations() {
    assertThat(HandBuiltModel.tfs(new TfsCommand(), "cat")).isNull();
    assertThat(HandBuiltModel.tfs(new TfsCommand(), null)).isNull();
  }

  private static String version(CommandLine cl) {
    StringWriter w = new StringWriter();
    cl.printVersionHelp(new PrintWriter(w, true));
    return w.toString();
  }

  /** Every attribute of every option and positional parameter that parsing or help reads, in declaration order. */
  private static List<String> describe(CommandSpec spec) {
    List<String> out = new ArrayList<>();
    out.add("command " + spec.name() + " " + spec.qualifiedName() + " " + List.of(spec.aliases()) + " "
        + List.of(spec.usageMessage().description()) + " " + spec.usageMessage().sortOptions());
    for (OptionSpec o : spec.options()) {
      out.add("option " + List.of(o.names()) + " usageHelp=" + o.usageHelp() + " versionHelp=" + o.versionHelp()
          + " scope=" + o.scopeType() + " inherited=" + o.inherited() + " negatable=" + o.negatable()
          + " order=" + o.order() + common(o));
    }
    for (PositionalParamSpec p : spec.positionalParameters()) {
      out.add("parameter " + p.index() + common(p));
    }
    return out;
  }

  private static String common(ArgSpec a) {
    return " label=" + a.paramLabel() + " arity=" + a.arity() + " type=" + a.type().getName() + " aux="
        + List.of(a.auxiliaryTypes()) + " default=" + a.defaultValue() + " initial=" + a.initialValue()
        + " required=" + a.required() + " hidden=" + a.hidden() + " interactive=" + a.interactive()
        + " split=" + a.splitRegex() + " description=" + List.of(a.description());
  }
}
