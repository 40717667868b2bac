package dev.orchestrator.plan;

import dev.orchestrator.inventory.Host;
import dev.orchestrator.playbook.Step;
import dev.orchestrator.state.Checkpoint;
import dev.orchestrator.state.RunState;
import dev.orchestrator.state.StepStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Steps marked {@code fact: true} read the host's state (a version, a configured path, who owns a
 * folder): on a resume they run again even when they succeeded, and their registered values are
 * replaced, so that no later step acts on what the host looked like before the pause (issue 26,
 * "Resume acts on facts from before the pause"). A host with nothing else left to do does not read
 * them again: its steps are done.
 */
final class FactSteps {
  private FactSteps() {}

  /** Whether {@code step} is a fact step that finished before and is read again. */
  static boolean readsAgain(Step step, Optional<Checkpoint> cp, Optional<String> notSelected) {
    return step.extras().fact()
        && notSelected.isEmpty()
        && cp.isPresent()
        && cp.get().status().isDone();
  }

  /** The prediction of such a step, its reason saying why it runs again. */
  static PlannedStep readAgain(PlannedStep p, Checkpoint before) {
    if (!p.prediction().mayRun()) {
      return p;
    }
    return new PlannedStep(
        p.step(),
        p.prediction(),
        "fact: true, read again on resume ("
            + (before.status() == StepStatus.SKIPPED ? "skipped" : "succeeded")
            + " at "
            + before.endedAt()
            + "); its registered value is replaced"
            + (p.reason().isEmpty() ? "" : "; " + p.reason()),
        p.command(),
        p.previousAttempts(),
        p.changed());
  }

  /**
   * Returns {@code planned} where the fact steps read again are done as their checkpoints say when
   * no other step of the host needs work (their registered values restored into {@code vars}).
   */
  static List<PlannedStep> onlyWithOtherWork(
      List<PlannedStep> planned, Optional<RunState> state, Host host, Map<String, Object> vars) {
    boolean anyRereads = false;
    for (PlannedStep p : planned) {
      boolean reread = isReread(p, state, host);
      anyRereads |= reread;
      if (!reread && p.prediction().needsWork()) {
        return planned;
      }
    }
    if (!anyRereads) {
      return planned;
    }
    List<PlannedStep> out = new ArrayList<>();
    for (PlannedStep p : planned) {
      if (!isReread(p, state, host)) {
        out.add(p);
        continue;
      }
      Checkpoint c = state.flatMap(s -> s.checkpoint(host.name(), p.step().id())).orElseThrow();
      boolean skipped = c.status() == StepStatus.SKIPPED;
      p.step().register().ifPresent(r -> vars.put(r, c.registered()));
      out.add(
          new PlannedStep(
                  p.step(),
                  skipped ? Prediction.SKIPPED : Prediction.DONE,
                  (skipped ? "skipped" : "succeeded") + " at " + c.endedAt(),
                  Optional.empty(),
                  p.previousAttempts(),
                  p.changed())
              .withOverrides(p.overrides()));
    }
    return out;
  }

  private static boolean isReread(PlannedStep p, Optional<RunState> state, Host host) {
    return p.step().extras().fact()
        && p.prediction().needsWork()
        && state
            .flatMap(s -> s.checkpoint(host.name(), p.step().id()))
            .map(c -> c.status().isDone())
            .orElse(false);
  }
}
