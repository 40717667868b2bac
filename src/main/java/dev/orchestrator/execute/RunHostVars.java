package dev.orchestrator.execute;

import dev.orchestrator.plan.HostVars;
import dev.orchestrator.plan.OtherHosts;
import dev.orchestrator.plan.PlannedHost;
import dev.orchestrator.plan.PlannedStep;
import dev.orchestrator.playbook.Step;
import dev.orchestrator.state.RunJournal;
import dev.orchestrator.state.RunState;
import dev.orchestrator.template.Facts;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code hostvars} while a run runs: each host's variables as the plan computed them, with what the
 * run knows of that host at the moment of the look-up — the facts gathered on it in this execution
 * ({@code hostvars[HOST].ansible_*}), and from the run's state the values its steps registered, its
 * {@code set_fact} facts and the facts other hosts' steps delegated to it ({@link OtherHosts}).
 * Read from the state store, not memory, so that a resume sees what the run before it recorded.
 *
 * <p>A read of the run's state serves every look-up until any host of this controller records a
 * checkpoint (a template that loops over the fleet's {@code hostvars} reads it once), so a value
 * another host of this controller recorded before the look-up is always seen; values recorded by
 * another controller sharing the run (PostgreSQL store) are seen at most {@link #FRESH} late.
 *
 * <p>Our hosts run their steps independently where Ansible's linear strategy runs each task across
 * the batch in lock-step: another host's value is there once that host's step is checkpointed, not
 * when this host reaches the same step. A template that names a value not recorded yet fails its
 * step as any undefined variable does (the host pauses; its resume reads it again).
 */
final class RunHostVars {
  private RunHostVars() {}

  /**
   * Replaces the plan's {@code hostvars} in a host's {@code vars} with the run's view.
   *
   * @param planned the host: its steps name the checkpoints to read
   */
  static void install(
      Map<String, Object> vars, PlannedHost planned, RunJournal journal, GatheredFacts facts) {
    List<Step> earlier = facts.stepsBefore(planned);
    StateReads state = new StateReads(journal);
    if (!earlier.isEmpty()) {
      // what the plays before this one set on the host stays its (plan.PlaysPlanning)
      Map<String, Object> recorded = new java.util.HashMap<>();
      OtherHosts.recorded(earlier, state.get(), planned.host().name(), recorded);
      vars.putAll(recorded);
    }
    if (!(vars.get("hostvars") instanceof HostVars plan)) {
      return;
    }
    List<Step> steps =
        Stream.concat(
                earlier.stream(),
                Stream.concat(planned.steps().stream(), planned.rollbackOnFailure().stream())
                    .map(PlannedStep::step))
            .toList();
    vars.put(
        "hostvars",
        plan.overlaid(
            (name, v) -> {
              facts.of(name).ifPresent(f -> Facts.vars(f).forEach(v::putIfAbsent));
              OtherHosts.recorded(steps, state.get(), name, v);
            },
            false,
            new Object()));
  }

  /**
   * The run's state as last read, read again once any host of this controller wrote a checkpoint or
   * after {@link #FRESH}: a template that loops over a fleet's {@code hostvars} reads the state
   * once, not once per host.
   */
  private static final class StateReads {
    private final RunJournal journal;
    private RunState state; // guarded by this
    private long readAt; // guarded by this
    private long writesSeen = -1; // guarded by this

    StateReads(RunJournal journal) {
      this.journal = journal;
    }

    synchronized RunState get() {
      long now = System.nanoTime();
      long writes = CheckpointWriter.writtenByAny();
      if (state == null || writes != writesSeen || now - readAt > FRESH.toNanos()) {
        state = journal.store().load(journal.runId());
        readAt = now;
        writesSeen = writes;
      }
      return state;
    }
  }

  /** How long a read of the run's state serves other hosts' values. */
  static final java.time.Duration FRESH = java.time.Duration.ofMillis(500);
}
