package dev.orchestrator.execute;

import dev.orchestrator.rollout.ApprovalPolicy;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How the engine executes a plan, fixed for one execution: the application assembles it in one
 * place from a command's options ({@code app.Execution#settings}) and hands it to {@link
 * RunExecutor}. Tests build theirs with {@code TestEngineSettings} (src/test).
 *
 * @param forks the most hosts worked on at once (within a batch, and for deferred steps), at least
 *     1
 * @param approvals whether approval gates wait for a person or pass by themselves (sandbox demo)
 * @param leaseTtl a host lease's time to live, positive (renewed every third of it; written in
 *     whole seconds)
 * @param staleLeases whether a stale lease of another machine may be taken over ({@code
 *     --take-over})
 * @param leaseCommands the commands a lease refusal shows (resume, abort, unlock as the operator
 *     types them)
 * @param secretNames variables to mask as secrets beyond those whose names look secret (the
 *     playbook's {@code secret_vars}, the keys of {@code --secrets-file})
 * @param next the commands that continue the run, shown when it pauses
 * @param verbosity ansible-playbook's {@code -v} count: from 1, each step's output is an event
 *     ({@link dev.orchestrator.report.Event.StepOutput}); 0 without
 */
public record EngineSettings(
    int forks,
    ApprovalPolicy approvals,
    Duration leaseTtl,
    StaleLeases staleLeases,
    LeaseCommands leaseCommands,
    Set<String> secretNames,
    RunExecutor.NextCommands next,
    int verbosity) {
  /** What to do with a stale lease (heartbeat older than its TTL) of another machine's run. */
  public enum StaleLeases {
    /** Refuse the host, naming the lease's holder and the commands that free it. */
    REFUSE,
    /** Take the lease over ({@code --take-over}). */
    TAKE_OVER
  }

  /** A lease's default time to live without a heartbeat. */
  public static final Duration DEFAULT_LEASE_TTL = Duration.ofMinutes(10);

  /**
   * Validates the fields.
   *
   * @throws IllegalArgumentException when {@code forks} is below 1 or {@code leaseTtl} is not
   *     positive
   * @throws NullPointerException on a null field
   */
  public EngineSettings {
    if (forks < 1) {
      throw new IllegalArgumentException("forks must be at least 1, got " + forks);
    }
    Objects.requireNonNull(approvals, "approvals");
    Objects.requireNonNull(leaseTtl, "leaseTtl");
    if (leaseTtl.isNegative() || leaseTtl.isZero()) {
      throw new IllegalArgumentException("a lease's TTL must be positive, got " + leaseTtl);
    }
    Objects.requireNonNull(staleLeases, "staleLeases");
    Objects.requireNonNull(leaseCommands, "leaseCommands");
    secretNames = Set.copyOf(secretNames);
    Objects.requireNonNull(next, "next");
    if (verbosity < 0) {
      throw new IllegalArgumentException("verbosity must not be negative, got " + verbosity);
    }
  }

  /** Settings without {@code -v}. */
  public EngineSettings(
      int forks,
      ApprovalPolicy approvals,
      Duration leaseTtl,
      StaleLeases staleLeases,
      LeaseCommands leaseCommands,
      Set<String> secretNames,
      RunExecutor.NextCommands next) {
    this(forks, approvals, leaseTtl, staleLeases, leaseCommands, secretNames, next, 0);
  }
}
