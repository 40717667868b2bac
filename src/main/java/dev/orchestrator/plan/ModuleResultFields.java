package dev.orchestrator.plan;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result keys each module adds to what a step registers, with their types: what the plan knows
 * of a registered result before the step runs ({@link ModulePlanning#shape}). Each table follows
 * the module's own documented return values (the ansible-core module file named beside it).
 */
final class ModuleResultFields {
  private ModuleResultFields() {}

  /** The result keys each module adds to a registered result. */
  private static final Map<String, Map<String, Class<?>>> FIELDS = fields();

  private static Map<String, Map<String, Class<?>>> fields() {
    Map<String, Map<String, Class<?>>> all = new java.util.HashMap<>(ansible24());
    Map<String, Class<?>> command = new LinkedHashMap<>();
    for (String key : List.of("cmd", "start", "end", "delta", "msg")) {
      command.put(key, key.equals("cmd") ? List.class : String.class);
    }
    all.put("command", command);
    all.put("shell", command);
    all.put("raw", Map.of("msg", String.class));
    all.put("script", Map.of("msg", String.class, "skipped", Boolean.class));
    all.put("ping", Map.of("ping", Object.class));
    all.put(
        "include_vars",
        Map.of("ansible_facts", Map.class, "ansible_included_var_files", List.class));
    all.put("stat", Map.of("stat", Map.class));
    all.put(
        "haproxy",
        Map.of(
            "state_before", List.class,
            "state_after", List.class,
            "command", List.class,
            "output", List.class,
            "msg", String.class));
    all.put(
        "nagios",
        Map.of("nagios_commands", List.class, "cmdfile", String.class, "msg", String.class));
    all.put("npm", Map.of("msg", String.class));
    all.put(
        "seboolean",
        Map.of(
            "name",
            String.class,
            "state",
            Boolean.class,
            "persistent",
            Boolean.class,
            "msg",
            String.class));
    return Map.copyOf(all);
  }

  private static Map<String, Map<String, Class<?>>> ansible24() {
    return Map.of(
        "debug", Map.of("msg", Object.class),
        "set_fact", Map.of("ansible_facts", Map.class),
        "fail", Map.of("msg", String.class),
        "assert",
            Map.of("msg", String.class, "assertion", String.class, "evaluated_to", Boolean.class),
        "pause",
            Map.of(
                "start", String.class,
                "stop", String.class,
                "delta", Long.class,
                "user_input", String.class,
                "echo", Boolean.class),
        "wait_for",
            Map.of(
                "elapsed", Long.class,
                "state", String.class,
                "path", String.class,
                "port", Integer.class,
                "search_regex", String.class,
                "msg", String.class),
        "uri",
            Map.of(
                "status", Integer.class,
                "content", String.class,
                "json", Object.class,
                "msg", String.class,
                "url", String.class,
                "elapsed", Long.class,
                "redirected", Boolean.class,
                "content_type", String.class));
  }

  /**
   * The result keys of {@code service} and {@code systemd} (ansible-core's {@code systemd.py} and
   * {@code service.py}: {@code status} is {@code systemctl show}'s, on a systemd host).
   */
  private static final Map<String, Class<?>> SERVICE_FIELDS =
      Map.of(
          "name", String.class,
          "state", String.class,
          "enabled", Boolean.class,
          "status", Map.class,
          "msg", String.class);

  /** The result keys of {@code group} (ansible-core's {@code group.py}). */
  private static final Map<String, Class<?>> GROUP_FIELDS =
      Map.of(
          "name", String.class,
          "state", String.class,
          "gid", Integer.class,
          "system", Boolean.class,
          "msg", String.class);

  /** The result keys of {@code lineinfile}, {@code blockinfile}, {@code replace}, {@code file}. */
  private static final Map<String, Class<?>> FILE_FIELDS =
      Map.of(
          "msg", String.class,
          "backup", String.class,
          "backup_file", String.class,
          "found", Integer.class,
          "path", String.class,
          "dest", String.class,
          "src", String.class,
          "state", String.class,
          "mode", String.class,
          "owner", String.class);

  /**
   * The result keys of {@code apt} (ansible-core's {@code apt.py}) and of {@code yum}/{@code dnf}
   * ({@code dnf.py}); {@code package} has its manager's, so both.
   */
  private static final Map<String, Class<?>> APT_FIELDS =
      Map.of(
          "cache_updated", Boolean.class,
          "cache_update_time", Long.class,
          "msg", String.class);

  private static final Map<String, Class<?>> RPM_FIELDS =
      Map.of("results", List.class, "failures", List.class, "msg", String.class);

  /** The result keys of {@code git} (ansible-core's {@code git.py}). */
  private static final Map<String, Class<?>> GIT_FIELDS =
      Map.of(
          "before", String.class,
          "after", String.class,
          "remote_url_changed", Boolean.class,
          "msg", String.class,
          "cmd", String.class);

  /** The result keys of {@code get_url} (ansible-core's {@code get_url.py}). */
  private static final Map<String, Class<?>> GET_URL_FIELDS =
      Map.ofEntries(
          Map.entry("dest", String.class),
          Map.entry("url", String.class),
          Map.entry("checksum_src", String.class),
          Map.entry("checksum_dest", String.class),
          Map.entry("status_code", Integer.class),
          Map.entry("md5sum", String.class),
          Map.entry("response", String.class),
          Map.entry("elapsed", Long.class),
          Map.entry("mode", String.class),
          Map.entry("owner", String.class),
          Map.entry("group", String.class),
          Map.entry("size", Long.class),
          Map.entry("msg", String.class));

  /** The result keys of a module. */
  static Map<String, Class<?>> of(String module) {
    return switch (module) {
      case "group" -> GROUP_FIELDS;
      case "apt" -> APT_FIELDS;
      case "yum", "dnf" -> RPM_FIELDS;
      case "package" -> {
        Map<String, Class<?>> both = new LinkedHashMap<>(APT_FIELDS);
        both.putAll(RPM_FIELDS);
        yield both;
      }
      case "git" -> GIT_FIELDS;
      case "lineinfile", "blockinfile", "replace", "file" -> FILE_FIELDS;
      case "get_url" -> GET_URL_FIELDS;
      case "unarchive" -> ArchiveModuleFields.UNARCHIVE;
      default ->
          FIELDS.getOrDefault(
              module, SystemModuleFields.FIELDS.getOrDefault(module, SERVICE_FIELDS));
    };
  }
}
