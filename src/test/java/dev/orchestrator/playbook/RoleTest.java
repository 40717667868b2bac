package dev.orchestrator.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Who may approve and operate. */
class RoleTest {
  @Test
  void anAdminApprovesEveryGateAndOthersOnlyTheirRole() {
    for (Role gate : Role.values()) {
      assertTrue(Role.ADMIN.mayApprove(gate), "admin approves a gate of " + gate);
      assertFalse(Role.VIEWER.mayApprove(gate), "a viewer never approves");
    }
    assertTrue(Role.APPROVER.mayApprove(Role.APPROVER));
    assertFalse(Role.APPROVER.mayApprove(Role.OPERATOR));
    assertTrue(Role.OPERATOR.mayApprove(Role.OPERATOR));
    assertFalse(Role.OPERATOR.mayApprove(Role.APPROVER));
  }

  @Test
  void onlyOperatorsAndAdminsOperate() {
    assertTrue(Role.OPERATOR.mayOperate());
    assertTrue(Role.ADMIN.mayOperate());
    assertFalse(Role.APPROVER.mayOperate());
    assertFalse(Role.VIEWER.mayOperate());
  }

  @Test
  void rolesParseByTheirLabelInAnyCase() {
    assertEquals(Optional.of(Role.APPROVER), Role.parse(" Approver "));
    assertEquals(Optional.empty(), Role.parse("root"));
    assertEquals(Optional.empty(), Role.parse(null));
    assertEquals("viewer, operator, approver, admin", Role.names());
  }
}
