package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.orchestrator.rollout.ApprovalPolicy;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EngineSettingsTest {
  private static final RunExecutor.NextCommands NEXT = RunExecutor.NextCommands.same("resume r");

  @Test
  void defaultsWaitForAPersonAndRefuseStaleLeases() {
    EngineSettings s = EngineSettings.defaults(3, NEXT);
    assertEquals(ApprovalPolicy.WAIT_FOR_PERSON, s.approvals());
    assertEquals(EngineSettings.StaleLeases.REFUSE, s.staleLeases());
    assertEquals(Duration.ofMinutes(10), s.leaseTtl());
    assertEquals(Set.of(), s.secretNames());
  }

  @Test
  void invalidSettingsAreRefusedWhenBuilt() {
    assertThrows(IllegalArgumentException.class, () -> EngineSettings.defaults(0, NEXT));
    EngineSettings s = EngineSettings.defaults(1, NEXT);
    assertThrows(
        IllegalArgumentException.class,
        () -> s.withLeases(Duration.ZERO, EngineSettings.StaleLeases.REFUSE, s.leaseCommands()));
    assertThrows(
        NullPointerException.class,
        () -> s.withLeases(Duration.ofSeconds(1), null, s.leaseCommands()));
    assertThrows(NullPointerException.class, () -> EngineSettings.defaults(1, null));
  }

  @Test
  void settingsAreImmutable() {
    // given settings built from a mutable set of secret names
    Set<String> names = new HashSet<>(Set.of("db_password"));
    EngineSettings s = EngineSettings.defaults(1, NEXT).withSecretNames(names);
    // when the caller's set changes, then the settings do not
    names.add("other");
    assertEquals(Set.of("db_password"), s.secretNames());
    assertThrows(UnsupportedOperationException.class, () -> s.secretNames().add("x"));
    // and a copy with another policy leaves the original as it was
    EngineSettings auto = s.withApprovals(ApprovalPolicy.AUTO_APPROVE);
    assertEquals(ApprovalPolicy.WAIT_FOR_PERSON, s.approvals());
    assertEquals(ApprovalPolicy.AUTO_APPROVE, auto.approvals());
  }
}
