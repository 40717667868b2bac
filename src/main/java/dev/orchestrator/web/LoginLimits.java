package dev.orchestrator.web;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most {@link #PER_MINUTE} login attempts (and wrong API tokens) a minute per remote address
 * (OWASP Authentication Cheat Sheet: throttle password guessing): a Bucket4j token bucket per
 * address, refilled whole a minute after its first attempt, so that the allowance does not depend
 * on where a burst falls against a clock tick.
 */
final class LoginLimits {
  /** Login attempts allowed per address and minute. */
  static final int PER_MINUTE = 10;

  /** Addresses remembered at most; past that the buckets start again (memory stays bounded). */
  static final int MAX_ADDRESSES = 10_000;

  private final Map<String, Bucket> byAddress = new ConcurrentHashMap<>();
  private final io.github.bucket4j.TimeMeter time;

  /** Limits on the system clock. */
  LoginLimits() {
    this(io.github.bucket4j.TimeMeter.SYSTEM_MILLISECONDS);
  }

  /** Limits on {@code time} (tests move it). */
  LoginLimits(io.github.bucket4j.TimeMeter time) {
    this.time = time;
  }

  /** Whether an attempt from {@code address} may go on now (it is counted). */
  boolean tryAttempt(String address) {
    return bucket(address).tryConsume(1);
  }

  /**
   * Whether {@code address} has attempts left now (nothing is counted): an API token is checked
   * only then, and only a wrong one counts ({@link #countFailure}), so that CI's many calls with a
   * good token are never limited while guesses share the logins' allowance.
   */
  boolean allows(String address) {
    return bucket(address).getAvailableTokens() > 0;
  }

  /** Counts a failed attempt (a wrong API token) from {@code address}. */
  void countFailure(String address) {
    bucket(address).tryConsume(1);
  }

  private Bucket bucket(String address) {
    if (byAddress.size() > MAX_ADDRESSES) {
      byAddress.clear();
    }
    return byAddress.computeIfAbsent(
        address,
        a ->
            Bucket.builder()
                .withCustomTimePrecision(time)
                .addLimit(
                    Bandwidth.builder()
                        .capacity(PER_MINUTE)
                        .refillIntervally(PER_MINUTE, Duration.ofMinutes(1))
                        .build())
                .build());
  }
}
