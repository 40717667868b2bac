package dev.orchestrator.app;

import dev.orchestrator.execute.RunResult;

/**
 * How a command that executes steps (run, resume, abort, a worker) ended: the command's result, one
 * of the three run-level vocabularies, each for its own level.
 *
 * <ul>
 *   <li>{@link dev.orchestrator.rollout.RunEnding}: how the rollout stopped, computed by the pure
 *       rollout; the executor maps it onto the stored status (in {@code RunExecutor.finish}, the
 *       one place).
 *   <li>{@link dev.orchestrator.state.RunStatus}: the run's stored state (running, succeeded,
 *       paused, aborted), what {@code status}, the events and the report show.
 *   <li>{@code Outcome}: what this command did, which the edges map to an exit code (the CLI's
 *       {@code Exits}) or an HTTP answer (the web API).
 * </ul>
 *
 * <p>Why {@code Outcome} is kept beside them: the command's result is not a function of the run's
 * status. {@link #REFUSED} is a run left {@code paused} whose command must say "another run holds a
 * host" (exit 4, not 3); {@link #ALREADY_SUCCEEDED} is a {@code resume} that did nothing (the
 * command prints so, exit 0); a rollback left incomplete is a run stored {@code aborted} whose
 * command must say "not done yet, abort again" ({@link #PAUSED}, exit 3). Merging it into {@code
 * RunStatus} would put command results into the stored state; merging it into {@code RunEnding}
 * would make the pure rollout know about leases held elsewhere and runs not executed at all. The
 * mapping from an execution's result is {@link #of}, the one place.
 */
public enum Outcome {
  /** Every host finished. */
  SUCCEEDED,
  /** The run was already finished: nothing was done. */
  ALREADY_SUCCEEDED,
  /** The run paused (failures, the failure budget, an approval gate, a stop), or a rollback did. */
  PAUSED,
  /** Another run holds a host's lease. */
  REFUSED,
  /** The run is aborted (for a rollback: and rolled back on every host that needed it). */
  ABORTED;

  /**
   * The outcome of an execution: refused when a host's lease is another run's, else by the status
   * the execution left (an aborted run that was not rolled back completely is a rollback paused).
   */
  static Outcome of(RunResult result) {
    if (result.refused()) {
      return REFUSED;
    }
    return switch (result.status()) {
      case SUCCEEDED -> SUCCEEDED;
      case ABORTED -> result.rolledBack() ? ABORTED : PAUSED;
      case PAUSED, RUNNING -> PAUSED;
    };
  }
}
