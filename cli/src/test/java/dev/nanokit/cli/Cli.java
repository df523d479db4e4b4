package dev.nanokit.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/** Runs a command in-process and captures what it prints. */
final class Cli {
  record Result(int exit, String out, String err, byte[] rawOut) {
    /** The error line without its trailing newline; fails the test unless stderr is exactly one line. */
    String errLine() {
      if (!err.endsWith("\n") || err.indexOf('\n') != err.length() - 1) {
        throw new AssertionError("stderr is not exactly one line: " + err);
      }
      return err.substring(0, err.length() - 1);
    }
  }

  private Cli() {}

  static Result tfs(String... args) {
    return run("tfs", new TfsCommand(), args);
  }

  static Result mkimage(String... args) {
    return run("mkimage", new MkimageCommand(), args);
  }

  /** mkimage with its own environment and home directory instead of the process's. */
  static Result mkimage(java.util.Map<String, String> env, java.nio.file.Path home, String... args) {
    MkimageCommand c = new MkimageCommand();
    c.processEnvironment = env;
    c.userHome = home;
    return run("mkimage", c, args);
  }

  /** nanokit with its own environment (PATH for QEMU) and KVM device instead of the process's. */
  static Result nanokit(java.util.Map<String, String> env, java.nio.file.Path kvmDevice, String... args) {
    NanokitCommand c = new NanokitCommand();
    c.processEnvironment = env;
    c.kvmDevice = kvmDevice;
    return run("nanokit", c, args);
  }

  private static synchronized Result run(String name, Object command, String[] args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    PrintStream saved = System.out;
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    System.setOut(new PrintStream(raw, true, StandardCharsets.UTF_8));
    int exit;
    try {
      exit = CommandRunner.run(name, command, args, new PrintWriter(out, true), new PrintWriter(err, true));
    } finally {
      System.setOut(saved);
    }
    return new Result(exit, out.toString(), err.toString(), raw.toByteArray());
  }
}
