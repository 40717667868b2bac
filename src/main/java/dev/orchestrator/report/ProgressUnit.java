package dev.orchestrator.report;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.orchestrator.common.Labelled;

/** What a {@link Event.StepProgress} counts ({@code unit} in JSON, the {@link #label()}). */
public enum ProgressUnit implements Labelled {
  /** Items of the step's own choosing ({@code ::progress DONE/TOTAL}). */
  ITEMS,
  /** Bytes of an upload. */
  BYTES;

  /** The JSON spelling: the lower-case name. */
  @JsonValue
  @Override
  public String label() {
    return Labelled.lowerCase(this);
  }

  /**
   * Reads an event's spelling (also the Java name, in any case).
   *
   * @throws IllegalArgumentException if it names no unit
   */
  @JsonCreator
  public static ProgressUnit of(String text) {
    return Labelled.parse(ProgressUnit.class, text);
  }
}
