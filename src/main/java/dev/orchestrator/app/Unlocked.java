package dev.orchestrator.app;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@link Orchestrator#unlock} did.
 *
 * @param leasePath the lease file on the host
 * @param lease the lease it released (the file's line), empty when there was none
 * @param recordedIn the run of this state store the release was recorded in, if any
 */
public record Unlocked(String leasePath, Optional<String> lease, Optional<String> recordedIn) {
  /** Validates the fields. */
  public Unlocked {
    Objects.requireNonNull(leasePath, "leasePath");
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(recordedIn, "recordedIn");
  }
}
