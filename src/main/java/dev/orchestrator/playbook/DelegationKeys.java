package dev.orchestrator.playbook;

import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.template.TemplateException;
import dev.orchestrator.yaml.YamlMap;
import dev.orchestrator.yaml.YamlNode;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a step's delegation keywords, as Ansible's task keywords of the same names (<a
 * href="https://docs.ansible.com/ansible/latest/playbook_guide/playbooks_delegation.html">Controlling
 * where tasks run: delegation and local actions</a>; ansible-core {@code playbook/task.py}, {@code
 * parsing/mod_args.py} for {@code local_action}):
 *
 * <ul>
 *   <li>{@code delegate_to: HOST}: a template, rendered with the target's vars; an inventory host
 *       or {@code localhost};
 *   <li>{@code local_action}: Ansible's older form of {@code delegate_to: localhost} with the
 *       module inline; our steps' one action is {@code shell}, so {@code local_action: shell CMD}
 *       and {@code local_action: {shell: CMD}} (or {@code {module: shell, cmd: CMD}}) are read, any
 *       other module is refused with the {@code delegate_to: localhost} form as the hint;
 *   <li>{@code delegate_facts: true}: facts the step sets go to the delegate;
 *   <li>{@code run_once: true}: one host of the batch runs the step, the others take its result
 *       ({@code plan.RunOnce}, {@code execute.OnceSteps}).
 * </ul>
 */
final class DelegationKeys {
  /** The step keys this class reads. */
  static final Set<String> KEYS =
      Set.of("delegate_to", "local_action", "delegate_facts", "run_once");

  /** Ansible's implicit host for the controller itself. */
  static final String LOCALHOST = "localhost";

  private DelegationKeys() {}

  /**
   * A {@code local_action}'s command.
   *
   * @param node where it is written (for errors and template checks)
   * @param shell the command
   */
  record LocalAction(YamlNode node, String shell) {}

  /**
   * Reads {@code local_action}, refusing it beside {@code shell}, {@code upload} or {@code
   * delegate_to}.
   *
   * @return the command it runs; empty without {@code local_action}
   */
  static Optional<LocalAction> localAction(YamlMap m, String where) {
    Optional<YamlMap.Entry> entry = m.entry("local_action");
    if (entry.isEmpty()) {
      return Optional.empty();
    }
    YamlNode key = entry.get().key();
    for (String other : new String[] {"shell", "upload", "delegate_to"}) {
      if (m.has(other)) {
        throw key.error(
            where + " has both 'local_action' and '" + other + "'",
            other.equals("delegate_to")
                ? "local_action already runs on localhost: remove one of them (Ansible 2.14"
                    + " silently ignores delegate_to here)"
                : "write either local_action: shell CMD, or shell: CMD with delegate_to:"
                    + " localhost");
      }
    }
    YamlNode v = entry.get().value();
    String hint =
        "write local_action: shell CMD (our steps run shell commands), or the step's own keys with"
            + " delegate_to: localhost";
    if (v.isScalar()) {
      String text = v.asString("local_action").strip();
      String[] parts = text.split("\\s+", 2);
      if (!parts[0].equals("shell")) {
        throw v.error(where + ": local_action runs the module '" + parts[0] + "'", hint);
      }
      if (parts.length < 2 || parts[1].isBlank()) {
        throw v.error(where + ": local_action: shell has no command", hint);
      }
      return Optional.of(new LocalAction(v, parts[1]));
    }
    YamlMap a = v.asMap("local_action");
    if (a.has("module")) {
      a.allowOnly(Set.of("module", "cmd", "_raw_params"));
      String module = a.require("module").asString("module");
      if (!module.equals("shell")) {
        throw a.require("module")
            .error(where + ": local_action runs the module '" + module + "'", hint);
      }
      YamlNode cmd = a.get("cmd").or(() -> a.get("_raw_params")).orElse(null);
      if (cmd == null) {
        throw v.error(where + ": local_action has no 'cmd'", hint);
      }
      return Optional.of(new LocalAction(cmd, notBlank(cmd, where)));
    }
    if (!a.has("shell")) {
      throw v.error(where + ": local_action names no module", hint);
    }
    a.allowOnly(Set.of("shell"));
    YamlNode cmd = a.require("shell");
    return Optional.of(new LocalAction(cmd, notBlank(cmd, where)));
  }

  private static String notBlank(YamlNode cmd, String where) {
    String text = cmd.asString("local_action");
    if (text.isBlank()) {
      throw cmd.error(where + ": local_action's command is empty", "write the command to run");
    }
    return text;
  }

  /**
   * Reads {@code delegate_to}, {@code delegate_facts} and {@code run_once} into {@code extras}
   * ({@code local_action} sets {@code delegate_to: localhost}).
   *
   * @param templates checks the syntax of a templated {@code delegate_to}
   */
  static StepExtras read(YamlMap m, String where, StepExtras extras, TemplateEngine templates) {
    Optional<String> delegateTo = Optional.empty();
    if (m.has("local_action")) {
      delegateTo = Optional.of(LOCALHOST);
    } else if (m.has("delegate_to")) {
      YamlNode d = m.require("delegate_to");
      if (!d.isScalar() || d.isNull()) {
        throw d.error(where + ": 'delegate_to' must be a host name", "write e.g. delegate_to: lb1");
      }
      String name = d.asString("delegate_to").strip();
      if (name.isEmpty()) {
        throw d.error(
            where + ": 'delegate_to' is empty",
            "write the inventory host to run the step on (or localhost), or remove it");
      }
      if (TemplateEngine.isTemplate(name)) {
        try {
          templates.render(name, Map.of());
        } catch (TemplateException e) {
          if (e.undefinedVariable().isEmpty()) {
            throw d.error(
                where + ", 'delegate_to': " + e.getMessage(),
                e.hint().orElse("fix the {{ }} / {% %} syntax"));
          }
        }
      }
      delegateTo = Optional.of(name);
    }
    boolean facts = m.get("delegate_facts").map(v -> v.asBoolean("delegate_facts")).orElse(false);
    if (facts && delegateTo.isEmpty()) {
      throw m.entry("delegate_facts")
          .orElseThrow()
          .key()
          .error(
              where + ": 'delegate_facts' without 'delegate_to'",
              "add delegate_to: HOST (the facts go to that host), or remove delegate_facts");
    }
    boolean runOnce = m.get("run_once").map(v -> v.asBoolean("run_once")).orElse(false);
    if (runOnce && m.get("deferred").map(v -> v.asBoolean("deferred")).orElse(false)) {
      // deferred steps run while the next batch runs: the batch no longer meets (OnceSteps)
      throw m.require("run_once")
          .error(
              where + ": run_once with deferred: true",
              "a deferred step runs after its batch, beside the next one, where the batch cannot"
                  + " meet: remove one of them");
    }
    if (delegateTo.isEmpty() && !runOnce) {
      return extras;
    }
    return extras.withDelegation(delegateTo, facts, runOnce);
  }
}
