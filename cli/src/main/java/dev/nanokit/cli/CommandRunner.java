package dev.nanokit.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The rules docs/cli sets for both commands: exit 0 on success, 1 when the operation failed, 2 on a
 * usage error; a failure is exactly one line on stderr, {@code NAME: message}; a stack trace only
 * with {@code --stacktrace}.
 */
final class CommandRunner {
  private CommandRunner() {}

  /**
   * The process's standard output as a channel, set by the process entry point {@link #run(String,
   * Object, String[])}; null when commands run inside another program (tests), which capture
   * {@code System.out} instead. Written only before a command runs.
   */
  private static volatile WritableByteChannel processStdout;

  /**
   * Where a command writes raw bytes ({@code tfs cat}): file descriptor 1 itself when this is the
   * {@code tfs} process, so large copies go from a direct buffer to the kernel without passing through
   * a PrintStream; else {@code System.out}.
   */
  static WritableByteChannel rawStdout() {
    WritableByteChannel ch = processStdout;
    return ch != null ? ch : Channels.newChannel(System.out);
  }

  static int run(String name, Object command, String[] args) {
    processStdout = new FileOutputStream(FileDescriptor.out).getChannel();
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
    boolean stacktrace = Arrays.asList(args).contains("--stacktrace");
    CommandLine cl = commandLine(command, args);
    // Whether help and errors are coloured, decided once: picocli's AUTO decides it again for every
    // piece of text it styles (reading the environment each time), a tenth of rendering mkimage --help.
    cl.setColorScheme(CommandLine.Help.defaultColorScheme(
        CommandLine.Help.Ansi.AUTO.enabled() ? CommandLine.Help.Ansi.ON : CommandLine.Help.Ansi.OFF));
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    // An option's value is the next word whatever it looks like (getopt's rule): --arg -c, --env -x.
    cl.setAllowOptionsAsOptionParameters(true);
    FailureReport report = new FailureReport(name, err, stacktrace);
    cl.setParameterExceptionHandler(report);
    cl.setExecutionExceptionHandler(report);
    try {
      return cl.execute(args);
    } catch (OutOfMemoryError | StackOverflowError e) {
      err.println(name + ": " + e);
      return CommandLine.ExitCode.SOFTWARE;
    }
  }

  /**
   * The picocli model of {@code command}; for a {@link CommandGroup}, with only the subcommand that
   * {@code args} names, or every subcommand when they name none.
   */
  static CommandLine commandLine(Object command, String[] args) {
    if (command instanceof MkimageCommand mkimage) {
      return HandBuiltModel.mkimage(mkimage);
    }
    if (command instanceof TfsCommand tfs) {
      CommandLine handBuilt = HandBuiltModel.tfs(tfs, commandWord(args));
      if (handBuilt != null) {
        return handBuilt;
      }
    }
    CommandLine cl = new CommandLine(command);
    if (command instanceof CommandGroup group) {
      Class<?> named = named(group, args);
      for (Class<?> sub : named != null ? List.<Class<?>>of(named) : group.subcommands()) {
        cl.addSubcommand(sub);
      }
    }
    return cl;
  }

  private static Class<?> named(CommandGroup group, String[] args) {
    String a = commandWord(args);
    if (a == null) {
      return null;
    }
    for (Class<?> sub : group.subcommands()) {
      Command c = sub.getAnnotation(Command.class);
      if (c.name().equals(a) || Arrays.asList(c.aliases()).contains(a)) {
        return sub;
      }
    }
    return null;
  }

  /** The first word of {@code args} not starting with {@code -} and before {@code --}: a group's subcommand. */
  private static String commandWord(String[] args) {
    for (String a : args) {
      if (a.equals("--")) {
        return null;
      }
      if (!a.startsWith("-")) {
        return a;
      }
    }
    return null;
  }

  /**
   * Prints a failure as one line, {@code NAME: message}, and gives its exit code. A named class, not two
   * lambdas: picocli's interfaces are compiled for Java 5, and the JDK 17 class-data sharing archive
   * cannot keep a lambda implementing such an interface, nor then the interface itself (see the
   * class-data-sharing-archive execution in cli/pom.xml); generating them costs every start.
   */
  private static final class FailureReport
      implements CommandLine.IParameterExceptionHandler, CommandLine.IExecutionExceptionHandler {
    private final String name;
    private final PrintWriter err;
    private final boolean stacktrace;

    FailureReport(String name, PrintWriter err, boolean stacktrace) {
      this.name = name;
      this.err = err;
      this.stacktrace = stacktrace;
    }

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
      err.println(name + ": " + usageMessage(ex) + " (see '" + commandName(ex.getCommandLine()) + " --help')");
      if (stacktrace) {
        ex.printStackTrace(err);
      }
      return CommandLine.ExitCode.USAGE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine commandLine, CommandLine.ParseResult parseResult) {
      err.println(name + ": " + describe(ex));
      if (stacktrace) {
        ex.printStackTrace(err);
      }
      return CommandLine.ExitCode.SOFTWARE;
    }
  }

  /**
   * picocli's message, except for a word where a command was expected: picocli calls that "Unmatched
   * arguments from index 0", we name the unknown command and the ones there are.
   */
  private static String usageMessage(CommandLine.ParameterException ex) {
    CommandLine at = ex.getCommandLine();
    if (ex instanceof CommandLine.UnmatchedArgumentException u && !at.getSubcommands().isEmpty()
        && at.getParseResult() != null && at.getParseResult().subcommand() == null
        && !u.getUnmatched().isEmpty() && !u.getUnmatched().get(0).startsWith("-")) {
      return "unknown command '" + u.getUnmatched().get(0) + "' (commands: "
          + String.join(", ", at.getSubcommands().keySet()) + ")";
    }
    return oneLine(ex.getMessage());
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
