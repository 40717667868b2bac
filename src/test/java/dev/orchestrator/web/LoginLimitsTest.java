package dev.orchestrator.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Ten login attempts a minute per address, whatever the clock's second hand says. */
class LoginLimitsTest {
  /** A clock the test moves, in nanoseconds. */
  static final class TestTime implements TimeMeter {
    long nanos = 1_000_000_000L;

    @Override
    public long currentTimeNanos() {
      return nanos;
    }

    @Override
    public boolean isWallClockBased() {
      return false;
    }
  }

  final TestTime time = new TestTime();
  final LoginLimits limits = new LoginLimits(time);

  @Test
  void tenAttemptsAMinuteThenRefusedUntilTheMinuteIsOver() {
    for (int i = 0; i < LoginLimits.PER_MINUTE; i++) {
      assertTrue(limits.tryAttempt("10.0.0.5"), "attempt " + (i + 1));
    }
    assertFalse(limits.tryAttempt("10.0.0.5"));
    assertTrue(limits.tryAttempt("10.0.0.6"), "another address has its own allowance");
    time.nanos += Duration.ofSeconds(59).toNanos();
    assertFalse(limits.tryAttempt("10.0.0.5"), "still within the minute");
    time.nanos += Duration.ofSeconds(1).toNanos();
    assertTrue(limits.tryAttempt("10.0.0.5"), "a minute after the first attempt");
  }

  @Test
  void wrongTokensShareTheLoginsAllowanceWhileLookingCountsNothing() {
    // given five logins and a hundred looks (right tokens are only looked at, never counted)
    for (int i = 0; i < 5; i++) {
      limits.tryAttempt("10.0.0.7");
    }
    for (int i = 0; i < 100; i++) {
      assertTrue(limits.allows("10.0.0.7"), "look " + i);
    }
    // when five wrong tokens count
    for (int i = 0; i < 5; i++) {
      limits.countFailure("10.0.0.7");
    }
    // then the address has no attempt left, for tokens and logins alike, until the minute is over
    assertFalse(limits.allows("10.0.0.7"));
    assertFalse(limits.tryAttempt("10.0.0.7"));
    time.nanos += Duration.ofMinutes(1).toNanos();
    assertTrue(limits.allows("10.0.0.7"));
  }
}
