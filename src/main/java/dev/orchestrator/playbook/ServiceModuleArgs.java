package dev.orchestrator.playbook;

import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.yaml.YamlMap;
import dev.orchestrator.yaml.YamlNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the arguments of {@code systemd} (and its name {@code systemd_service}) and {@code service}
 * as ansible-core 2.14's modules declare them ({@code lib/ansible/modules/systemd.py} and {@code
 * service.py}, their {@code argument_spec}: names, aliases, choices, {@code required_one_of},
 * {@code required_by}); a part of {@link StepModules}. Aliases are stored under the argument's own
 * name ({@code unit}/{@code service} as {@code name}, {@code daemon-reload} as {@code
 * daemon_reload}).
 */
final class ServiceModuleArgs {
  /** The states both modules accept. */
  static final List<String> STATES = List.of("reloaded", "restarted", "started", "stopped");

  private static final Set<String> SYSTEMD =
      Set.of(
          "name",
          "unit",
          "service",
          "state",
          "enabled",
          "force",
          "masked",
          "daemon_reload",
          "daemon-reload",
          "daemon_reexec",
          "daemon-reexec",
          "scope",
          "no_block");

  private static final Set<String> SERVICE = Set.of("name", "state", "enabled", "sleep");

  private final ModuleArgReader reader;

  ServiceModuleArgs(ModuleArgReader reader) {
    this.reader = reader;
  }

  /** {@code systemd} / {@code systemd_service}. */
  Map<String, Object> systemd(YamlNode node, String where, String module) {
    YamlMap m =
        ModuleArgReader.map(
            node, module, "write e.g. " + module + ": {name: nginx, state: restarted}");
    m.allowOnly(SYSTEMD);
    Map<String, Object> args = new LinkedHashMap<>();
    aliased(m, where, args, "name", List.of("name", "service", "unit"));
    state(m, where, args);
    for (String flag : List.of("enabled", "force", "masked", "no_block")) {
      m.get(flag).ifPresent(v -> args.put(flag, reader.bool(v, where, flag)));
    }
    aliased(m, where, args, "daemon_reload", List.of("daemon_reload", "daemon-reload"));
    aliased(m, where, args, "daemon_reexec", List.of("daemon_reexec", "daemon-reexec"));
    for (String flag : List.of("daemon_reload", "daemon_reexec")) {
      if (args.get(flag) instanceof YamlNode v) {
        args.put(flag, reader.bool(v, where, flag));
      }
    }
    m.get("scope")
        .ifPresent(
            v -> {
              String scope = v.asString("scope");
              if (!List.of("system", "user", "global").contains(scope)) {
                throw v.error(
                    where + ": unknown scope '" + scope + "'",
                    "write one of: system, user, global");
              }
              args.put("scope", scope);
            });
    boolean any =
        m.has("state")
            || m.has("enabled")
            || m.has("masked")
            || args.containsKey("daemon_reload")
            || args.containsKey("daemon_reexec");
    if (!any) {
      throw node.error(
          where + " needs one of: state, enabled, masked, daemon_reload, daemon_reexec",
          "as Ansible's required_one_of; e.g. state: started");
    }
    for (String key : List.of("state", "enabled", "masked")) {
      if (m.has(key) && !args.containsKey("name")) {
        throw m.entry(key)
            .orElseThrow()
            .key()
            .error(where + ": '" + key + "' needs 'name'", "name the unit: name: nginx");
      }
    }
    return args;
  }

  /** {@code service}. */
  Map<String, Object> service(YamlNode node, String where) {
    YamlMap m =
        ModuleArgReader.map(node, "service", "write e.g. service: {name: nginx, state: started}");
    for (YamlMap.Entry e : m.entries()) {
      if (List.of("pattern", "runlevel", "arguments", "args", "use").contains(e.name())) {
        throw e.key()
            .error(
                where + ": '" + e.name() + "' of service is not supported",
                "supported: enabled, name, sleep, state; for a unit of systemd, use systemd:");
      }
    }
    m.allowOnly(SERVICE);
    Map<String, Object> args = new LinkedHashMap<>();
    if (m.get("name").isEmpty()) {
      throw node.error(where + " has no 'name'", "name the service: name: nginx");
    }
    args.put("name", reader.templated(m.get("name").get(), where, "name"));
    state(m, where, args);
    m.get("enabled").ifPresent(v -> args.put("enabled", reader.bool(v, where, "enabled")));
    m.get("sleep").ifPresent(v -> args.put("sleep", reader.number(v, where, "sleep", 0, 3_600)));
    if (!m.has("state") && !m.has("enabled")) {
      throw node.error(
          where + " needs 'state' or 'enabled'",
          "as Ansible's required_one_of; e.g. state: started");
    }
    return args;
  }

  private void aliased(
      YamlMap m, String where, Map<String, Object> args, String key, List<String> names) {
    List<YamlMap.Entry> given = names.stream().flatMap(n -> m.entry(n).stream()).toList();
    if (given.size() > 1) {
      throw given
          .get(1)
          .key()
          .error(
              where + " has both '" + given.get(0).name() + "' and '" + given.get(1).name() + "'",
              "'" + given.get(1).name() + "' is an alias of '" + key + "': give one");
    }
    if (given.isEmpty()) {
      return;
    }
    YamlNode v = given.get(0).value();
    args.put(key, key.equals("name") ? reader.templated(v, where, key) : v);
  }

  private void state(YamlMap m, String where, Map<String, Object> args) {
    m.get("state")
        .ifPresent(
            v -> {
              String state = v.isScalar() && !v.isNull() ? v.asString("state") : "";
              if (TemplateEngine.isTemplate(state)) {
                reader.check(v, state, where, "state");
              } else if (!STATES.contains(state)) {
                throw v.error(
                    where + ": unknown state '" + state + "'",
                    "write one of: " + String.join(", ", STATES));
              }
              args.put("state", state);
            });
  }
}
