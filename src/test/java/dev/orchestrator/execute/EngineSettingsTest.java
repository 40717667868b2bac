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

  private static EngineSettings settings(
      int forks, Duration ttl, EngineSettings.StaleLeases stale, Set<String> secretNames) {
    return new EngineSettings(
        forks,
        ApprovalPolicy.WAIT_FOR_PERSON,
        ttl,
        stale,
        TestEngineSettings.PLAIN_LEASE_COMMANDS,
        secretNames,
        NEXT);
  }

  @Test
  void aLeaseLivesTenMinutesWithoutAHeartbeatByDefault() {
    // given the default lease TTL production builds its settings with; then it is 10 minutes
    assertEquals(Duration.ofMinutes(10), EngineSettings.DEFAULT_LEASE_TTL);
  }

  @Test
  void invalidSettingsAreRefusedWhenBuilt() {
    // given settings with no fork, a lease that never lives, or a missing part; when built; then
    // refused
    assertThrows(
        IllegalArgumentException.class,
        () -> settings(0, Duration.ofSeconds(1), EngineSettings.StaleLeases.REFUSE, Set.of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> settings(1, Duration.ZERO, EngineSettings.StaleLeases.REFUSE, Set.of()));
    assertThrows(
        NullPointerException.class, () -> settings(1, Duration.ofSeconds(1), null, Set.of()));
    assertThrows(
        NullPointerException.class,
        () ->
            new EngineSettings(
                1,
                ApprovalPolicy.WAIT_FOR_PERSON,
                Duration.ofSeconds(1),
                EngineSettings.StaleLeases.REFUSE,
                TestEngineSettings.PLAIN_LEASE_COMMANDS,
                Set.of(),
                null));
  }

  @Test
  void settingsAreImmutable() {
    // given settings built from a mutable set of secret names
    Set<String> names = new HashSet<>(Set.of("db_password"));
    EngineSettings s = settings(1, Duration.ofMinutes(1), EngineSettings.StaleLeases.REFUSE, names);
    // when the caller's set changes, then the settings do not
    names.add("other");
    assertEquals(Set.of("db_password"), s.secretNames());
    assertThrows(UnsupportedOperationException.class, () -> s.secretNames().add("x"));
  }
}
