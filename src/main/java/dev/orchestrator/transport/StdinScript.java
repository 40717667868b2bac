package dev.orchestrator.transport;

import dev.orchestrator.template.ShellQuote;
import java.nio.charset.StandardCharsets;

/**
 * How a command reaches a shell: as the script of a {@code /bin/sh -s} that reads it from its
 * stdin, never as an argument ({@code sh -c COMMAND}), where {@code ps} and {@code
 * /proc/PID/cmdline} would show it, and the secret values it may carry, to every user of the
 * machine for as long as it runs.
 */
public final class StdinScript {
  private StdinScript() {}

  /** The shell that reads the script: {@code /bin/sh -s}. */
  public static final String SHELL = "/bin/sh -s";

  /**
   * The line that runs {@code command} as {@code sh -c command} would: in a subshell (its {@code
   * exit} ends only that), with {@code /dev/null} as its stdin (it cannot read the rest of the
   * script). One complete command to the shell's parser, so the shell reads it whole before it
   * starts it, whatever newlines the command holds.
   */
  public static String line(String command) {
    return "( eval " + ShellQuote.quote(command) + " ) </dev/null";
  }

  /** {@link #line} and a newline, as bytes for the shell's stdin. */
  public static byte[] bytes(String command) {
    return (line(command) + "\n").getBytes(StandardCharsets.UTF_8);
  }
}
