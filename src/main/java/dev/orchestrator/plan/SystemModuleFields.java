package dev.orchestrator.plan;

import java.util.List;
import java.util.Map;

/**
 * The result keys of the system modules {@code cron} (ansible-core 2.14's {@code
 * lib/ansible/modules/cron.py}: {@code jobs}, {@code envs}, {@code warnings}, {@code cron_file},
 * {@code state} when a cron file is removed) and {@code user} ({@code user.py}), {@code setup}
 * ({@code ansible_facts}), for the shapes of registered results ({@link ModulePlanning}).
 */
final class SystemModuleFields {
  private SystemModuleFields() {}

  /** The modules whose {@code ansible_facts} become the host's vars. */
  static final java.util.Set<String> FACT_SETTERS = java.util.Set.of("set_fact", "setup");

  /**
   * For a {@code setup} call: puts each {@code ansible_NAME} fact into {@code vars} as known at run
   * time (unless known already), and says so; {@code ansible_facts} is set by {@code gather_facts}
   * only.
   */
  static boolean setup(dev.orchestrator.playbook.ModuleCall call, Map<String, Object> vars) {
    if (!call.name().equals("setup")) {
      return false;
    }
    dev.orchestrator.template.Facts.unknown().entrySet().stream()
        .filter(f -> !f.getKey().equals("ansible_facts"))
        .forEach(f -> vars.putIfAbsent(f.getKey(), f.getValue()));
    return true;
  }

  /** The modules with their result keys. */
  static final Map<String, Map<String, Class<?>>> FIELDS =
      Map.of(
          "cron",
          Map.of(
              "jobs", List.class,
              "envs", List.class,
              "warnings", List.class,
              "cron_file", String.class,
              "state", String.class,
              "msg", String.class),
          "setup",
          Map.of("ansible_facts", Map.class),
          "user",
          Map.ofEntries(
              Map.entry("name", String.class),
              Map.entry("state", String.class),
              Map.entry("uid", Integer.class),
              Map.entry("group", Integer.class),
              Map.entry("groups", String.class),
              Map.entry("comment", String.class),
              Map.entry("home", String.class),
              Map.entry("shell", String.class),
              Map.entry("system", Boolean.class),
              Map.entry("create_home", Boolean.class),
              Map.entry("append", Boolean.class),
              Map.entry("move_home", Boolean.class),
              Map.entry("force", Boolean.class),
              Map.entry("remove", Boolean.class),
              Map.entry("password", String.class),
              Map.entry("msg", String.class)));
}
