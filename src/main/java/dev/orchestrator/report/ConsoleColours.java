package dev.orchestrator.report;

import java.util.Map;

/**
 * Whether console output gets ANSI colours: one decision for every view (plain lines, the live
 * view, the plan). Colours need standard output to be a terminal, a {@code TERM} that is set and
 * not {@code dumb}, and no {@code NO_COLOR} (no-color.org: set to a non-empty value). Colour does
 * not depend on the live view: a terminal whose size is unknown (as {@code docker run -t} and
 * {@code script} give at first, both with {@code TERM=xterm}) gets the plain lines, coloured.
 */
public final class ConsoleColours {
  private ConsoleColours() {}

  /**
   * The decision, from the environment and whether standard output is a terminal.
   *
   * @param env the environment variables
   * @param stdoutIsTerminal whether standard output is a terminal
   * @return whether to colour
   */
  public static boolean enabled(Map<String, String> env, boolean stdoutIsTerminal) {
    String noColor = env.get("NO_COLOR");
    if (noColor != null && !noColor.isEmpty()) {
      return false;
    }
    String term = env.get("TERM");
    return stdoutIsTerminal && term != null && !term.isBlank() && !term.equals("dumb");
  }

  /** The decision for this process's standard output. */
  public static boolean forStdout() {
    return enabled(System.getenv(), stdoutIsTerminal());
  }

  /**
   * Whether standard output is a terminal. JLine's providers ask the operating system about that
   * one stream ({@code isatty(1)}); {@code System.console()}, the fallback, also needs standard
   * input to be a terminal.
   */
  static boolean stdoutIsTerminal() {
    for (String provider : new String[] {"jni", "exec"}) {
      try {
        return org.jline.terminal.spi.TerminalProvider.load(provider)
            .isSystemStream(org.jline.terminal.spi.SystemStream.Output);
      } catch (java.io.IOException | RuntimeException | LinkageError unavailable) {
        // try the next provider
      }
    }
    return System.console() != null;
  }

  /** SGR codes: the colours the views use. */
  enum Sgr {
    RED("31"),
    GREEN("32"),
    YELLOW("33"),
    BLUE("34"),
    MAGENTA("35"),
    CYAN("36"),
    BOLD("1");

    private final String code;

    Sgr(String code) {
      this.code = code;
    }

    /** {@code text} in this colour, or as it is when {@code on} is false. */
    String paint(boolean on, String text) {
      return on && !text.isEmpty() ? "\u001b[" + code + "m" + text + "\u001b[0m" : text;
    }
  }
}
