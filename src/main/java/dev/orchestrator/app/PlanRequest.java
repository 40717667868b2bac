package dev.orchestrator.app;

import java.util.Objects;
import java.util.Optional;

/**
 * A plan (the dry run): a new run's, or with {@code storedRunId} the rest of a stored run against
 * its checkpoints (its stored variables, tags and limit apply unless given again).
 *
 * @param run the run as asked for (the stored run's settings fill in what it leaves unset)
 * @param storedRunId the stored run, if any
 * @param check whether to connect and run the read-only probes
 */
public record PlanRequest(RunRequest run, Optional<String> storedRunId, boolean check) {
  /** Validates the fields. */
  public PlanRequest {
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(storedRunId, "storedRunId");
  }
}
