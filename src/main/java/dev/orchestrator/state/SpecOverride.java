package dev.orchestrator.state;

import java.time.Instant;
import java.util.Objects;

/**
 * An operator replaced a setting the run was started with, on a later command (e.g. {@code resume
 * --known-hosts FILE} after the known_hosts file moved). Recorded in the journal for the audit
 * trail; the run's {@link RunSpec} in {@code run.json} holds the new value from then on.
 *
 * @param option the command-line option, e.g. {@code --known-hosts}
 * @param previous the value the run had, as text ({@code (default)} when unset)
 * @param value the new value, as text
 * @param by who ({@code user@host})
 * @param at when
 */
public record SpecOverride(String option, String previous, String value, String by, Instant at) {
  /** Validates the fields. */
  public SpecOverride {
    Objects.requireNonNull(option, "option");
    Objects.requireNonNull(previous, "previous");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(by, "by");
    Objects.requireNonNull(at, "at");
  }
}
