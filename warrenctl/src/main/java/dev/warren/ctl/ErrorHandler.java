package dev.warren.ctl;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns what goes wrong into rabbitmqctl's messages and exit statuses: an unknown command ("Command
 * 'x' not found.", 64), a command line that does not fit its command ("Error (argument validation):
 * not enough arguments." and the command's usage, 64), and the failures commands throw ({@link
 * CtlException}: its own text and status).
 */
final class ErrorHandler implements IParameterExceptionHandler, IExecutionExceptionHandler {
  private final String[] args;
  private final PrintWriter err;

  ErrorHandler(String[] args, PrintWriter err) {
    this.args = args;
    this.err = err;
  }

  @Override
  public int handleParseException(ParameterException ex, String[] ignored) {
    CommandLine command = ex.getCommandLine();
    if (command.getParent() == null && ex instanceof UnmatchedArgumentException unmatched) {
      List<String> words = unmatched.getUnmatched();
      if (!words.isEmpty() && !words.get(0).startsWith("-")) {
        err.println();
        err.println("Command '" + words.get(0) + "' not found. ");
        err.println();
        printCommands(command, err);
        return ExitCode.USAGE;
      }
    }
    String message;
    if (ex instanceof MissingParameterException) {
      message = "not enough arguments.";
    } else if (ex instanceof UnmatchedArgumentException unmatched) {
      List<String> options =
          unmatched.getUnmatched().stream().filter(w -> w.startsWith("-")).toList();
      message =
          options.isEmpty()
              ? "too many arguments."
              : "Invalid options for this command:\n"
                  + String.join("\n", options.stream().map(o -> o + " : ").toList());
    } else {
      message = ex.getMessage();
    }
    printUsageError(command, ExitCode.USAGE, message);
    return ExitCode.USAGE;
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine command, ParseResult parsed) {
    if (ex instanceof CtlException failure) {
      err.println(failure.text());
      return failure.exitCode();
    }
    if (ex instanceof UsageException usage) {
      printUsageError(command, usage.exitCode(), usage.getMessage());
      return usage.exitCode();
    }
    err.println("Error:");
    err.println(ex);
    return ExitCode.SOFTWARE;
  }

  private void printUsageError(CommandLine command, int exitCode, String message) {
    err.println("Error (argument validation): " + message);
    err.println("Arguments given:");
    err.println("\t" + String.join(" ", args));
    err.println();
    err.println("Usage");
    err.println();
    err.println(synopsis(command));
  }

  /** The command's usage line, as rabbitmqctl prints it under "Usage". */
  static String synopsis(CommandLine command) {
    String[] custom = command.getCommandSpec().usageMessage().customSynopsis();
    String tail = custom.length > 0 ? custom[0] : command.getCommandName();
    if (command.getParent() == null) {
      return tail;
    }
    return "warrenctl [--node <node>] [--longnames] [--quiet] " + tail;
  }

  /** The general usage and the list of commands (no command, or an unknown one). */
  static void printCommands(CommandLine root, PrintWriter err) {
    err.println("Usage");
    err.println();
    err.println(synopsis(root));
    err.println();
    err.println("Available commands:");
    err.println();
    for (Map.Entry<String, CommandLine> entry : root.getSubcommands().entrySet()) {
      String[] description = entry.getValue().getCommandSpec().usageMessage().description();
      err.printf("   %-29s %s%n", entry.getKey(), description.length > 0 ? description[0] : "");
    }
    err.println();
    err.println("Use 'warrenctl <command> --help' to learn more about a specific command");
  }
}
