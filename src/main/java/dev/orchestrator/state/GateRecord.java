package dev.orchestrator.state;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * The durable state of one gate of a run: waiting, passed, failed, approved or rejected. Approvals
 * are recorded here, so a pause for approval survives a controller restart.
 *
 * @param gate the gate's key, e.g. {@code production/before/0} or {@code production/batch-1/0}
 * @param state any state but {@link GateState#PENDING} (which is the absence of a record)
 * @param message details (who approved, which hosts failed which check), for the operator
 * @param at when
 * @param waitingSince when a wait gate's soak started (so a resumed run waits only the rest); empty
 *     for every other record. Written only when present: a journal line without it is one the
 *     previous version reads too.
 */
public record GateRecord(
    String gate,
    GateState state,
    String message,
    Instant at,
    @JsonInclude(JsonInclude.Include.NON_ABSENT) Optional<Instant> waitingSince) {

  /** The message of a soak's waiting record written before {@code waitingSince} existed. */
  private static final String OLD_SOAK_MESSAGE = "since ";

  /**
   * Validates the fields.
   *
   * @throws IllegalArgumentException if {@code state} is {@link GateState#PENDING}, or {@code
   *     waitingSince} is set on a record that is not {@link GateState#WAITING}
   */
  public GateRecord {
    Objects.requireNonNull(gate, "gate");
    Objects.requireNonNull(state, "state");
    if (state == GateState.PENDING) {
      throw new IllegalArgumentException("a gate record is never pending: " + gate);
    }
    message = message == null ? "" : message;
    Objects.requireNonNull(at, "at");
    waitingSince = waitingSince == null ? Optional.empty() : waitingSince;
    if (waitingSince.isPresent() && state != GateState.WAITING) {
      throw new IllegalArgumentException(
          "only a waiting gate record has a soak start: " + gate + " is " + state);
    }
  }

  /** A record without a soak start: any record but a wait gate's {@link GateState#WAITING}. */
  public GateRecord(String gate, GateState state, String message, Instant at) {
    this(gate, state, message, at, Optional.empty());
  }

  /**
   * A wait gate's record that its soak started at {@code since}. The message says so to the
   * operator ({@code since 2026-01-02T03:04:05Z}); the previous version reads the start from it.
   */
  public static GateRecord soaking(String gate, Instant since, Instant at) {
    return new GateRecord(
        gate, GateState.WAITING, OLD_SOAK_MESSAGE + since, at, Optional.of(since));
  }

  /**
   * Reads a stored record (file journal line or database row). A soak's waiting record written
   * before {@code waitingSince} existed kept its start only in its message, {@code since
   * <instant>}: it is read from there, so a run paused by the previous version resumes its soak
   * where it was. Any other message is left alone.
   */
  @JsonCreator
  static GateRecord read(
      @JsonProperty("gate") String gate,
      @JsonProperty("state") GateState state,
      @JsonProperty("message") String message,
      @JsonProperty("at") Instant at,
      @JsonProperty("waitingSince") Optional<Instant> waitingSince) {
    Optional<Instant> since = waitingSince == null ? Optional.empty() : waitingSince;
    if (since.isEmpty()
        && state == GateState.WAITING
        && message != null
        && message.startsWith(OLD_SOAK_MESSAGE)) {
      try {
        since = Optional.of(Instant.parse(message.substring(OLD_SOAK_MESSAGE.length())));
      } catch (DateTimeParseException e) {
        // an approval's question that happens to start with "since": no soak
      }
    }
    return new GateRecord(gate, state, message, at, since);
  }
}
