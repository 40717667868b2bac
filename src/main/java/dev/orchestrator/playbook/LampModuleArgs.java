package dev.orchestrator.playbook;

import dev.orchestrator.yaml.YamlMap;
import dev.orchestrator.yaml.YamlNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the arguments of the modules rolling updates of web tiers call, as their collections
 * declare them ({@code argument_spec}: names, aliases, defaults, choices, {@code required_if}):
 * community.general's {@code haproxy} ({@code plugins/modules/haproxy.py}), {@code nagios} ({@code
 * nagios.py}) and {@code npm} ({@code npm.py}), ansible.posix's {@code seboolean} ({@code
 * seboolean.py}); a part of {@link StepModules}. An alias is stored under the argument's own name.
 */
final class LampModuleArgs {
  private static final Set<String> HAPROXY =
      Set.of(
          "state",
          "host",
          "backend",
          "weight",
          "socket",
          "shutdown_sessions",
          "fail_on_not_found",
          "health",
          "agent",
          "wait",
          "wait_retries",
          "wait_interval",
          "drain");

  /** The nagios actions we run (the module's other actions are refused at load). */
  static final List<String> NAGIOS_ACTIONS =
      List.of(
          "downtime",
          "silence",
          "unsilence",
          "enable_alerts",
          "disable_alerts",
          "silence_nagios",
          "unsilence_nagios",
          "command");

  private static final List<String> NAGIOS_REFUSED =
      List.of(
          "delete_downtime",
          "servicegroup_host_downtime",
          "servicegroup_service_downtime",
          "acknowledge",
          "forced_check");

  private static final Set<String> NAGIOS =
      Set.of(
          "action",
          "author",
          "comment",
          "host",
          "servicegroup",
          "start",
          "minutes",
          "cmdfile",
          "services",
          "service",
          "command");

  private static final Set<String> NPM =
      Set.of(
          "name",
          "path",
          "version",
          "production",
          "executable",
          "registry",
          "state",
          "ignore_scripts",
          "unsafe_perm",
          "ci",
          "no_optional",
          "no_bin_links",
          "global");

  private final ModuleArgReader reader;

  LampModuleArgs(ModuleArgReader reader) {
    this.reader = reader;
  }

  /** community.general.haproxy. */
  Map<String, Object> haproxy(YamlNode node, String where) {
    YamlMap m =
        ModuleArgReader.map(
            node, "haproxy", "write e.g. haproxy: {state: disabled, backend: app, host: web1}");
    m.allowOnly(HAPROXY);
    Map<String, Object> args = new LinkedHashMap<>();
    reader.choice(m, node, where, "state", List.of("enabled", "disabled", "drain"), args, true);
    required(m, node, where, "host", "name the server in the backend: host: web1", args);
    for (String text : List.of("backend", "weight", "socket")) {
      m.get(text).ifPresent(v -> args.put(text, reader.templated(v, where, text)));
    }
    for (String flag :
        List.of("shutdown_sessions", "fail_on_not_found", "health", "agent", "wait", "drain")) {
      m.get(flag).ifPresent(v -> args.put(flag, reader.bool(v, where, flag)));
    }
    m.get("wait_retries")
        .ifPresent(
            v -> args.put("wait_retries", reader.number(v, where, "wait_retries", 0, 10_000)));
    m.get("wait_interval")
        .ifPresent(
            v -> args.put("wait_interval", reader.number(v, where, "wait_interval", 0, 3_600)));
    return args;
  }

  /** community.general.nagios. */
  Map<String, Object> nagios(YamlNode node, String where) {
    YamlMap m =
        ModuleArgReader.map(
            node,
            "nagios",
            "write e.g. nagios: {action: disable_alerts, host: web1, services: http}");
    m.allowOnly(NAGIOS);
    Map<String, Object> args = new LinkedHashMap<>();
    if (m.get("action").isPresent()) {
      YamlNode a = m.get("action").get();
      String action = a.isScalar() && !a.isNull() ? a.asString("action") : "";
      if (NAGIOS_REFUSED.contains(action)) {
        throw a.error(
            where + ": nagios action '" + action + "' is not supported by orchestrator",
            "supported: "
                + String.join(", ", NAGIOS_ACTIONS)
                + "; or write the external command"
                + " with action: command");
      }
    }
    reader.choice(m, node, where, "action", NAGIOS_ACTIONS, args, true);
    if (m.has("services") && m.has("service")) {
      throw m.entry("service")
          .orElseThrow()
          .key()
          .error(
              where + " has both 'services' and 'service'", "'service' is an alias of 'services'");
    }
    m.get("services")
        .or(() -> m.get("service"))
        .ifPresent(v -> args.put("services", reader.templated(v, where, "services")));
    for (String text : List.of("author", "comment", "host", "servicegroup", "start", "cmdfile")) {
      m.get(text).ifPresent(v -> args.put(text, reader.templated(v, where, text)));
    }
    m.get("command").ifPresent(v -> args.put("command", reader.templated(v, where, "command")));
    m.get("minutes")
        .ifPresent(v -> args.put("minutes", reader.number(v, where, "minutes", 0, 52_560_000)));
    Object action = args.get("action");
    List<String> needs =
        switch (String.valueOf(action)) {
          case "downtime", "enable_alerts", "disable_alerts" -> List.of("host", "services");
          case "silence", "unsilence" -> List.of("host");
          case "command" -> List.of("command");
          default -> List.of();
        };
    for (String need : needs) {
      if (!args.containsKey(need)) {
        throw node.error(
            where + ": action is " + action + " but all of the following are missing: " + need,
            "add " + need + ": ...");
      }
    }
    return args;
  }

  /** community.general.npm. */
  Map<String, Object> npm(YamlNode node, String where) {
    YamlMap m = ModuleArgReader.map(node, "npm", "write e.g. npm: {path: /opt/app}");
    m.allowOnly(NPM);
    Map<String, Object> args = new LinkedHashMap<>();
    for (String text : List.of("name", "path", "version", "executable", "registry")) {
      m.get(text).ifPresent(v -> args.put(text, reader.templated(v, where, text)));
    }
    reader.choice(m, node, where, "state", List.of("present", "absent", "latest"), args, false);
    for (String flag :
        List.of(
            "production",
            "ignore_scripts",
            "unsafe_perm",
            "ci",
            "no_optional",
            "no_bin_links",
            "global")) {
      m.get(flag).ifPresent(v -> args.put(flag, reader.bool(v, where, flag)));
    }
    if (!args.containsKey("path") && !Boolean.TRUE.equals(args.get("global"))) {
      throw node.error(
          where + ": path must be specified when not using global",
          "give the project's folder (path: /opt/app) or global: true");
    }
    if ("absent".equals(args.get("state")) && !args.containsKey("name")) {
      throw node.error(
          where + ": uninstalling a package is only available for named packages",
          "name the package: name: forever");
    }
    return args;
  }

  /** ansible.posix.seboolean. */
  Map<String, Object> seboolean(YamlNode node, String where) {
    YamlMap m =
        ModuleArgReader.map(
            node,
            "seboolean",
            "write e.g. seboolean: {name: httpd_can_network_connect, state: true}");
    m.allowOnly(Set.of("name", "state", "persistent", "ignore_selinux_state"));
    Map<String, Object> args = new LinkedHashMap<>();
    required(m, node, where, "name", "name the boolean: name: httpd_can_network_connect", args);
    if (m.get("state").isEmpty()) {
      throw node.error(where + " has no 'state'", "write state: true (on) or false (off)");
    }
    args.put("state", reader.bool(m.get("state").get(), where, "state"));
    for (String flag : List.of("persistent", "ignore_selinux_state")) {
      m.get(flag).ifPresent(v -> args.put(flag, reader.bool(v, where, flag)));
    }
    return args;
  }

  private void required(
      YamlMap m, YamlNode node, String where, String key, String hint, Map<String, Object> args) {
    Optional<YamlNode> v = m.get(key);
    if (v.isEmpty() || v.get().isNull()) {
      throw node.error(where + " has no '" + key + "'", hint);
    }
    args.put(key, reader.templated(v.get(), where, key));
  }
}
