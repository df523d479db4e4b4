package dev.nanokit.cli;

import java.util.List;

/**
 * A command whose subcommands {@link CommandRunner#commandLine} adds itself instead of listing them in
 * {@code @Command(subcommands)}, so that a command line that names one subcommand builds only that
 * one's picocli model (building every model is most of the start-up time of {@code tfs ls}). A command
 * line that names none ({@code --help}, a typo, nothing) gets all of them, so help, suggestions and
 * errors read as if they were all declared. The group's own options must take no value: the first
 * word not starting with {@code -} is taken as the subcommand's name.
 */
interface CommandGroup {
  /** The subcommand classes, each with a {@code @Command(name)}, in the order help lists them. */
  List<Class<?>> subcommands();
}
