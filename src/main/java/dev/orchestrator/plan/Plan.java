package dev.orchestrator.plan;

import dev.orchestrator.playbook.Playbook;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What will run where: stages → batches → hosts → steps, each with its prediction. {@code plan}
 * prints it; {@code run} and {@code resume} execute this very object.
 *
 * @param playbook the playbook
 * @param runId the run whose checkpoints the plan took into account, if any
 * @param stages the stages, in order
 * @param hostOrder the planned hosts' names in inventory order, the order in which the recap and
 *     the report list them (execution order is by stage first), each once: a host in several plays
 *     of an Ansible playbook is planned in each of their stages
 * @param heldBack the hosts with work to do that {@code --retry-failed} holds back: the run leaves
 *     them as they are and stays paused (README, "Failure and recovery"); empty otherwise
 */
public record Plan(
    Playbook playbook,
    Optional<String> runId,
    List<PlannedStage> stages,
    List<String> hostOrder,
    Set<String> heldBack) {
  /**
   * Validates the fields.
   *
   * @throws IllegalArgumentException if {@code hostOrder} is not exactly the planned hosts, or a
   *     held-back host is not a planned host with work to do
   */
  public Plan {
    Objects.requireNonNull(playbook, "playbook");
    Objects.requireNonNull(runId, "runId");
    stages = List.copyOf(stages);
    hostOrder = List.copyOf(hostOrder);
    heldBack = Set.copyOf(heldBack);
    List<String> planned =
        stages.stream()
            .flatMap(s -> s.batches().stream())
            .flatMap(b -> b.hosts().stream())
            .map(h -> h.host().name())
            .distinct()
            .toList();
    if (hostOrder.size() != planned.size()
        || !new java.util.HashSet<>(hostOrder).equals(new java.util.HashSet<>(planned))) {
      throw new IllegalArgumentException(
          "hostOrder " + hostOrder + " is not an order of the planned hosts " + planned);
    }
    Set<String> withWork =
        stages.stream()
            .flatMap(s -> s.batches().stream())
            .flatMap(b -> b.hosts().stream())
            .filter(PlannedHost::needsWork)
            .map(h -> h.host().name())
            .collect(java.util.stream.Collectors.toSet());
    if (!withWork.containsAll(heldBack)) {
      throw new IllegalArgumentException(
          "held back hosts " + heldBack + " are not all planned hosts with work " + withWork);
    }
  }

  /** A plan that holds no host back. */
  public Plan(
      Playbook playbook,
      Optional<String> runId,
      List<PlannedStage> stages,
      List<String> hostOrder) {
    this(playbook, runId, stages, hostOrder, Set.of());
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
            .distinct()
            .toList());
  }

  /**
   * Returns every planned host, in execution order: a host in several plays once per play (its
   * steps of that play).
   */
  public Stream<PlannedHost> hosts() {
    return stages.stream().flatMap(s -> s.batches().stream()).flatMap(b -> b.hosts().stream());
  }

  /** Returns whether {@code --retry-failed} holds {@code host} back (it has work but waits). */
  public boolean heldBack(PlannedHost host) {
    return heldBack.contains(host.host().name());
  }

  /** Returns whether the run works on {@code host}: it needs work and is not held back. */
  public boolean worksOn(PlannedHost host) {
    return host.needsWork() && !heldBack(host);
  }

  /** Returns whether any step on any host still needs work. */
  public boolean needsWork() {
    return hosts().anyMatch(PlannedHost::needsWork);
  }
}
