package dev.orchestrator.app;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The commands that errors, refusals and pauses show as "what to do next", in the caller's terms
 * (the CLI's command lines; a web interface would give its own). The service never formats them
 * itself.
 */
public interface CommandHints {
  /** The program as the user starts it, e.g. {@code orchestrator} or {@code ./orchestrator}. */
  String program();

  /**
   * {@code PROGRAM VERB RUN_ID} with the state location when it is not the default.
   *
   * @param verb e.g. {@code resume}, {@code abort}
   * @param runId the run
   */
  String command(String verb, String runId);

  /**
   * The command that releases a host's lease, whichever run holds it.
   *
   * @param host the host
   * @param inventories the inventory sources the host is in ({@code -i}, in order)
   * @param knownHosts the known_hosts file in use, if not the default
   */
  String unlock(String host, List<Path> inventories, Optional<Path> knownHosts);

  /**
   * The command that shows what changed in a stored run's playbook ({@code plan --run}).
   *
   * @param playbook the run's playbook file
   * @param inventories the run's inventory sources ({@code -i}, in order)
   * @param runId the run
   */
  String planRun(String playbook, List<String> inventories, String runId);

  /** The command a pause shows to continue the run; {@link #command} {@code resume} by default. */
  default String resume(String runId) {
    return command("resume", runId);
  }

  /** The command a pause at an approval gate shows; {@link #command} {@code approve} by default. */
  default String approve(String runId) {
    return command("approve", runId);
  }
}
