package dev.orchestrator.execute;

import dev.orchestrator.common.FileNames;
import dev.orchestrator.playbook.Step;
import dev.orchestrator.template.ShellQuote;
import java.util.Map;

/**
 * Builds the command line sent to a host for a step: exported {@code environment}, then the step's
 * shell, wrapped in {@code sudo} when {@code become} is set. Values are shell-quoted.
 */
final class CommandBuilder {
  private CommandBuilder() {}

  /**
   * Builds the final command.
   *
   * @param step the step (for {@code become})
   * @param shell the rendered shell command and the template values it refers to
   * @param environment the rendered environment
   */
  static String build(
      Step step, dev.orchestrator.template.ShellTemplate shell, Map<String, String> environment) {
    StringBuilder cmd = new StringBuilder();
    shell
        .values()
        .forEach(
            (k, v) ->
                cmd.append("export ")
                    .append(k)
                    .append('=')
                    .append(ShellQuote.quote(v))
                    .append("; "));
    environment.forEach(
        (k, v) ->
            cmd.append("export ").append(k).append('=').append(ShellQuote.quote(v)).append("; "));
    cmd.append(shell.text());
    if (!step.become()) {
      return cmd.toString();
    }
    return "sudo -n -H -u "
        + ShellQuote.quote(step.becomeUser())
        + " -- /bin/sh -c "
        + ShellQuote.quote(cmd.toString());
  }

  /** What the re-attach script prints when the attempt never started on the host. */
  static final String NOT_STARTED = "::orchestrator-not-started";

  /** What the re-attach script prints when the host has no record of the attempt. */
  static final String NO_RECORD = "::orchestrator-no-record";

  /**
   * The record of one attempt on the host: {@code ~/.orchestrator/runs/RUN/HOST/STEP.ATTEMPT} with
   * {@code .out}, {@code .err}, {@code .pid} and {@code .rc} (design.md, "On the host"). The run
   * id, host name and step id are path segments made by {@link FileNames#segment}: no name reaches
   * outside the run's folder on the host.
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
    String inner =
        "(" + command + "); rc=$?; echo $rc > \"$1.rc.tmp\" && mv \"$1.rc.tmp\" \"$1.rc\"";
    return recordBase(runId, host, stepId, attempt)
        + "mkdir -p \"$(dirname \"$b\")\" && rm -f \"$b.rc\" || exit 255; "
        + "setsid sh -c "
        + ShellQuote.quote(inner)
        + " sh \"$b\" > \"$b.out\" 2> \"$b.err\" < /dev/null & echo $! > \"$b.pid\"; wait $!; "
        + "cat \"$b.out\"; cat \"$b.err\" >&2; exit \"$(cat \"$b.rc\" 2>/dev/null || echo 255)\"";
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
   * Removes a host's records of a run once the host is done (design.md, "On the host"), then the
   * run's folder if no other host of the run (several inventory hosts on one machine, e.g. {@code
   * connection: local}) still has records in it.
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
