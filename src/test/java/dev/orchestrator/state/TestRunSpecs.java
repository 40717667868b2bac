package dev.orchestrator.state;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Run specs for tests, with the defaults production never uses: no recorded starter, and the short
 * form of one inventory source without tags, expensive steps or files. Production builds every
 * {@link RunSpec} with all its fields ({@code app.RunInputs}); these were {@code RunSpec}'s 14- and
 * 8-argument constructors, used only by tests (issue 23).
 */
public final class TestRunSpecs {
  private TestRunSpecs() {}

  /** A spec without a recorded starter. */
  public static RunSpec of(
      String playbook,
      List<String> inventories,
      Map<String, String> extraVars,
      List<String> secretVarNames,
      Optional<String> limit,
      int forks,
      Optional<String> knownHosts,
      boolean acceptNewHostKeys,
      List<String> tags,
      List<String> skipTags,
      boolean includeExpensive,
      List<String> varsFiles,
      List<String> secretsFiles,
      boolean sshExecPerStep) {
    return new RunSpec(
        playbook,
        inventories,
        extraVars,
        secretVarNames,
        limit,
        forks,
        knownHosts,
        acceptNewHostKeys,
        tags,
        skipTags,
        includeExpensive,
        varsFiles,
        secretsFiles,
        sshExecPerStep,
        "");
  }

  /**
   * A spec of one inventory source without tag selection, expensive steps or files, with one
   * long-lived shell per SSH host and no recorded starter.
   */
  public static RunSpec of(
      String playbook,
      String inventory,
      Map<String, String> extraVars,
      List<String> secretVarNames,
      Optional<String> limit,
      int forks,
      Optional<String> knownHosts,
      boolean acceptNewHostKeys) {
    return of(
        playbook,
        List.of(inventory),
        extraVars,
        secretVarNames,
        limit,
        forks,
        knownHosts,
        acceptNewHostKeys,
        List.of(),
        List.of(),
        false,
        List.of(),
        List.of(),
        false);
  }
}
