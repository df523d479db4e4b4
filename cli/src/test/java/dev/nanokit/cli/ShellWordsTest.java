package dev.nanokit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ShellWordsTest {
  private static final List<String> WORDS = List.of("qemu-system-x86_64", "-drive",
      "file=/my dir/a,,b.img,format=raw", "it's", "$HOME", "a\"b", "", "tab\there", "*", "~user", "back\\slash",
      "line\nbreak", "ünïcode", "-netdev", "user,id=n0,hostfwd=tcp::8080-:80");

  @Test
  void plainWordsStayPlainOthersAreSingleQuoted() {
    assertThat(ShellWords.join(List.of("-m", "2G", "file=/a/b.img,format=raw", "tcp::8080-:80")))
        .isEqualTo("-m 2G file=/a/b.img,format=raw tcp::8080-:80");
    assertThat(ShellWords.quote("it's")).isEqualTo("'it'\\''s'");
    assertThat(ShellWords.quote("")).isEqualTo("''");
    assertThat(ShellWords.quote("$HOME")).isEqualTo("'$HOME'");
  }

  @Test
  void aPosixShellReadsTheWordsBack() throws Exception {
    String script = "for w in " + ShellWords.join(WORDS) + "; do printf '%s\\0' \"$w\"; done";
    Process sh = new ProcessBuilder("/bin/sh", "-c", script).redirectErrorStream(true).start();
    byte[] out = sh.getInputStream().readAllBytes();
    assertThat(sh.waitFor(30, TimeUnit.SECONDS)).isTrue();
    List<String> back = new ArrayList<>(List.of(new String(out, StandardCharsets.UTF_8).split("\0", -1)));
    back.remove(back.size() - 1);
    assertThat(back).isEqualTo(WORDS);
  }
}
