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
 * @param retryFailed plan {@code resume --retry-failed}: only the stored run's failed hosts, the
 *     others shown held back (an input error without a stored run)
 */
public record PlanRequest(
    RunRequest run, Optional<String> storedRunId, boolean check, boolean retryFailed) {
  /** Validates the fields. */
  public PlanRequest {
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(storedRunId, "storedRunId");
  }

  /** A plan of every host. */
  public PlanRequest(RunRequest run, Optional<String> storedRunId, boolean check) {
    this(run, storedRunId, check, false);
  }
}
