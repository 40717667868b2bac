package dev.orchestrator.cli;

import java.util.Optional;

/**
 * The person at the terminal, for the questions ansible-playbook asks there: {@code -K}'s become
 * password (read without echo) and {@code --step}'s per-step confirmation. Empty answers mean there
 * is no terminal to ask (output captured, standard input not a terminal): the command then refuses
 * with exit 2 and says how to give the answer otherwise.
 */
interface Keyboard {
  /** No terminal: nothing can be asked. */
  Keyboard NONE =
      new Keyboard() {
        @Override
        public Optional<char[]> secret(String prompt) {
          return Optional.empty();
        }

        @Override
        public Optional<String> line(String prompt) {
          return Optional.empty();
        }
      };

  /**
   * Asks for a secret, without echo.
   *
   * @return what was typed (the caller clears it when done), or empty without a terminal
   */
  Optional<char[]> secret(String prompt);

  /**
   * Asks a question and reads one line.
   *
   * @return the line (empty text at end of input), or empty without a terminal
   */
  Optional<String> line(String prompt);

  /** The process's console ({@link System#console()}), when it has one. */
  static Keyboard ofProcess() {
    return new Keyboard() {
      @Override
      public Optional<char[]> secret(String prompt) {
        java.io.Console console = System.console();
        return console == null
            ? Optional.empty()
            : Optional.of(
                java.util.Objects.requireNonNullElse(
                    console.readPassword("%s", prompt), new char[0]));
      }

      @Override
      public Optional<String> line(String prompt) {
        java.io.Console console = System.console();
        return console == null
            ? Optional.empty()
            : Optional.of(java.util.Objects.requireNonNullElse(console.readLine("%s", prompt), ""));
      }
    };
  }
}
