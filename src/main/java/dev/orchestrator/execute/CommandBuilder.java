package dev.orchestrator.execute;

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
   * @param shell the rendered shell command
   * @param environment the rendered environment
   */
  static String build(Step step, String shell, Map<String, String> environment) {
    StringBuilder cmd = new StringBuilder();
    environment.forEach(
        (k, v) ->
            cmd.append("export ").append(k).append('=').append(ShellQuote.quote(v)).append("; "));
    cmd.append(shell);
    if (!step.become()) {
      return cmd.toString();
    }
    return "sudo -n -H -u "
        + ShellQuote.quote(step.becomeUser())
        + " -- /bin/sh -c "
        + ShellQuote.quote(cmd.toString());
  }
}
