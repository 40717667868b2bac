package dev.orchestrator.app;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Plain CLI command lines as the service's next-step hints, for tests that call it directly. */
public final class TestHints {
  private TestHints() {}

  /** {@code orchestrator VERB RUN_ID}, {@code orchestrator unlock HOST}, ... */
  public static final CommandHints PLAIN =
      new CommandHints() {
        @Override
        public String program() {
          return "orchestrator";
        }

        @Override
        public String command(String verb, String runId) {
          return "orchestrator " + verb + " " + runId;
        }

        @Override
        public String unlock(String host, List<Path> inventories, Optional<Path> knownHosts) {
          return "orchestrator unlock " + host;
        }

        @Override
        public String planRun(String playbook, List<String> inventories, String runId) {
          return "orchestrator plan " + playbook + " --run " + runId;
        }
      };
}
