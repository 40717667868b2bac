package dev.orchestrator.state;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;

/**
 * Writes one run's durable state into its {@link StateStore}: checkpoints, host records, gate
 * records, lease changes and overrides are durable when the call returns (the write-ahead rule of
 * README "State store and checkpoints": a checkpoint is durable before the next action), as is the
 * run's status. Also records the run's event stream and its step logs. Thread-safe: many hosts'
 * pipelines record at once.
 *
 * <p>Every write failure is an {@link dev.orchestrator.common.OrchestratorException} (exit 1, the
 * run cannot continue safely) naming the store and what to check, except where said otherwise.
 */
public interface RunJournal extends Closeable {
  /** Returns the run's id: its info's, for every journal that does not delegate it. */
  default String runId() {
    return info().id();
  }

  /** Returns the run's current info (as last written through this journal). */
  RunInfo info();

  /** Returns the store this journal writes into (to read the run back, e.g. for its report). */
  StateStore store();

  /**
   * Durably records a checkpoint.
   *
   * @throws dev.orchestrator.common.OrchestratorException if the write fails (the run cannot
   *     continue safely)
   */
  void record(Checkpoint checkpoint);

  /** Durably records a host record. */
  void record(HostRecord record);

  /** Durably records a gate's state (an approval or rejection included). */
  void record(GateRecord record);

  /** Durably records a change of this run's lease on a host (the host's lock file mirrors it). */
  void recordLease(LeaseRecord lease);

  /**
   * Durably records a change of this run's lease on a host.
   *
   * @param host the inventory host
   * @param state the lease's new state
   * @param message what happened, and what to do when it needs an operator
   */
  default void recordLease(String host, LeaseState state, String message) {
    recordLease(new LeaseRecord(host, state, message, Instant.now()));
  }

  /**
   * Durably replaces the run's spec with one that overrides some of its settings, recording each
   * override first (the audit trail: who changed what, when). Nothing happens without overrides.
   *
   * @param spec the new spec
   * @param overrides what changed, one entry per option
   */
  void override(RunSpec spec, List<SpecOverride> overrides);

  /** Durably sets the run's status and why (empty when there is nothing to say). */
  void status(RunStatus status, String reason);

  /**
   * Appends one serialised event (a JSON object, no line break) to the run's recorded event stream,
   * readable at once by {@link StateStore#events}. Not forced to disk: the journal, not the event
   * stream, is what resume relies on.
   *
   * @param line the event, without a trailing line break
   * @throws IllegalArgumentException if the line contains a line break
   * @throws dev.orchestrator.common.OrchestratorException if it cannot be written (callers that
   *     only report may stop recording then)
   */
  void appendEvent(String line);

  /**
   * Stores the events appended so far, for a store that sends them later ({@link #appendEvent});
   * they are readable ({@link StateStore#events}) when it returns. Nothing to do by default.
   */
  default void flushEvents() {}

  /**
   * Returns the stored name of a step attempt's log ({@link StateStore#logName}).
   *
   * @param host the inventory host
   * @param stepId the step id as the engine uses it
   * @param attempt the 1-based attempt
   */
  default String logName(String host, String stepId, int attempt) {
    return StateStore.logName(host, stepId, attempt);
  }

  /**
   * Opens a step attempt's log for writing, replacing an older one of the same name; readable by
   * the owner only. What is written is readable through {@link StateStore#readLog} as it is flushed
   * (so {@code logs -f} follows a running step).
   *
   * @param name the log's stored name ({@link #logName})
   * @return the stream to write to; close it when the attempt ends
   * @throws dev.orchestrator.common.InputException if the name is not a {@link StateStore#LOG_NAME}
   * @throws IOException if it cannot be opened (a step's log is skipped then: the checkpoint is
   *     what matters)
   */
  OutputStream openLog(String name) throws IOException;

  /**
   * Where a user finds a log ({@link StateStore#logLocation}), as events and status show it.
   *
   * @param name the log's stored name
   */
  default String logLocation(String name) {
    return store().logLocation(runId(), name);
  }
}
