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
 * @param unreadable where and why stored runs could not be read ({@code FILE:LINE:COLUMN: reason})
 */
public record RunView(String root, List<RunInfo> runs, List<String> unreadable) {
  /** Copies the lists. */
  public RunView {
    Objects.requireNonNull(root, "root");
    runs = List.copyOf(runs);
    unreadable = List.copyOf(unreadable);
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
