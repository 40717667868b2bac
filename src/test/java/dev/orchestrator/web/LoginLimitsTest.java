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
}
