package dev.orchestrator.plan;

import dev.orchestrator.inventory.Inventory;
import dev.orchestrator.playbook.Playbook;
import dev.orchestrator.state.RunState;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the {@link Planner} plans from, as one value: {@link Planner#plan}, {@link
 * Planner#planHost} and {@link Planner#planRollback} each take one. The application builds it from
 * the run's request (a new run) or its stored spec (resume, approve, abort, a worker's claim).
 *
 * @param playbook the playbook
 * @param inventory the inventory
 * @param extraVars the {@code -e} vars, highest precedence (see {@link Planner}); copied, in their
 *     order
 * @param limit an extra host pattern every host must match ({@code --limit}), if any; a rollback
 *     ignores it (it covers every host past the rollback mark)
 * @param runId the run id, given to templates as {@code run_id}; a placeholder such as {@code (new
 *     run)} when the run has none yet
 * @param state the run's checkpoints when resuming or planning against a run, if any; required by
 *     {@link Planner#planRollback} and by {@link PlanOptions.Scope#FAILED_HOSTS_ONLY}
 * @param options tags, expensive steps, reruns, probe results and host scope; a rollback ignores
 *     them
 */
public record PlanInput(
    Playbook playbook,
    Inventory inventory,
    Map<String, ?> extraVars,
    Optional<String> limit,
    String runId,
    Optional<RunState> state,
    PlanOptions options) {
  /**
   * Validates the fields and copies {@code extraVars} (in their order, null values kept).
   *
   * @throws NullPointerException when a field is null
   * @throws IllegalArgumentException when {@code runId} is blank
   */
  public PlanInput {
    Objects.requireNonNull(playbook, "playbook");
    Objects.requireNonNull(inventory, "inventory");
    Objects.requireNonNull(extraVars, "extraVars");
    Objects.requireNonNull(limit, "limit");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(options, "options");
    if (runId.isBlank()) {
      throw new IllegalArgumentException("runId is blank");
    }
    extraVars = Collections.unmodifiableMap(new LinkedHashMap<>(extraVars));
  }
}
