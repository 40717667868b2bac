package dev.orchestrator.app;

import dev.orchestrator.common.ExitCode;
import dev.orchestrator.common.InputException;
import dev.orchestrator.common.OrchestratorException;
import dev.orchestrator.plan.Plan;
import dev.orchestrator.plan.PlannedGate;
import dev.orchestrator.playbook.Gate;
import dev.orchestrator.state.GateRecord;
import dev.orchestrator.state.RunJournal;
import dev.orchestrator.state.RunStatus;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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

  /** Who decided, for the record: {@code user@host}. */
  static String who() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "localhost";
    }
    return System.getProperty("user.name") + "@" + host;
  }

  /**
   * Records the operator's decision at the approval gates the run waits at (see {@link
   * Orchestrator#decide}).
   *
   * @throws InputException when the run waits at no approval gate (of the stage asked for)
   */
  static DecidedGates decide(StoredRunRequest request, GateChoice choice) {
    String runId = request.runId();
    LoadedRun run = LoadedRun.load(request);
    run.refuseIfRunningElsewhere(request.hints());
    String stage = choice instanceof GateChoice.Approve a ? a.stage().orElse(null) : null;
    List<PlannedGate> gates = waitingApprovals(run.plan(Set.of()), runId, stage);
    List<DecidedGates.Gate> decided = new ArrayList<>();
    try (RunJournal journal = run.store.open(runId)) {
      if (choice instanceof GateChoice.Reject reject) {
        String why =
            "rejected by " + who() + (reject.reason().isEmpty() ? "" : ": " + reject.reason());
        for (PlannedGate g : gates) {
          journal.record(
              new GateRecord(
                  g.key(), dev.orchestrator.state.GateState.REJECTED, why, Instant.now()));
          decided.add(new DecidedGates.Gate(g.key(), g.gate().describe()));
        }
        journal.status(RunStatus.ABORTED, "approval gate " + gates.get(0).key() + " " + why);
      } else {
        for (PlannedGate g : gates) {
          journal.record(
              new GateRecord(
                  g.key(),
                  dev.orchestrator.state.GateState.APPROVED,
                  "approved by " + who(),
                  Instant.now()));
          decided.add(new DecidedGates.Gate(g.key(), g.gate().describe()));
        }
      }
    } catch (IOException e) {
      throw new OrchestratorException(
          ExitCode.INTERNAL_ERROR,
          (choice instanceof GateChoice.Reject
                  ? "cannot record the rejection: "
                  : "cannot record the approval: ")
              + e.getMessage(),
          "check the state folder",
          e);
    }
    return new DecidedGates(decided);
  }
}
