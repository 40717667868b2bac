package dev.orchestrator.plan;

import dev.orchestrator.common.InputException;
import dev.orchestrator.inventory.Host;
import dev.orchestrator.playbook.BatchSize;
import dev.orchestrator.playbook.Playbook;
import dev.orchestrator.playbook.Stage;
import dev.orchestrator.playbook.Step;
import dev.orchestrator.state.Checkpoint;
import dev.orchestrator.state.RunState;
import dev.orchestrator.state.StepStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The playbook's {@code rollback} steps: planned as a run of their own for {@code abort
 * --rollback}, and planned on each host for {@code rollback_on_failure}.
 */
final class RollbackPlanning {
  private final Predictor predictor;
  private final Delegates delegates;

  /** Predicts the rollback steps with {@code predictor}. */
  RollbackPlanning(Predictor predictor, Delegates delegates) {
    this.delegates = delegates;
    this.predictor = predictor;
  }

  /**
   * Plans {@code abort --rollback} (see {@link Planner#planRollback}).
   *
   * @throws InputException when the playbook has no rollback steps
   * @throws IllegalArgumentException when {@code input} has no run state
   */
  Plan plan(PlanInput input) {
    Playbook playbook = input.playbook();
    String runId = input.runId();
    RunState state =
        input
            .state()
            .orElseThrow(() -> new IllegalArgumentException("a rollback is planned against a run"));
    if (playbook.rollback().isEmpty()) {
      throw new InputException(
          playbook.file() + " has no 'rollback' steps",
          "add rollback steps to the playbook, or abort without --rollback");
    }
    int mark = 0;
    for (int i = 0; i < playbook.steps().size(); i++) {
      if (playbook.steps().get(i).traits().rollbackFrom()) {
        mark = i;
        break;
      }
    }
    List<Step> pastMark = playbook.steps().subList(mark, playbook.steps().size());
    List<PlannedHost> hosts = new ArrayList<>();
    for (Host h : input.inventory().hosts().values()) {
      boolean past =
          pastMark.stream()
              .anyMatch(
                  s ->
                      state
                          .checkpoint(h.name(), s.id())
                          .map(
                              c ->
                                  c.status() == StepStatus.SUCCEEDED
                                      || c.status() == StepStatus.FAILED
                                      || c.status() == StepStatus.RUNNING)
                          .orElse(false));
      if (past) {
        Map<String, Object> vars = Planner.hostVars(playbook, h, input.extraVars(), runId);
        for (Step s : playbook.steps()) {
          s.register()
              .ifPresent(
                  r ->
                      state
                          .checkpoint(h.name(), s.id())
                          .filter(c -> c.status().isDone())
                          .ifPresent(c -> vars.put(r, c.registered())));
        }
        hosts.add(
            delegates.resolve(
                predictor.planSteps(
                    playbook.rollback(), h, vars, Optional.of(state), PlanOptions.DEFAULT),
                playbook,
                input.inventory()));
      }
    }
    Stage stage = new Stage("rollback", "all", List.of(BatchSize.ALL), 100);
    List<PlannedBatch> batches =
        hosts.isEmpty() ? List.of() : List.of(new PlannedBatch(1, hosts, List.of()));
    return new Plan(
        playbook, Optional.of(runId), List.of(new PlannedStage(stage, List.of(), batches)));
  }

  /**
   * Returns {@code planned} with its {@code rollback_on_failure} steps when the playbook declares
   * them, else {@code planned} as it is.
   */
  static PlannedHost withRollbackOnFailure(
      Playbook playbook, PlannedHost planned, Optional<RunState> state) {
    if (!playbook.rollbackOnFailure()) {
      return planned;
    }
    String host = planned.host().name();
    List<PlannedStep> rollback =
        playbook.rollback().stream()
            .map(r -> onFailure(r, state.flatMap(s -> s.checkpoint(host, r.id()))))
            .toList();
    return new PlannedHost(
        planned.host(),
        planned.vars(),
        planned.steps(),
        rollback,
        playbook.stepsPastRollbackMark());
  }

  /**
   * Plans one rollback step of {@code rollback_on_failure} from its checkpoint. A rollback that
   * completed reset its steps to pending, so a step with any other checkpoint belongs to a rollback
   * that is under way (it failed, or the controller stopped during it): resume finishes it first,
   * retrying the failed step (see {@link PlannedHost#rollbackUnderWay()}). Without a checkpoint, or
   * pending, the step runs only if a step past the rollback mark fails.
   */
  private static PlannedStep onFailure(Step step, Optional<Checkpoint> cp) {
    int attempts = cp.map(Checkpoint::attempt).orElse(0);
    StepStatus status = cp.map(Checkpoint::status).orElse(StepStatus.PENDING);
    Prediction prediction;
    String reason;
    switch (status) {
      case SUCCEEDED, SKIPPED -> {
        prediction = status == StepStatus.SKIPPED ? Prediction.SKIPPED : Prediction.DONE;
        reason = "done in the rollback under way";
      }
      case FAILED -> {
        prediction = Prediction.RETRY;
        reason =
            "the rollback failed here (attempt "
                + attempts
                + (cp.get().message().isEmpty() ? "" : ": " + cp.get().message())
                + "); resume retries it";
      }
      case RUNNING -> {
        boolean rerun = step.traits().detached() || step.traits().idempotent();
        prediction = rerun ? Prediction.RERUN : Prediction.IN_DOUBT;
        reason =
            "was running (attempt "
                + attempts
                + ") when the rollback stopped"
                + (rerun ? "; runs again" : "; outcome unknown: resume --assume-done or --rerun");
      }
      default -> {
        prediction = Prediction.RUN;
        reason = "runs if a step past the rollback mark fails";
      }
    }
    return new PlannedStep(step, prediction, reason, Optional.empty(), attempts, false);
  }
}
