package dev.orchestrator.rollout;

import java.util.Objects;

/** What an execution of a plan is: the rollout itself, or the rollback of {@code abort}. */
public sealed interface RunMode {
  /** The rollout ({@code run}, {@code resume}, {@code sandbox}). */
  record Forward() implements RunMode {}

  /**
   * {@code abort --rollback}: the run ends aborted, rolled back or not ({@link Rollout#ending}).
   *
   * @param abortedBy who aborted, as the journal says it, e.g. {@code aborted by alice}
   */
  record Rollback(String abortedBy) implements RunMode {
    /** Validates the fields. */
    public Rollback {
      Objects.requireNonNull(abortedBy, "abortedBy");
      if (abortedBy.isBlank()) {
        throw new IllegalArgumentException("abortedBy must not be blank");
      }
    }
  }

  /** The rollout. */
  RunMode FORWARD = new Forward();
}
