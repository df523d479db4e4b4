package dev.nanokit.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.Properties;
import picocli.CommandLine;

/**
 * The rules docs/cli sets for both commands: exit 0 on success, 1 when the operation failed, 2 on a
 * usage error; a failure is exactly one line on stderr, {@code NAME: message}; a stack trace only
 * with {@code --stacktrace}.
 */
final class CommandRunner {
  private CommandRunner() {}

  static int run(String name, Object command, String[] args) {
    PrintWriter out = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), false);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true);
    try {
      return run(name, command, args, out, err);
    } finally {
      out.flush();
      err.flush();
    }
  }

  static int run(String name, Object command, String[] args, PrintWriter out, PrintWriter err) {
    boolean stacktrace = java.util.Arrays.asList(args).contains("--stacktrace");
    CommandLine cl = new CommandLine(command);
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    // An option's value is the next word whatever it looks like (getopt's rule): --arg -c, --env -x.
    cl.setAllowOptionsAsOptionParameters(true);
    cl.setParameterExceptionHandler((ex, a) -> {
      err.println(name + ": " + oneLine(ex.getMessage()) + " (see '" + commandName(ex.getCommandLine()) + " --help')");
      if (stacktrace) {
        ex.printStackTrace(err);
      }
      return CommandLine.ExitCode.USAGE;
    });
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      err.println(name + ": " + describe(ex));
      if (stacktrace) {
        ex.printStackTrace(err);
      }
      return CommandLine.ExitCode.SOFTWARE;
    });
    try {
      return cl.execute(args);
    } catch (OutOfMemoryError | StackOverflowError e) {
      err.println(name + ": " + e);
      return CommandLine.ExitCode.SOFTWARE;
    }
  }

  private static String commandName(CommandLine cl) {
    return cl.getCommandSpec().qualifiedName(" ");
  }

  /** One line that says what failed, naming the file; never a class name unless nothing else is known. */
  static String describe(Throwable e) {
    if (e instanceof UncheckedIOException u) {
      e = u.getCause();
    }
    if (e instanceof NoSuchFileException n) {
      return n.getFile() + ": " + (n.getReason() != null ? n.getReason() : "no such file or directory");
    }
    if (e instanceof AccessDeniedException a) {
      return a.getFile() + ": permission denied";
    }
    if (e instanceof FileAlreadyExistsException f) {
      return f.getFile() + ": already exists";
    }
    if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null && f.getFile() != null) {
      // The OS's strerror text ("Is a directory") in the lower case of every other message.
      String reason = f.getReason();
      if (reason.length() > 1 && Character.isUpperCase(reason.charAt(0)) && Character.isLowerCase(reason.charAt(1))) {
        reason = Character.toLowerCase(reason.charAt(0)) + reason.substring(1);
      }
      return f.getFile() + (f.getOtherFile() != null ? " -> " + f.getOtherFile() : "") + ": " + oneLine(reason);
    }
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      message = e.getClass().getSimpleName();
    }
    return oneLine(message);
  }

  private static String oneLine(String s) {
    return s.replace('\n', ' ').replace('\r', ' ').strip();
  }

  /** Version provider reading the version Maven filtered into the jar. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties p = new Properties();
      try (InputStream in = CommandRunner.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          p.load(in);
        }
      }
      return new String[] {"nanokit " + p.getProperty("version", "unknown")};
    }
  }
}
