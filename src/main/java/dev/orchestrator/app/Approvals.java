package dev.orchestrator.app;

import dev.orchestrator.common.InputException;
import dev.orchestrator.plan.Plan;
import dev.orchestrator.plan.PlannedGate;
import dev.orchestrator.playbook.Gate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Finds the approval gates a run waits at, for {@code approve} and {@code reject}. */
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
}
