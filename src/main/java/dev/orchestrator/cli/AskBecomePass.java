package dev.orchestrator.cli;

import dev.orchestrator.common.InputException;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * ansible-playbook's {@code -K}/{@code --ask-become-pass}: the become password, asked once on the
 * terminal without echo ({@link Keyboard#secret}), the value of {@code ansible_become_password}
 * where no {@code -e} or secrets file sets it ({@link dev.orchestrator.app.VarsInput}). It is never
 * a command-line value; without a terminal the command refuses, naming the ways that keep it off
 * command lines.
 */
final class AskBecomePass {
  @Option(
      names = {"-K", "--ask-become-pass"},
      description =
          "Ask for the become (sudo/su) password once, without echo, as ansible-playbook's -K:"
              + " it is ansible_become_password where -e or a --secrets-file sets none. Never"
              + " stored, printed or logged; a resume asks again with -K. Differs: it ranks above"
              + " the inventory's ansible_become_password (Ansible: below), and without a"
              + " terminal it is exit 2 (put ansible_become_password in a --secrets-file).")
  boolean ask;

  @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
  picocli.CommandLine.Model.CommandSpec mixee;

  /** What was typed, asked the first time only. */
  private Optional<String> typed;

  /**
   * The password, asked on the terminal the first time; empty without {@code -K}.
   *
   * @throws InputException without a terminal to ask on
   */
  Optional<String> password() {
    if (!ask) {
      return Optional.empty();
    }
    if (typed == null) {
      Keyboard keyboard =
          mixee.commandLine().getCommandSpec().root().userObject()
                  instanceof OrchestratorCommand top
              ? top.terminal().keyboard()
              : Keyboard.NONE;
      char[] chars =
          keyboard
              .secret("BECOME password: ")
              .orElseThrow(
                  () ->
                      new InputException(
                          "-K asks for the become password on a terminal, and there is none",
                          "put ansible_become_password in a YAML file and pass --secrets-file"
                              + " FILE (masked, never stored); never the password itself on a"
                              + " command line"));
      typed = Optional.of(new String(chars));
      java.util.Arrays.fill(chars, '\0');
    }
    return typed;
  }
}
