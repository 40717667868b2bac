package dev.orchestrator.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * The outcome of one command on a host.
 *
 * @param exitCode the exit code; -1 when there is none (timed out, killed by a signal)
 * @param stdout standard output (at most {@link #MAX_CAPTURE} characters are kept)
 * @param stderr standard error (likewise)
 * @param duration wall time
 * @param timedOut whether the timeout ended it
 */
public record ExecResult(
    int exitCode, String stdout, String stderr, Duration duration, boolean timedOut) {
  /** The most characters of each stream kept in memory: 4 MiB. */
  public static final int MAX_CAPTURE = 4 * 1024 * 1024;

  /** Validates the fields. */
  public ExecResult {
    Objects.requireNonNull(stdout, "stdout");
    Objects.requireNonNull(stderr, "stderr");
    Objects.requireNonNull(duration, "duration");
  }

  /** Returns whether the command succeeded (exit code 0, no timeout). */
  public boolean succeeded() {
    return exitCode == 0 && !timedOut;
  }
}
