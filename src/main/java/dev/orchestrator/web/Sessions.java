package dev.orchestrator.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's sessions, in memory (a restart of {@code serve} logs everyone out): a random id
 * (the cookie's value) names the user and the session's CSRF token. A session ends after {@link
 * #IDLE} without a request or {@link #MAX_AGE} after login, whichever is first (OWASP Session
 * Management Cheat Sheet: idle and absolute timeouts).
 */
final class Sessions {
  /** A session unused this long ends. */
  static final Duration IDLE = Duration.ofHours(1);

  /** A session ends this long after login, used or not. */
  static final Duration MAX_AGE = Duration.ofHours(12);

  /**
   * One login.
   *
   * @param user who logged in
   * @param csrf the token every state-changing request of this session carries
   * @param created when the user logged in
   */
  record Session(User user, String csrf, Instant created) {
    Session {
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(csrf, "csrf");
      Objects.requireNonNull(created, "created");
    }

    /** Whether {@code token} is this session's CSRF token (compared in constant time). */
    boolean csrfMatches(String token) {
      return token != null
          && MessageDigest.isEqual(
              csrf.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
    }
  }

  private record Entry(Session session, Instant lastSeen) {}

  private final Map<String, Entry> byId = new ConcurrentHashMap<>();
  private final Clock clock;

  Sessions(Clock clock) {
    this.clock = clock;
  }

  /** Starts a session; returns its id (the cookie's value). */
  String start(User user) {
    String id = Users.randomSecret();
    Instant now = clock.instant();
    byId.put(id, new Entry(new Session(user, Users.randomSecret(), now), now));
    return id;
  }

  /** The live session of an id, touched (its idle time starts again). */
  Optional<Session> get(String id) {
    if (id == null) {
      return Optional.empty();
    }
    Entry e = byId.get(id);
    Instant now = clock.instant();
    if (e == null) {
      return Optional.empty();
    }
    if (now.isAfter(e.lastSeen().plus(IDLE)) || now.isAfter(e.session().created().plus(MAX_AGE))) {
      byId.remove(id);
      return Optional.empty();
    }
    byId.put(id, new Entry(e.session(), now));
    return Optional.of(e.session());
  }

  /** Ends a session. */
  void end(String id) {
    if (id != null) {
      byId.remove(id);
    }
  }
}
