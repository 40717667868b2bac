package dev.orchestrator.execute;

import dev.orchestrator.rollout.ApprovalPolicy;
import java.time.Duration;
import java.util.Set;

/**
 * Engine settings for tests: defaults and copies with one part changed. Production assembles its
 * settings in one place from a command's options ({@code app.Execution#settings}); these were
 * {@code EngineSettings.defaults/with*}, used only by tests (issue 23).
 */
public final class TestEngineSettings {
  private TestEngineSettings() {}

  /** The lease commands the tests' refusals show: the plain {@code orchestrator} ones. */
  public static final LeaseCommands PLAIN_LEASE_COMMANDS =
      new LeaseCommands() {
        @Override
        public String resume(String runId) {
          return "orchestrator resume " + runId;
        }

        @Override
        public String abort(String runId) {
          return "orchestrator abort " + runId;
        }

        @Override
        public String unlock(String host) {
          return "orchestrator unlock " + host + " (with the run's inventory)";
        }
      };

  /**
   * Settings whose approval gates wait for a person, with the default leases (10 minutes, stale
   * ones refused, plain commands) and no extra secret names.
   *
   * @param forks the most hosts worked on at once, at least 1
   * @param next the commands that continue the run
   */
  public static EngineSettings defaults(int forks, RunExecutor.NextCommands next) {
    return new EngineSettings(
        forks,
        ApprovalPolicy.WAIT_FOR_PERSON,
        EngineSettings.DEFAULT_LEASE_TTL,
        EngineSettings.StaleLeases.REFUSE,
        PLAIN_LEASE_COMMANDS,
        Set.of(),
        next);
  }

  /** {@code s} with these lease settings. */
  public static EngineSettings withLeases(
      EngineSettings s, Duration ttl, EngineSettings.StaleLeases stale, LeaseCommands commands) {
    return new EngineSettings(
        s.forks(), s.approvals(), ttl, stale, commands, s.secretNames(), s.next());
  }

  /** {@code s} with these secret names. */
  public static EngineSettings withSecretNames(EngineSettings s, Set<String> names) {
    return new EngineSettings(
        s.forks(),
        s.approvals(),
        s.leaseTtl(),
        s.staleLeases(),
        s.leaseCommands(),
        names,
        s.next());
  }
}
