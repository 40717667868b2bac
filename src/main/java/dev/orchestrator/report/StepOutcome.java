package dev.orchestrator.report;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.orchestrator.common.Labelled;

/**
 * How an attempt of a step ended, as a {@link Event.StepFinished} reports it ({@code status} in
 * JSON, the {@link #label()}).
 */
public enum StepOutcome implements Labelled {
  /** Exit code 0 (and its checks passed). */
  SUCCEEDED("succeeded"),
  /** Failed after its retries: the host pauses at the step. */
  FAILED("failed"),
  /**
   * Failed, and its {@code ignore_errors} lets the host go on: Ansible's {@code FAILED! ...
   * ...ignoring}, counted in its recap's {@code ok} and {@code ignored}.
   */
  IGNORED("ignored"),
  /** Not run: its condition was false, its {@code creates} exists, or the operator skipped it. */
  SKIPPED("skipped"),
  /** This attempt failed; the step runs again after its delay. */
  RETRYING("retrying"),
  /** The connection dropped while the step ran: its outcome is unknown. */
  LOST("lost"),
  /** A step that cannot simply run again was interrupted: an operator decides on resume. */
  IN_DOUBT("in doubt");

  private final String label;

  StepOutcome(String label) {
    this.label = label;
  }

  /** The JSON spelling, e.g. {@code in doubt}. */
  @JsonValue
  @Override
  public String label() {
    return label;
  }

  /**
   * Reads an event's spelling (also the Java name, in any case).
   *
   * @throws IllegalArgumentException if it names no outcome
   */
  @JsonCreator
  public static StepOutcome of(String text) {
    return Labelled.parse(StepOutcome.class, text);
  }
}
