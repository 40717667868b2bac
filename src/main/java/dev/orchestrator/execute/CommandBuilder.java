package dev.orchestrator.execute;

import dev.orchestrator.common.FileNames;
import dev.orchestrator.playbook.Step;
import dev.orchestrator.template.ShellQuote;
import java.util.Map;

/**
 * Builds the command sent to a host for a step: exported template values and {@code environment},
 * then the step's shell, wrapped in {@code sudo} when {@code become} is set. Values are
 * shell-quoted.
 *
 * <p>Values (secrets among them) are part of the command's text, and a command's text never becomes
 * a process argument, where {@code ps} would show it to every user of the machine: transports send
 * it through the shell's stdin ({@link dev.orchestrator.transport.Connection#exec}), and the
 * wrappers here ({@code sudo}, {@code setsid}) start their inner shell as {@code /bin/sh -s}
 * reading the text from a here-document, never as {@code sh -c TEXT}.
 */
final class CommandBuilder {
  private CommandBuilder() {}

  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

  /**
   * {@code HEAD <<'DELIMITER' AFTER}, then {@code BODY} and the delimiter on lines of their own: a
   * command whose stdin is a quoted here-document (its text is not expanded, and is on no command
   * line). The delimiter is random, and checked against the body's lines.
   *
   * @param head the command that reads the here-document, e.g. {@code sudo -u www-data -- /bin/sh
   *     -s}
   * @param after what follows on the same line (e.g. {@code & echo $!}), or empty
   * @param body the here-document's text
   */
  static String hereDocument(String head, String after, String body) {
    String delimiter;
    do {
      byte[] random = new byte[8];
      RANDOM.nextBytes(random);
      delimiter = "__ORCH_EOF_" + java.util.HexFormat.of().formatHex(random);
    } while (("\n" + body + "\n").contains("\n" + delimiter + "\n"));
    return head + " <<'" + delimiter + "'" + after + "\n" + body + "\n" + delimiter + "\n";
  }

  private static String stdinScript(String command) {
    return dev.orchestrator.transport.StdinScript.line(command);
  }

  /**
   * {@code export NAME='value'; } for each value, in order: how a step's template values and
   * environment reach its shell (as data, in the command's text).
   */
  static String exports(Map<String, String> values) {
    StringBuilder out = new StringBuilder();
    values.forEach(
        (k, v) ->
            out.append("export ").append(k).append('=').append(ShellQuote.quote(v)).append("; "));
    return out.toString();
  }

  /**
   * Builds the final command, switching user (when {@code become} is set) without a password and
   * without the host's become variables.
   */
  static String build(
      Step step, dev.orchestrator.template.ShellTemplate shell, Map<String, String> environment) {
    return build(
        step,
        shell,
        environment,
        Become.of(step, Map.of(), new dev.orchestrator.template.TemplateEngine()),
        false);
  }

  /**
   * Builds the final command.
   *
   * @param step the step (for {@code become})
   * @param shell the rendered shell command and the template values it refers to
   * @param environment the rendered environment
   * @param become how the step switches user ({@link Become#of}); used when {@code become} is set
   * @param masked whether to write a become password masked (the text for logs)
   */
  static String build(
      Step step,
      dev.orchestrator.template.ShellTemplate shell,
      Map<String, String> environment,
      Become become,
      boolean masked) {
    String cmd = exports(shell.values()) + exports(environment) + shell.text();
    if (!step.become() || become.skipped()) {
      return cmd;
    }
    // sudo's shell reads the command from a here-document: with sh -c the values would be in the
    // arguments of sudo and of that shell, visible in ps on the host.
    return become.wrap(stdinScript(cmd), masked);
  }

  /**
   * The script another user's {@code /bin/sh -s} reads for the step (exports, then the command, as
   * one {@link dev.orchestrator.transport.StdinScript#line}): what {@link SuCommand} hands to su.
   */
  static String script(
      dev.orchestrator.template.ShellTemplate shell, Map<String, String> environment) {
    return stdinScript(exports(shell.values()) + exports(environment) + shell.text());
  }

  /** What the re-attach script prints when the attempt never started on the host. */
  static final String NOT_STARTED = "::orchestrator-not-started";

  /** What the re-attach script prints when the host has no record of the attempt. */
  static final String NO_RECORD = "::orchestrator-no-record";

  /**
   * The record of one attempt on the host: {@code ~/.orchestrator/runs/RUN/HOST/STEP.ATTEMPT} with
   * {@code .out}, {@code .err}, {@code .pid} and {@code .rc} (README, "Failure and recovery":
   * detached steps). The run id, host name and step id are path segments made by {@link
   * FileNames#segment}: no name reaches outside the run's folder on the host.
   */
  private static String recordBase(String runId, String host, String stepId, int attempt) {
    return "b=\"$HOME\"/.orchestrator/runs/"
        + ShellQuote.quote(FileNames.segment(runId))
        + "/"
        + ShellQuote.quote(FileNames.segment(host))
        + "/"
        + ShellQuote.quote(FileNames.segment(stepId) + "." + attempt)
        + "; ";
  }

  /**
   * Wraps a command to run detached ({@code setsid}, in its own session) with its output and exit
   * code recorded on the host, while this command waits for it and replays its output and exit
   * code. If the connection drops, the detached command carries on and {@link #reattach} finds its
   * result.
   */
  static String detached(String runId, String host, String stepId, int attempt, String command) {
    // The detached shell reads the command from a here-document (never sh -c COMMAND: the
    // command holds the step's values, and a process's arguments are visible in ps).
    String inner =
        stdinScript(command) + "; rc=$?; echo $rc > \"$1.rc.tmp\" && mv \"$1.rc.tmp\" \"$1.rc\"";
    return recordBase(runId, host, stepId, attempt)
        + "mkdir -p \"$(dirname \"$b\")\" && rm -f \"$b.rc\" || exit 255; "
        + hereDocument(
            "setsid /bin/sh -s \"$b\" > \"$b.out\" 2> \"$b.err\"",
            " & echo $! > \"$b.pid\"; wait $!; "
                + "cat \"$b.out\"; cat \"$b.err\" >&2;"
                + " exit \"$(cat \"$b.rc\" 2>/dev/null || echo 255)\"",
            inner);
  }

  /**
   * Re-attaches to a detached attempt: replays its output and exit code when it finished, waits for
   * it while its process lives, and prints {@link #NO_RECORD} when the host has no trace.
   */
  static String reattach(String runId, String host, String stepId, int attempt) {
    return recordBase(runId, host, stepId, attempt)
        + "if [ ! -f \"$b.rc\" ] && [ ! -f \"$b.pid\" ]; then echo "
        + NOT_STARTED
        + "; exit 253; fi; "
        + "if [ ! -f \"$b.rc\" ] && [ -f \"$b.pid\" ]; then "
        + "while [ ! -f \"$b.rc\" ] && kill -0 \"$(cat \"$b.pid\")\" 2>/dev/null; do sleep 1; done; fi; "
        + "if [ -f \"$b.rc\" ]; then cat \"$b.out\"; cat \"$b.err\" >&2; exit \"$(cat \"$b.rc\")\"; fi; "
        + "echo "
        + NO_RECORD
        + "; exit 254";
  }

  /** Kills a detached attempt's process group (after its timeout). */
  static String kill(String runId, String host, String stepId, int attempt) {
    return recordBase(runId, host, stepId, attempt)
        + "[ -f \"$b.pid\" ] && kill -9 -- -\"$(cat \"$b.pid\")\" 2>/dev/null; true";
  }

  /**
   * Removes a host's records of a run once the host is done (README, "Failure and recovery":
   * detached steps), then the run's folder if no other host of the run (several inventory hosts on
   * one machine, e.g. {@code connection: local}) still has records in it.
   */
  static String cleanup(String runId, String host) {
    String run = "\"$HOME\"/.orchestrator/runs/" + ShellQuote.quote(FileNames.segment(runId));
    return "rm -rf "
        + run
        + "/"
        + ShellQuote.quote(FileNames.segment(host))
        + "; rmdir "
        + run
        + " 2>/dev/null; true";
  }
}
