package dev.orchestrator.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An approval gate's {@code role:} and {@code distinct_from_starter:} (issue 16). */
class GateOptionsTest {
  @TempDir Path dir;

  private Playbook load(String gate) throws IOException {
    Path file = dir.resolve("pb.yml");
    Files.writeString(
        file,
        """
        name: g
        stages:
          - name: production
            hosts: all
            gates:
        %s
        steps:
          - id: a
            shell: echo a
        """
            .formatted(gate.indent(6)));
    return new PlaybookLoader().load(file);
  }

  private Gate.Approval approval(String gate) throws IOException {
    return (Gate.Approval) load(gate).stages().get(0).gates().get(0);
  }

  private InputException error(String gate) {
    return assertThrows(InputException.class, () -> load(gate));
  }

  @Test
  void anApprovalNeedsAnApproverAndAllowsTheStarterByDefault() throws IOException {
    Gate.Approval a = approval("- approval: go?");
    assertEquals(Role.APPROVER, a.role());
    assertFalse(a.distinctFromStarter());
    assertEquals("go?", a.message());
  }

  @Test
  void roleAndDistinctFromStarterAreRead() throws IOException {
    Gate.Approval a = approval("- approval: go?\n  role: Operator\n  distinct_from_starter: true");
    assertEquals(Role.OPERATOR, a.role());
    assertTrue(a.distinctFromStarter());
  }

  @Test
  void anUnknownRoleIsAnErrorWithItsPositionAndTheRoles() {
    InputException e = error("- approval: go?\n  role: manager");
    assertTrue(e.getMessage().contains("pb.yml:7:"), e.getMessage());
    assertTrue(e.getMessage().contains("unknown role 'manager'"), e.getMessage());
    assertTrue(e.hint().contains("viewer, operator, approver, admin"), e.hint());
  }

  @Test
  void aViewerCannotBeTheRoleThatApproves() {
    assertTrue(error("- approval: go?\n  role: viewer").getMessage().contains("a viewer cannot"));
  }

  @Test
  void theOptionsBelongToApprovalGatesOnly() {
    assertTrue(
        error("- wait: 1m\n  role: approver")
            .getMessage()
            .contains("'role' applies to approval gates only"));
    assertTrue(
        error("- health: {shell: 'true'}\n  distinct_from_starter: true")
            .getMessage()
            .contains("'distinct_from_starter' applies to approval gates only"));
  }

  @Test
  void aGateIsStillOneKind() {
    assertTrue(
        error("- approval: go?\n  wait: 1m").getMessage().contains("exactly one of 'approval'"));
    assertTrue(error("- role: approver").getMessage().contains("exactly one of 'approval'"));
  }

  @Test
  void distinctFromStarterIsABoolean() {
    InputException e = error("- approval: go?\n  distinct_from_starter: maybe");
    assertTrue(e.getMessage().contains("pb.yml:7:"), e.getMessage());
  }
}
