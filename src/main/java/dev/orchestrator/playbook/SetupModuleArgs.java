package dev.orchestrator.playbook;

import dev.orchestrator.yaml.YamlMap;
import dev.orchestrator.yaml.YamlNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads the arguments of {@code setup} as a task, as ansible-core 2.14's module declares them
 * ({@code lib/ansible/modules/setup.py}: {@code gather_subset} (a list, default {@code all}),
 * {@code gather_timeout} (10), {@code filter} (a list of {@code fnmatch} patterns)); {@code
 * fact_path} (local facts) is refused. A part of {@link StepModules}.
 */
final class SetupModuleArgs {
  private final ModuleArgReader reader;

  SetupModuleArgs(ModuleArgReader reader) {
    this.reader = reader;
  }

  /** {@code setup}; no arguments at all is the common form ({@code setup:}). */
  Map<String, Object> setup(YamlNode node, String where) {
    Map<String, Object> args = new LinkedHashMap<>();
    if (node.isNull()) {
      return args;
    }
    YamlMap m =
        ModuleArgReader.map(node, "setup", "write e.g. setup: {filter: [ansible_os_family]}");
    m.entry("fact_path")
        .ifPresent(
            e -> {
              throw e.key()
                  .error(
                      where + ": 'fact_path' of setup is not supported (no local facts)",
                      "read the file with a command step and register it");
            });
    m.allowOnly(Set.of("gather_subset", "gather_timeout", "filter"));
    m.get("gather_subset")
        .ifPresent(v -> args.put("gather_subset", reader.templated(v, where, "gather_subset")));
    m.get("filter").ifPresent(v -> args.put("filter", reader.templated(v, where, "filter")));
    m.get("gather_timeout")
        .ifPresent(
            v -> args.put("gather_timeout", reader.number(v, where, "gather_timeout", 1, 86_400)));
    return args;
  }
}
