package dev.orchestrator.app;

import dev.orchestrator.state.RunInfo;
import dev.orchestrator.state.RunState;
import java.util.List;
import java.util.Objects;

/**
 * What the state store holds about runs, for {@code status} and {@code logs}.
 *
 * @param root where the state store is ({@link dev.orchestrator.state.StateStore#location}: its
 *     folder, absolute, or its database's URL)
 * @param runs the runs, or one run's summary
 */
public record RunView(String root, List<RunInfo> runs) {
  /** Copies the list. */
  public RunView {
    Objects.requireNonNull(root, "root");
    runs = List.copyOf(runs);
  }

  /**
   * One run as stored.
   *
   * @param state its checkpoints, host records and leases
   */
  public record Run(RunState state) {
    /** Validates the fields. */
    public Run {
      Objects.requireNonNull(state, "state");
    }
  }
}
