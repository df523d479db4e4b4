package dev.nanokit.cli;

/** Entry point of {@code bin/mkimage}. */
public final class MkimageMain {
  private MkimageMain() {}

  public static void main(String[] args) {
    HelpWarmUp.startIfHelp(args);
    System.exit(CommandRunner.run("mkimage", new MkimageCommand(), args));
  }
}
