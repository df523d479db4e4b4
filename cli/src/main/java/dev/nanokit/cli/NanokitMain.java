package dev.nanokit.cli;

/** Entry point of {@code bin/nanokit}. */
public final class NanokitMain {
  private NanokitMain() {}

  public static void main(String[] args) {
    System.exit(CommandRunner.run("nanokit", new NanokitCommand(), args));
  }
}
