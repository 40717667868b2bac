package dev.orchestrator.cli;

import java.util.function.BooleanSupplier;

/**
 * What the CLI knows about where its standard output goes, decided once by {@link Main} (not by
 * comparing streams): whether it is the process's own standard output (so the live view may draw on
 * its terminal) and whether it gets colours ({@link
 * dev.orchestrator.report.ConsoleColours#forStdout}, asked only when a view needs it).
 *
 * @param processStdout whether the commands' output is the process's standard output
 * @param colour whether that output gets ANSI colours
 * @param keyboard who answers {@code -K} and {@code --step} ({@link Keyboard#NONE}: nobody)
 */
record Terminal(boolean processStdout, BooleanSupplier colour, Keyboard keyboard) {
  /** Output captured by the caller (tests, embedding): no live view, no colours, no questions. */
  static final Terminal CAPTURED = new Terminal(false, () -> false, Keyboard.NONE);

  /** Output captured, questions answered by {@code keyboard} (tests). */
  static Terminal captured(Keyboard keyboard) {
    return new Terminal(false, () -> false, keyboard);
  }

  /** The process's own standard output: colours as {@code ConsoleColours} decides, once. */
  static Terminal ofProcess() {
    Boolean[] decided = new Boolean[1];
    return new Terminal(
        true,
        () -> {
          synchronized (decided) {
            if (decided[0] == null) {
              decided[0] = dev.orchestrator.report.ConsoleColours.forStdout();
            }
            return decided[0];
          }
        },
        Keyboard.ofProcess());
  }
}
