package dev.nanokit.cli;

/** Entry point of {@code bin/tfs}. */
public final class TfsMain {
  private TfsMain() {}

  public static void main(String[] args) {
    System.exit(CommandRunner.run("tfs", new TfsCommand(), args));
  }
}
