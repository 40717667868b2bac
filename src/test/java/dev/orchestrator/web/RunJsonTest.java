package dev.orchestrator.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orchestrator.common.SourceLocation;
import dev.orchestrator.plan.PlannedGate;
import dev.orchestrator.playbook.Gate;
import dev.orchestrator.playbook.Role;
import dev.orchestrator.state.GateState;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The approval question as the approver reads it: rendered, never its raw template beside it. */
class RunJsonTest {
  static final Gate.Approval TEMPLATED =
      new Gate.Approval(
          "Promote {{ version }} to production?",
          Role.APPROVER,
          false,
          new SourceLocation(Path.of("p.yml"), 3, 5));

  @Test
  void aWaitingGateShowsItsRenderedQuestionOnly() {
    // given a gate waiting with its question rendered in its record
    PlannedGate g =
        new PlannedGate(
            TEMPLATED,
            "production/approval",
            GateState.WAITING,
            "Promote 28.0.14 to production?",
            Optional.empty());
    // when / then
    assertEquals("Promote 28.0.14 to production?", RunJson.question(g, TEMPLATED));
  }

  @Test
  void aTemplateIsNeverShownRawAndPlainTextIs() {
    PlannedGate pending =
        new PlannedGate(TEMPLATED, "production/approval", GateState.PENDING, "", Optional.empty());
    assertEquals("", RunJson.question(pending, TEMPLATED));
    Gate.Approval plain =
        new Gate.Approval("QA looks good?", Role.APPROVER, false, TEMPLATED.location());
    PlannedGate approved =
        new PlannedGate(
            plain,
            "production/approval",
            GateState.APPROVED,
            "approved by alice",
            Optional.empty());
    assertEquals("QA looks good?", RunJson.question(approved, plain));
  }
}
