package dev.nanokit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The help warm-up runs only for a help request, never keeps the JVM alive, and finishes. */
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
}
