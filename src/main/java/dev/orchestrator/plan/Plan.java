package dev.orchestrator.plan;

import dev.orchestrator.playbook.Playbook;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What will run where: stages → batches → hosts → steps, each with its prediction. {@code plan}
 * prints it; {@code run} and {@code resume} execute this very object.
 *
 * @param playbook the playbook
 * @param runId the run whose checkpoints the plan took into account, if any
 * @param stages the stages, in order
 */
public record Plan(Playbook playbook, Optional<String> runId, List<PlannedStage> stages) {
  /** Validates the fields. */
  public Plan {
    Objects.requireNonNull(playbook, "playbook");
    Objects.requireNonNull(runId, "runId");
    stages = List.copyOf(stages);
  }

  /** Returns every planned host, in execution order. */
  public Stream<PlannedHost> hosts() {
    return stages.stream().flatMap(s -> s.batches().stream()).flatMap(b -> b.hosts().stream());
  }

  /** Returns whether any step on any host still needs work. */
  public boolean needsWork() {
    return hosts().anyMatch(PlannedHost::needsWork);
  }
}
