package dev.nanokit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The help warm-up runs only for a help request, finishes, and leaves the help text as it was. */
class HelpWarmUpTest {
  @Test
  void startsOnlyWhenHelpIsAskedForAndFinishes() throws InterruptedException {
    assertThat(HelpWarmUp.startIfHelp(new String[] {"--program", "/bin/true", "-o", "x.img"})).isNull();
    assertThat(HelpWarmUp.startIfHelp(new String[0])).isNull();
    for (String[] args : new String[][] {{"--help"}, {"-h"}, {"--program", "/bin/true", "--help"}}) {
      Thread t = HelpWarmUp.startIfHelp(args);
      assertThat(t).isNotNull();
      assertThat(t.isDaemon()).as("never keeps the JVM alive").isTrue();
      t.join(30_000);
      assertThat(t.isAlive()).isFalse();
    }
  }

  @Test
  void theHelpTextIsTheSameWithTheWarmUpRunningAlongside() throws InterruptedException {
    String before = help();
    Thread t = HelpWarmUp.startIfHelp(new String[] {"--help"});
    String during = help();
    t.join(30_000);
    assertThat(during).isEqualTo(before).startsWith("Usage: mkimage");
  }

  private static String help() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = CommandRunner.run("mkimage", new MkimageCommand(), new String[] {"--help"}, new PrintWriter(out),
        new PrintWriter(err));
    assertThat(status).isZero();
    assertThat(err.toString()).isEmpty();
    return out.toString();
  }
}
