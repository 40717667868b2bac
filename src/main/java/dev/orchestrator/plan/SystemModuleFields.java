package dev.orchestrator.plan;

import java.util.List;
import java.util.Map;

/**
 * The result keys of the system modules {@code cron} (ansible-core 2.14's {@code
 * lib/ansible/modules/cron.py}: {@code jobs}, {@code envs}, {@code warnings}, {@code cron_file},
 * {@code state} when a cron file is removed), for the shapes of registered results ({@link
 * ModulePlanning}).
 */
final class SystemModuleFields {
  private SystemModuleFields() {}

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
              "msg", String.class));
}
