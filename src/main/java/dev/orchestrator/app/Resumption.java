package dev.orchestrator.app;

import dev.orchestrator.common.Echo;
import dev.orchestrator.common.ErrorKind;
import dev.orchestrator.common.InputException;
import dev.orchestrator.common.OrchestratorException;
import dev.orchestrator.plan.Plan;
import dev.orchestrator.plan.PlannedHost;
import dev.orchestrator.plan.PlannedStep;
import dev.orchestrator.plan.Prediction;
import dev.orchestrator.playbook.Step;
import dev.orchestrator.report.EventSink;
import dev.orchestrator.state.Checkpoint;
import dev.orchestrator.state.RunJournal;
import dev.orchestrator.state.RunSpec;
import dev.orchestrator.state.RunStatus;
import dev.orchestrator.state.StepStatus;
import dev.orchestrator.transport.Connector;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Continues a paused or interrupted run ({@link Orchestrator#resume}). Every paused or unfinished
 * host continues at its first unfinished step (a failed step runs again, attempt + 1); succeeded
 * steps never run again; then the remaining gates, batches and stages follow. A step edited after
 * it succeeded somewhere is refused unless it is to run again. An operator's decision about one
 * step is validated before anything is written, then recorded first.
 */
final class Resumption {
  private Resumption() {}

  /**
   * Resumes the run.
   *
   * @param localHome where {@code connection: local} hosts run their commands
   * @return {@link Outcome#ALREADY_SUCCEEDED}, or how the execution ended
   * @throws InputException on bad input (nothing written)
   * @throws OrchestratorException {@link ErrorKind#RUN_ABORTED} for an aborted run, {@link
   *     ErrorKind#CONFLICT} while another live process executes it
   */
  static Outcome resume(ResumeRequest request, EventSink events, Console console, Path localHome) {
    StoredRunRequest stored = request.run();
    String runId = stored.runId();
    CommandHints hints = stored.hints();
    LoadedRun run = LoadedRun.load(stored);
    if (run.info().status() == RunStatus.SUCCEEDED) {
      return Outcome.ALREADY_SUCCEEDED;
    }
    refuseAborted(run.info(), hints);
    run.refuseIfRunningElsewhere(hints);
    for (String s : request.rerunSteps()) {
      // a hop's ID@HOP or a loop item's ID[LABEL] names its playbook step; a handler run its id
      if (OperatorStepIds.named(run.playbook, s, false).isEmpty()) {
        throw new InputException(
            "--rerun-step: the playbook has no step " + Echo.quote(s),
            OperatorStepIds.hint(run.playbook));
      }
    }
    Optional<Checkpoint> decision = request.decision().map(d -> operatorCheckpoint(run, d));
    dev.orchestrator.plan.PlanOptions.Scope scope =
        request.retryFailed()
            ? dev.orchestrator.plan.PlanOptions.Scope.FAILED_HOSTS_ONLY
            : dev.orchestrator.plan.PlanOptions.Scope.ALL_HOSTS;
    Plan plan = run.plan(new LinkedHashSet<>(request.rerunSteps()), scope);
    refuseEditedSteps(plan, run.info().spec(), runId, hints);
    Wiring.checkInputs(plan, run.templates);
    Connector connector = Wiring.connector(run.inputs.spec(), localHome);
    RunJournal journal = Wiring.openWithOverrides(run, console.err());
    try {
      Approvals.recordAction(journal, stored.actor(), "resume", resumeDetail(request));
      if (decision.isPresent()) {
        journal.record(decision.get());
        plan =
            LoadedRun.load(stored.state(), runId, stored.vars(), ConnectionSettings.none())
                .plan(new LinkedHashSet<>(request.rerunSteps()), scope);
      }
      run.state
          .unreadable()
          .forEach(
              u ->
                  console
                      .err()
                      .println(
                          "orchestrator: warning: "
                              + u
                              + " (skipped: what that line recorded is taken as not done)"));
      if (!plan.heldBack().isEmpty()) {
        console
            .err()
            .println(
                "orchestrator: run "
                    + runId
                    + ": --retry-failed holds back "
                    + plan.heldBack().size()
                    + " host(s) until the rollout continues: "
                    + String.join(
                        ", ",
                        plan.hostOrder().stream().filter(plan.heldBack()::contains).toList()));
      }
      return new Execution(
              plan,
              journal,
              run.inputs,
              run.templates,
              connector,
              Execution.Command.resume(request),
              Optional.of(
                  new SharedBatches(
                      hints, new LinkedHashSet<>(request.rerunSteps()), run::planHostAgainst)))
          .execute(events, console.err());
    } finally {
      Wiring.close(journal);
    }
  }

  /** Refuses to mix step definitions: an edited step that already succeeded needs --rerun-step. */
  private static void refuseEditedSteps(Plan plan, RunSpec spec, String runId, CommandHints hints) {
    Map<String, List<String>> changed = new LinkedHashMap<>();
    for (PlannedHost h : plan.hosts().toList()) {
      for (PlannedStep s : h.steps()) {
        if (s.changed() && s.prediction() == Prediction.DONE) {
          changed.computeIfAbsent(s.step().id(), k -> new ArrayList<>()).add(h.host().name());
        }
      }
    }
    if (!changed.isEmpty()) {
      String first = changed.keySet().iterator().next();
      throw new InputException(
          "the playbook changed since run "
              + runId
              + " started: "
              + String.join(
                  "; ",
                  changed.entrySet().stream()
                      .map(
                          e ->
                              "step '"
                                  + e.getKey()
                                  + "' already succeeded on "
                                  + String.join(", ", e.getValue()))
                      .toList())
              + " with its old definition",
          "revert the edit, or run the new definition again on those hosts: "
              + hints.command("resume", runId)
              + " --rerun-step "
              + first
              + " (see the changes with: "
              + hints.planRun(spec.playbook(), spec.inventories(), runId)
              + ")");
    }
  }

  /**
   * Validates an operator decision about one step on its host before anything is written, and
   * builds its checkpoint. A step id may name a hop ({@code upgrade@28.0.14}), or a rollback step
   * (a {@code rollback_on_failure} rollback under way continues on resume).
   */
  /**
   * Refuses to resume an aborted run.
   *
   * @throws OrchestratorException {@link ErrorKind#RUN_ABORTED} when it was aborted
   */
  static void refuseAborted(dev.orchestrator.state.RunInfo info, CommandHints hints) {
    if (info.status() == RunStatus.ABORTED) {
      throw new OrchestratorException(
          ErrorKind.RUN_ABORTED,
          "run "
              + info.id()
              + " was aborted"
              + (info.reason().isEmpty() ? "" : ": " + info.reason()),
          "an aborted run cannot be resumed; start a new run with: "
              + hints.program()
              + " run ...");
    }
  }

  /** What a resume asked for, as its record says: the decision, the retry filter, the reruns. */
  static String resumeDetail(ResumeRequest request) {
    List<String> parts = new ArrayList<>();
    request
        .decision()
        .ifPresent(d -> parts.add(d.kind().option + " " + d.step() + " on " + d.host()));
    if (request.retryFailed()) {
      parts.add("--retry-failed");
    }
    request.rerunSteps().forEach(s -> parts.add("--rerun-step " + s));
    return String.join(", ", parts);
  }

  private static Checkpoint operatorCheckpoint(LoadedRun run, StepDecision decision) {
    String option = decision.kind().option;
    String stepArg = decision.step();
    String host = decision.host();
    StepStatus status = decision.kind().status;
    String message = decision.kind().message;
    Step step =
        OperatorStepIds.named(run.playbook, stepArg, true)
            .map(s -> LoopItemIds.engineStep(s, stepArg))
            .orElseThrow(
                () ->
                    new InputException(
                        option + ": the playbook has no step " + Echo.quote(stepArg),
                        OperatorStepIds.hint(run.playbook)
                            + " (with hops: ID@VERSION; a loop's item: 'ID[LABEL]')"));
    if (run.inventory.host(host).isEmpty()) {
      throw new InputException(
          "--host: there is no host "
              + dev.orchestrator.common.Echo.quote(host)
              + " in the inventory "
              + run.inventory.describe(),
          "hosts are: " + String.join(", ", run.inventory.hosts().keySet()));
    }
    Optional<Checkpoint> current = run.state.checkpoint(host, step.id());
    if (current.isEmpty() && step.extras().item().isPresent()) {
      LoopItemIds.refuseUnknownItem(run, host, step.id(), option);
    }
    if (current.isPresent() && current.get().status() == StepStatus.SUCCEEDED) {
      throw new InputException(
          "step '" + stepArg + "' already succeeded on " + host,
          "there is nothing to decide; run resume without " + option);
    }
    int attempt = current.map(Checkpoint::attempt).orElse(0);
    Instant now = Instant.now();
    Map<String, Object> registered =
        status == StepStatus.PENDING || step.register().isEmpty()
            ? Map.of()
            : status == StepStatus.SKIPPED
                ? dev.orchestrator.template.RegisteredResult.skipped()
                : dev.orchestrator.template.RegisteredResult.assumedDone();
    return new Checkpoint(
        host,
        step.id(),
        status,
        attempt,
        now,
        now,
        null,
        message,
        registered,
        "",
        step.definitionHash(),
        // assumed done: it may have changed the host, so its handlers run (README "Handlers")
        status == StepStatus.SUCCEEDED);
  }
}
