package dev.orchestrator.playbook;

import dev.orchestrator.yaml.YamlMap;
import dev.orchestrator.yaml.YamlNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads the arguments of {@code group} as ansible-core 2.14's module declares them ({@code
 * lib/ansible/modules/group.py}, its {@code argument_spec}: {@code name} required, {@code state}
 * {@code present}/{@code absent}, {@code gid}, {@code system}, {@code non_unique} requiring {@code
 * gid}); a part of {@link StepModules}. {@code local} (libuser's {@code lgroupadd}) is refused.
 */
final class AccountModuleArgs {
  private static final Set<String> GROUP = Set.of("name", "state", "gid", "system", "non_unique");

  private final ModuleArgReader reader;

  AccountModuleArgs(ModuleArgReader reader) {
    this.reader = reader;
  }

  /** {@code group}. */
  Map<String, Object> group(YamlNode node, String where) {
    YamlMap m = ModuleArgReader.map(node, "group", "write e.g. group: {name: app, gid: 990}");
    m.entry("local")
        .ifPresent(
            e -> {
              throw e.key()
                  .error(
                      where + ": 'local' of group is not supported",
                      "remove it: groupadd manages the groups of /etc/group");
            });
    m.allowOnly(GROUP);
    Map<String, Object> args = new LinkedHashMap<>();
    if (m.get("name").isEmpty()) {
      throw node.error(where + " has no 'name'", "name the group: name: app");
    }
    args.put("name", reader.templated(m.get("name").get(), where, "name"));
    m.get("state")
        .ifPresent(
            v -> {
              String state = v.asString("state");
              if (!state.equals("present") && !state.equals("absent")) {
                throw v.error(
                    where + ": unknown state '" + state + "'", "write one of: absent, present");
              }
              args.put("state", state);
            });
    m.get("gid").ifPresent(v -> args.put("gid", reader.number(v, where, "gid", 0, 2_147_483_647)));
    m.get("system").ifPresent(v -> args.put("system", reader.bool(v, where, "system")));
    m.get("non_unique").ifPresent(v -> args.put("non_unique", reader.bool(v, where, "non_unique")));
    if (Boolean.TRUE.equals(args.get("non_unique")) && !args.containsKey("gid")) {
      throw m.entry("non_unique")
          .orElseThrow()
          .key()
          .error(where + ": 'non_unique' needs 'gid'", "give the gid to share: gid: 990");
    }
    return args;
  }
}
