package dev.orchestrator.execute;

import dev.orchestrator.report.Event;
import dev.orchestrator.report.EventSink;
import dev.orchestrator.state.RunJournal;
import dev.orchestrator.state.RunStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The start, stop and end of one execution, safe across threads: the executor starts and ends it; a
 * signal handler may stop it at any time ({@link RunExecutor#interrupt}). Exactly one of a stop and
 * the end records the run's final status in the journal; the other then changes nothing.
 */
final class RunControl {
  private final EventSink events;
  private final String resumeCommand;
  private final Object lock = new Object();
  private boolean started; // guarded by lock
  private boolean ended; // guarded by lock
  private volatile String stopReason;
  private RunJournal journal; // guarded by lock
  private LeaseKeeper keeper; // guarded by lock
  private Instant startedAt; // guarded by lock

  /**
   * @param events where a stop's {@link Event.RunFinished} goes
   * @param resumeCommand the command a stop shows to continue the run
   */
  RunControl(EventSink events, String resumeCommand) {
    this.events = Objects.requireNonNull(events, "events");
    this.resumeCommand = Objects.requireNonNull(resumeCommand, "resumeCommand");
  }

  /**
   * Starts the execution, recording the run as running, unless it was stopped before.
   *
   * @return false when stopped before it started: nothing was recorded
   */
  boolean start(RunJournal running, LeaseKeeper leases, Instant at) {
    synchronized (lock) {
      if (stopReason != null) {
        return false;
      }
      started = true;
      journal = running;
      keeper = leases;
      startedAt = at;
      journal.status(RunStatus.RUNNING, "");
      return true;
    }
  }

  /** The stop reason of a bug: what resume will do about steps under way. */
  static String internalError(Throwable e) {
    return "internal error: "
        + e
        + " (a bug in orchestrator); steps under way may or may not have finished: resume checks"
        + " them";
  }

  /**
   * The stop reason of an exception that ended the execution: a state store that cannot be written
   * ({@link dev.orchestrator.common.ErrorKind#STATE_UNAVAILABLE}: a full disk, a database outage)
   * says so and how to continue; anything else is a bug ({@link #internalError}).
   */
  static String stopReason(Throwable e) {
    if (e instanceof dev.orchestrator.common.OrchestratorException oe
        && oe.kind() == dev.orchestrator.common.ErrorKind.STATE_UNAVAILABLE) {
      return oe.getMessage()
          + "; the run stopped there (a step whose result could not be recorded runs again on"
          + " resume)";
    }
    return internalError(e);
  }

  /** Returns why the execution was stopped, if it was. */
  Optional<String> stopReason() {
    return Optional.ofNullable(stopReason);
  }

  /**
   * Stops the execution: records the run paused with {@code reason}, marks every lease paused, and
   * emits a {@link Event.RunFinished} with the resume command.
   *
   * @return how the execution was found
   */
  RunExecutor.Interrupted stop(String reason) {
    RunJournal stopped;
    LeaseKeeper leases;
    Instant since;
    synchronized (lock) {
      if (ended || stopReason != null) {
        return RunExecutor.Interrupted.ENDED;
      }
      stopReason = reason;
      if (!started) {
        return RunExecutor.Interrupted.NOT_STARTED;
      }
      stopped = journal;
      leases = keeper;
      since = startedAt;
      try {
        stopped.status(RunStatus.PAUSED, reason);
      } catch (RuntimeException e) {
        // The state store cannot be written: the leases are still worth marking.
      }
    }
    leases.pauseAll(reason);
    try {
      events.emit(
          new Event.RunFinished(
              Instant.now(),
              stopped.runId(),
              dev.orchestrator.state.RunStatus.PAUSED,
              reason,
              Duration.between(since, Instant.now()),
              resumeCommand));
    } catch (RuntimeException e) {
      // The console may be gone (the process is ending); the journal has it.
    }
    return RunExecutor.Interrupted.STOPPED;
  }

  /**
   * Ends the execution, recording the run's final status, unless it was stopped meanwhile.
   *
   * @return false when a stop came first (it recorded the run paused with its reason)
   */
  boolean end(RunStatus status, String reason) {
    synchronized (lock) {
      if (stopReason != null) {
        return false;
      }
      ended = true;
      journal.status(status, reason);
      return true;
    }
  }
}
