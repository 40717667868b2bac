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
 * @param hostOrder the planned hosts' names in inventory order, the order in which the recap and
 *     the report list them (execution order is by stage first)
 */
public record Plan(
    Playbook playbook, Optional<String> runId, List<PlannedStage> stages, List<String> hostOrder) {
  /**
   * Validates the fields.
   *
   * @throws IllegalArgumentException if {@code hostOrder} is not exactly the planned hosts
   */
  public Plan {
    Objects.requireNonNull(playbook, "playbook");
    Objects.requireNonNull(runId, "runId");
    stages = List.copyOf(stages);
    hostOrder = List.copyOf(hostOrder);
    List<String> planned =
        stages.stream()
            .flatMap(s -> s.batches().stream())
            .flatMap(b -> b.hosts().stream())
            .map(h -> h.host().name())
            .toList();
    if (hostOrder.size() != planned.size()
        || !new java.util.HashSet<>(hostOrder).equals(new java.util.HashSet<>(planned))) {
      throw new IllegalArgumentException(
          "hostOrder " + hostOrder + " is not an order of the planned hosts " + planned);
    }
  }

  /** A plan whose hosts are listed in execution order. */
  public Plan(Playbook playbook, Optional<String> runId, List<PlannedStage> stages) {
    this(
        playbook,
        runId,
        stages,
        stages.stream()
            .flatMap(s -> s.batches().stream())
            .flatMap(b -> b.hosts().stream())
            .map(h -> h.host().name())
            .toList());
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
