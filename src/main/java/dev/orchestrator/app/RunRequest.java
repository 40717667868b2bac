package dev.orchestrator.app;

import dev.orchestrator.common.InputException;
import dev.orchestrator.rollout.ApprovalPolicy;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A new run (or its plan, or its validation) as a caller asks for it: plain values, no command-line
 * types. The variables are merged by precedence once, by the service ({@link RunInputs}); secret
 * values are never stored with the run.
 *
 * @param playbook the playbook file
 * @param inventories the inventory sources ({@code -i}: files or folders), in order, at least one
 * @param limit the host pattern (Ansible's), if any
 * @param vars the variables given
 * @param selection the steps selected by tag
 * @param connection how SSH hosts are reached
 * @param forks hosts worked on (or probed) at once, at least 1
 * @param state where runs and checkpoints are kept, and the local folder (artifacts)
 * @param takeOver whether stale leases of other machines' runs are taken over
 * @param approval who decides at approval gates
 * @param hints the commands shown as next steps
 * @param verbosity ansible-playbook's {@code -v} count: from 1 each step's output is shown under
 *     its line ({@link dev.orchestrator.report.Event.StepOutput}); 0 without
 */
public record RunRequest(
    Path playbook,
    java.util.List<Path> inventories,
    Optional<String> limit,
    VarsInput vars,
    Selection selection,
    ConnectionSettings connection,
    int forks,
    StateLocation state,
    boolean takeOver,
    ApprovalPolicy approval,
    CommandHints hints,
    int verbosity) {
  /**
   * Validates the fields.
   *
   * @throws InputException when {@code forks} is below 1 or no inventory is given
   */
  public RunRequest {
    Objects.requireNonNull(playbook, "playbook");
    inventories = java.util.List.copyOf(inventories);
    if (inventories.isEmpty()) {
      throw new InputException("no inventory given", "name one with -i FILE (or -i FOLDER)");
    }
    Objects.requireNonNull(limit, "limit");
    Objects.requireNonNull(vars, "vars");
    Objects.requireNonNull(selection, "selection");
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(approval, "approval");
    Objects.requireNonNull(hints, "hints");
    if (forks < 1) {
      throw new InputException("--forks must be at least 1, got " + forks, "write e.g. --forks 10");
    }
    if (verbosity < 0) {
      throw new IllegalArgumentException("verbosity must not be negative, got " + verbosity);
    }
  }

  /** A request without {@code -v}. */
  public RunRequest(
      Path playbook,
      java.util.List<Path> inventories,
      Optional<String> limit,
      VarsInput vars,
      Selection selection,
      ConnectionSettings connection,
      int forks,
      StateLocation state,
      boolean takeOver,
      ApprovalPolicy approval,
      CommandHints hints) {
    this(
        playbook,
        inventories,
        limit,
        vars,
        selection,
        connection,
        forks,
        state,
        takeOver,
        approval,
        hints,
        0);
  }

  /** This request with {@code -v}'s count. */
  public RunRequest withVerbosity(int level) {
    return new RunRequest(
        playbook,
        inventories,
        limit,
        vars,
        selection,
        connection,
        forks,
        state,
        takeOver,
        approval,
        hints,
        level);
  }
}
