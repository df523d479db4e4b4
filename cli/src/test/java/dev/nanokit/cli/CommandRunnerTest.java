package dev.nanokit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;

class CommandRunnerTest {
  /**
   * CommandRunner decides colour once, as picocli's AUTO mode would (here through the picocli.ansi
   * property, since tests have no terminal): help is the annotated model's, coloured or plain.
   */
  @Test
  void helpIsColouredExactlyWhenPicocliWouldColourIt() {
    String plain = new CommandLine(new MkimageCommand()).getUsageMessage(Ansi.OFF);
    String coloured = new CommandLine(new MkimageCommand()).getUsageMessage(Ansi.ON);
    assertThat(coloured).isNotEqualTo(plain).contains("\u001B[");
    assertThat(Cli.mkimage("--help").out()).isEqualTo(plain);
    String saved = System.getProperty("picocli.ansi");
    System.setProperty("picocli.ansi", "true");
    try {
      assertThat(Cli.mkimage("--help").out()).isEqualTo(coloured);
      assertThat(Cli.tfs("ls", "--help").out())
          .isEqualTo(new CommandLine(new TfsCommand()).addSubcommand(LsCommand.class).getSubcommands().get("ls")
              .getUsageMessage(Ansi.ON));
    } finally {
      if (saved == null) {
        System.clearProperty("picocli.ansi");
      } else {
        System.setProperty("picocli.ansi", saved);
      }
    }
    assertThat(Cli.tfs("ls", "--help").out()).doesNotContain("\u001B[");
  }
}
