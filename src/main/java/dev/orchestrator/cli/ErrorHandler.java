package dev.orchestrator.cli;

import dev.orchestrator.common.Echo;
import dev.orchestrator.common.OrchestratorException;
import dev.orchestrator.common.Suggestions;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The CLI's one exception handler: a known failure prints {@code error: what, where} and {@code
 * hint: what next} and ends with its named exit code; anything else is an internal error. Stack
 * traces only with {@code --stacktrace}.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {
  @Override
  public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parseResult) {
    PrintWriter err = cl.getErr();
    boolean trace = parseResult.hasMatchedOption("--stacktrace");
    if (ex instanceof OrchestratorException oe) {
      // a message may name a value from a playbook, an inventory or a host (a location prefix, a
      // host name): escaped, lines kept, so that it cannot drive the terminal
      err.println("error: " + Echo.escapedLines(oe.getMessage()));
      if (!oe.hint().isEmpty()) {
        err.println("hint: " + Echo.escapedLines(oe.hint()));
      }
      if (trace) {
        oe.printStackTrace(err);
      }
      err.flush();
      return AnsibleExitCodes.asked(parseResult)
          ? AnsibleExitCodes.of(ExitCode.of(oe.kind()), false)
          : ExitCode.of(oe.kind()).code();
    }
    err.println("error: internal error: " + Echo.escapedLines(String.valueOf(ex)));
    err.println(
        "hint: this is a bug in orchestrator; rerun with --stacktrace and report the output. Checkpoints written so far are kept: 'orchestrator status' shows them.");
    if (trace) {
      ex.printStackTrace(err);
    }
    err.flush();
    return AnsibleExitCodes.asked(parseResult)
        ? AnsibleExitCodes.of(ExitCode.INTERNAL_ERROR, false)
        : ExitCode.INTERNAL_ERROR.code();
  }

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cl = ex.getCommandLine();
    PrintWriter err = cl.getErr();
    List<String> near = List.of();
    String message = ex.getMessage();
    if (ex instanceof UnmatchedArgumentException u) {
      String word = u.getUnmatched().isEmpty() ? "" : u.getUnmatched().get(0);
      if (!cl.getSubcommands().isEmpty() && !word.startsWith("-")) {
        // an unknown command: the nearest commands by edit distance (typos, swapped letters)
        message = "unknown command " + Echo.quote(word);
        near = Suggestions.near(word, cl.getSubcommands().keySet(), 3);
      } else {
        near = u.getSuggestions(); // picocli's, for options
      }
    }
    for (String arg : args) {
      // picocli's messages repeat the argument they refuse: a long one is named by its start
      if (arg.length() > Echo.MAX) {
        message = message.replace(arg, Echo.bounded(arg));
      }
    }
    err.println("error: " + Echo.escapedLines(message));
    err.println(
        "hint: "
            + (near.isEmpty()
                ? ""
                : "did you mean "
                    + Echo.escapedLines(
                        String.join(
                            " or ", near.stream().limit(3).map(n -> "'" + n + "'").toList()))
                    + "? ")
            + "see '"
            + cl.getCommandSpec().qualifiedName()
            + " --help'");
    err.flush();
    return AnsibleExitCodes.asked(args)
        ? AnsibleExitCodes.of(ExitCode.INVALID_INPUT, true)
        : ExitCode.INVALID_INPUT.code();
  }
}
