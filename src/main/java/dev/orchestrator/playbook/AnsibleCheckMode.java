package dev.orchestrator.playbook;

import dev.orchestrator.yaml.YamlMap;
import java.util.Locale;
import java.util.Set;

/**
 * A task's {@code check_mode:} keyword, read as far as we can run it honestly. In ansible-core
 * ({@code playbook/base.py}) it is a boolean whose default is the command line's {@code --check}:
 * {@code check_mode: false} makes a task run for real even under {@code --check}, and is the
 * default of a normal run; {@code check_mode: true} runs the task in check mode in a normal run (<a
 * href="https://docs.ansible.com/ansible/latest/playbook_guide/playbooks_checkmode.html#enforcing-or-preventing-check-mode-on-tasks">Validating
 * tasks: check mode</a>). Our {@code --check} is {@code plan --check}, which never runs a task:
 *
 * <ul>
 *   <li>{@code false}: a run ignores it, as Ansible's normal run does; {@code plan --check} does
 *       not run it either (Ansible's {@code --check} would), so what it registers is decided at
 *       run;
 *   <li>{@code true}: accepted on the modules that change nothing ({@link #UNCHANGED_IN_CHECK}:
 *       their check mode is their normal run, "check_mode: support: full" in their documentation);
 *       on any other module refused at load, since our run cannot run it in check mode.
 * </ul>
 */
final class AnsibleCheckMode {
  private AnsibleCheckMode() {}

  /** Modules whose run in check mode is their normal run: they change nothing. */
  static final Set<String> UNCHANGED_IN_CHECK =
      Set.of("debug", "set_fact", "fail", "assert", "ping", "stat", "meta");

  /**
   * Checks the task's {@code check_mode} (if any) against its module; the keyword is then dropped
   * from the step (see the class comment).
   *
   * @param task the task
   * @param module the module it calls (short name)
   * @throws dev.orchestrator.common.InputException when it is no boolean, or true on a module that
   *     would change the host
   */
  static void check(YamlMap task, String module) {
    task.entry("check_mode")
        .ifPresent(
            e -> {
              boolean on = bool(e);
              if (on && !UNCHANGED_IN_CHECK.contains(module)) {
                throw e.key()
                    .error(
                        "'check_mode: true' on '"
                            + module
                            + "' is not supported: orchestrator cannot run a task in check mode"
                            + " during a real run",
                        "preview the whole run with 'orchestrator plan --check' (and --diff for"
                            + " files), or remove check_mode; it is accepted on "
                            + String.join(", ", UNCHANGED_IN_CHECK.stream().sorted().toList())
                            + ", which change nothing");
              }
            });
  }

  /** What the migration report says of the task's {@code check_mode}, empty without one. */
  static String note(YamlMap task) {
    return task.entry("check_mode")
        .map(
            e ->
                bool(e)
                    ? "check_mode: true: runs as usual (its module changes nothing)"
                    : "check_mode: false: runs as usual; plan --check does not run it (Ansible's"
                        + " --check would)")
        .orElse("");
  }

  private static boolean bool(YamlMap.Entry e) {
    if (e.value().isBoolean()) {
      return e.value().asBoolean("check_mode");
    }
    String text = e.value().isScalar() ? e.value().asString("check_mode") : "";
    String t = text.toLowerCase(Locale.ROOT);
    if (ModuleArgReader.BOOLEANS.contains(t)) {
      return Set.of("yes", "on", "1", "true", "y", "t").contains(t);
    }
    throw e.value()
        .error(
            "'check_mode' must be true or false, found '" + text + "'",
            "write check_mode: false (or true on a module that changes nothing); a templated"
                + " check_mode is not supported");
  }
}
