package dev.orchestrator.plan;

import dev.orchestrator.inventory.Inventory;
import dev.orchestrator.playbook.Playbook;
import dev.orchestrator.state.RunState;
import java.util.Map;
import java.util.Optional;

/**
 * Builds a {@link PlanInput} for tests, naming only what a test sets. Defaults: no extra vars, no
 * {@code --limit}, run id {@code r1}, no run state, {@link PlanOptions#DEFAULT}.
 */
public final class PlanInputs {
  private final Playbook playbook;
  private final Inventory inventory;
  private Map<String, ?> vars = Map.of();
  private Optional<String> limit = Optional.empty();
  private String runId = "r1";
  private Optional<RunState> state = Optional.empty();
  private PlanOptions options = PlanOptions.DEFAULT;

  private PlanInputs(Playbook playbook, Inventory inventory) {
    this.playbook = playbook;
    this.inventory = inventory;
  }

  /** Starts an input for this playbook and inventory, with the defaults. */
  public static PlanInputs of(Playbook playbook, Inventory inventory) {
    return new PlanInputs(playbook, inventory);
  }

  /** Sets the extra vars ({@code -e}). */
  public PlanInputs vars(Map<String, ?> extraVars) {
    this.vars = extraVars;
    return this;
  }

  /** Sets {@code --limit}. */
  public PlanInputs limit(String pattern) {
    return limit(Optional.of(pattern));
  }

  /** Sets {@code --limit}, or none. */
  public PlanInputs limit(Optional<String> pattern) {
    this.limit = pattern;
    return this;
  }

  /** Sets the run id. */
  public PlanInputs runId(String id) {
    this.runId = id;
    return this;
  }

  /** Plans against this run's checkpoints. */
  public PlanInputs state(RunState run) {
    return state(Optional.of(run));
  }

  /** Plans against this run's checkpoints, or none. */
  public PlanInputs state(Optional<RunState> run) {
    this.state = run;
    return this;
  }

  /** Sets the options. */
  public PlanInputs options(PlanOptions planOptions) {
    this.options = planOptions;
    return this;
  }

  /** Returns the input. */
  public PlanInput build() {
    return new PlanInput(playbook, inventory, vars, limit, runId, state, options);
  }
}
