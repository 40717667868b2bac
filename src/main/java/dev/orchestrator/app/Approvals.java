package dev.orchestrator.app;

import dev.orchestrator.common.ErrorKind;
import dev.orchestrator.common.InputException;
import dev.orchestrator.common.OrchestratorException;
import dev.orchestrator.plan.Plan;
import dev.orchestrator.plan.PlannedGate;
import dev.orchestrator.playbook.Gate;
import dev.orchestrator.playbook.Role;
import dev.orchestrator.state.GateRecord;
import dev.orchestrator.state.RunJournal;
import dev.orchestrator.state.RunStatus;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds the approval gates a run waits at and records the operator's decision there, for {@code
 * approve} and {@code reject}.
 */
final class Approvals {
  private Approvals() {}

  /**
   * Returns the approval gates in state {@code waiting}, of {@code stage} when given.
   *
   * @throws InputException when there is none
   */
  static List<PlannedGate> waitingApprovals(Plan plan, String runId, String stage) {
    List<PlannedGate> out = new ArrayList<>();
    plan.stages()
        .forEach(
            s ->
                Stream.concat(
                        s.gatesBefore().stream(),
                        s.batches().stream().flatMap(b -> b.gatesAfter().stream()))
                    .filter(
                        g ->
                            g.gate() instanceof Gate.Approval
                                && g.state() == dev.orchestrator.state.GateState.WAITING)
                    .filter(g -> stage == null || s.stage().name().equals(stage))
                    .forEach(out::add));
    if (out.isEmpty()) {
      throw new InputException(
          "run "
              + runId
              + " is not waiting for an approval"
              + (stage == null ? "" : " in stage " + stage),
          "see where it stands with: orchestrator status " + runId);
    }
    return out;
  }

  private static String gateKeys(List<PlannedGate> gates) {
    return String.join(", ", gates.stream().map(PlannedGate::key).toList());
  }

  private static String reasonOf(String reason) {
    return reason.isEmpty() ? "" : ": " + reason;
  }

  /** Who acts from this process, for the record: {@code user@host}. */
  static String who() {
    return Actor.local().describe();
  }

  /**
   * Records the operator's decision at the approval gates the run waits at (see {@link
   * Orchestrator#decide}).
   *
   * @throws InputException when the run waits at no approval gate (of the stage asked for)
   */
  static DecidedGates decide(
      StoredRunRequest request, GateChoice choice, Actor actor, Optional<Role> role) {
    String runId = request.runId();
    LoadedRun run = LoadedRun.load(request);
    run.refuseIfRunningElsewhere(request.hints());
    String stage = choice instanceof GateChoice.Approve a ? a.stage().orElse(null) : null;
    List<PlannedGate> gates = waitingApprovals(run.plan(Set.of()), runId, stage);
    for (PlannedGate g : gates) {
      allow(g, run.info().spec().startedBy(), actor, role, choice instanceof GateChoice.Reject);
    }
    String who = actor.describe();
    List<DecidedGates.Gate> decided = new ArrayList<>();
    try (RunJournal journal = run.store.open(runId)) {
      if (choice instanceof GateChoice.Reject reject) {
        String why =
            "rejected by " + who + (reject.reason().isEmpty() ? "" : ": " + reject.reason());
        for (PlannedGate g : gates) {
          journal.record(
              new GateRecord(
                  g.key(), dev.orchestrator.state.GateState.REJECTED, why, Instant.now()));
          decided.add(new DecidedGates.Gate(g.key(), g.gate().describe()));
        }
        journal.status(RunStatus.ABORTED, "approval gate " + gates.get(0).key() + " " + why);
        recordAction(journal, actor, "reject", gateKeys(gates) + reasonOf(reject.reason()));
      } else {
        for (PlannedGate g : gates) {
          journal.record(
              new GateRecord(
                  g.key(),
                  dev.orchestrator.state.GateState.APPROVED,
                  "approved by " + who + reasonOf(((GateChoice.Approve) choice).comment()),
                  Instant.now()));
          decided.add(new DecidedGates.Gate(g.key(), g.gate().describe()));
        }
        recordAction(
            journal,
            actor,
            "approve",
            gateKeys(gates) + reasonOf(((GateChoice.Approve) choice).comment()));
      }
    } catch (IOException e) {
      throw new OrchestratorException(
          ErrorKind.BUG,
          (choice instanceof GateChoice.Reject
                  ? "cannot record the rejection: "
                  : "cannot record the approval: ")
              + e.getMessage(),
          "check the state folder",
          e);
    }
    return new DecidedGates(decided);
  }

  /**
   * Stores in the run's events that a person acted on it ({@link
   * dev.orchestrator.report.Event.OperatorAction}), for the record of who did what and when.
   */
  static void recordAction(RunJournal journal, Actor actor, String action, String detail) {
    journal.appendEvent(
        dev.orchestrator.report.JsonEventRenderer.line(
            new dev.orchestrator.report.Event.OperatorAction(
                Instant.now(), action, actor.describe(), detail)));
    journal.flushEvents();
  }

  /**
   * Refuses an approval (or rejection) the gate does not allow: a role other than the one it
   * requires ({@link Role#mayApprove}; no role given means the CLI, which holds the state store's
   * credentials and is not checked for roles), or the run's starter at a {@code
   * distinct_from_starter} gate (a rejection by the starter is allowed: stopping one's own run is
   * no risk).
   *
   * @throws NotAllowed when refused
   */
  static void allow(
      PlannedGate g, String starter, Actor actor, Optional<Role> role, boolean rejecting) {
    Gate.Approval gate = (Gate.Approval) g.gate();
    if (role.isPresent() && !role.get().mayApprove(gate.role())) {
      throw new NotAllowed(
          "gate "
              + g.key()
              + " needs a user with role "
              + gate.role().label()
              + " (or admin); "
              + actor.name()
              + " is "
              + role.get().label(),
          "ask a user with role " + gate.role().label() + " to decide it");
    }
    if (gate.distinctFromStarter() && !rejecting && UserNames.same(actor.name(), starter)) {
      throw new NotAllowed(
          "gate "
              + g.key()
              + " must be approved by someone other than "
              + starter
              + ", who started the run (distinct_from_starter)",
          "ask another person with role " + gate.role().label() + " to approve it");
    }
  }
}
