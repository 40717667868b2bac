package dev.orchestrator.state;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a run was started with, so that {@code resume} can rebuild the same plan. Secret extra vars
 * are never stored: {@link #secretVarNames()} lists them so resume can ask for them again.
 *
 * @param playbook the playbook path, absolute
 * @param inventory the inventory path, absolute
 * @param extraVars the non-secret {@code -e} vars
 * @param secretVarNames the names of {@code -e} vars that were secret (values not stored)
 * @param limit the {@code --limit} pattern, if any
 * @param forks the maximum number of hosts worked on at once, at least 1
 * @param knownHosts the known_hosts file, if not the default
 * @param acceptNewHostKeys whether unknown host keys are recorded instead of refused
 */
public record RunSpec(
    String playbook,
    String inventory,
    Map<String, String> extraVars,
    java.util.List<String> secretVarNames,
    Optional<String> limit,
    int forks,
    Optional<String> knownHosts,
    boolean acceptNewHostKeys) {
  /** Validates the fields. */
  public RunSpec {
    Objects.requireNonNull(playbook, "playbook");
    Objects.requireNonNull(inventory, "inventory");
    extraVars = Map.copyOf(extraVars);
    secretVarNames = java.util.List.copyOf(secretVarNames);
    Objects.requireNonNull(limit, "limit");
    Objects.requireNonNull(knownHosts, "knownHosts");
    if (forks < 1) {
      throw new IllegalArgumentException("forks must be at least 1");
    }
  }
}
