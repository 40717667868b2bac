package dev.orchestrator.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.playbook.Role;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Sessions end when idle and when old; their CSRF token is theirs alone. */
class SessionsTest {
  /** A clock the test moves. */
  static final class TestClock extends Clock {
    Instant now = Instant.parse("2026-11-24T10:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  final TestClock clock = new TestClock();
  final Sessions sessions = new Sessions(clock);
  final User alice = new User("alice", Role.APPROVER, "$argon2id$x", Optional.empty());

  @Test
  void anIdleSessionEnds() {
    String id = sessions.start(alice);
    clock.now = clock.now.plus(Sessions.IDLE.minusSeconds(1));
    assertTrue(sessions.get(id).isPresent(), "used just in time: its idle time starts again");
    clock.now = clock.now.plus(Sessions.IDLE.minusSeconds(1));
    assertTrue(sessions.get(id).isPresent());
    clock.now = clock.now.plus(Sessions.IDLE.plusSeconds(1));
    assertTrue(sessions.get(id).isEmpty(), "idle too long");
  }

  @Test
  void anOldSessionEndsEvenWhenUsed() {
    String id = sessions.start(alice);
    Duration step = Sessions.IDLE.dividedBy(2);
    Instant end = clock.now.plus(Sessions.MAX_AGE);
    while (clock.now.plus(step).isBefore(end)) {
      clock.now = clock.now.plus(step);
      assertTrue(sessions.get(id).isPresent());
    }
    clock.now = end.plusSeconds(1);
    assertTrue(sessions.get(id).isEmpty(), "older than MAX_AGE");
  }

  @Test
  void theCsrfTokenMatchesOnlyItself() {
    String id = sessions.start(alice);
    Sessions.Session s = sessions.get(id).orElseThrow();
    assertTrue(s.csrfMatches(s.csrf()));
    assertFalse(s.csrfMatches(null));
    assertFalse(s.csrfMatches(""));
    assertFalse(s.csrfMatches(s.csrf() + "x"));
    String other = sessions.start(alice);
    assertFalse(sessions.get(other).orElseThrow().csrfMatches(s.csrf()), "one token per session");
  }

  @Test
  void logoutEndsTheSessionAndUnknownIdsHaveNone() {
    String id = sessions.start(alice);
    sessions.end(id);
    assertTrue(sessions.get(id).isEmpty());
    assertTrue(sessions.get("made-up").isEmpty());
    assertTrue(sessions.get(null).isEmpty());
  }
}
