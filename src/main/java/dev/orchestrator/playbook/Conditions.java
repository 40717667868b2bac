package dev.orchestrator.playbook;

import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.template.TemplateException;
import dev.orchestrator.yaml.YamlNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Conditions written as Ansible writes them ({@code when}, {@code changed_when}): one expression,
 * or a YAML list of expressions that must all hold. Ansible's "Conditionals" guide
 * (https://docs.ansible.com/ansible/latest/playbook_guide/playbooks_conditionals.html, "If you have
 * multiple conditions that all need to be true (that is, a logical and), you can specify them as a
 * list") and ansible-core's {@code playbook/conditional.py} ({@code evaluate_conditional}: every
 * entry of the list must be true). A list becomes one expression, {@code (a) and (b)}, so that the
 * rest of the engine sees one condition; an empty list is no condition (Ansible's {@code all([])}).
 */
final class Conditions {
  private Conditions() {}

  /**
   * Reads a condition that may be a list: each entry read by {@code one} (which checks it), the
   * entries joined with {@code and}.
   *
   * @param node the condition's value
   * @param key the keyword, for messages
   * @param one reads and checks one expression
   * @return the condition, empty for an empty list
   */
  static Optional<String> read(YamlNode node, String key, Function<YamlNode, String> one) {
    if (!node.isSequence()) {
      return Optional.of(one.apply(node));
    }
    List<String> all = new ArrayList<>();
    for (YamlNode item : node.asList(key)) {
      String text = one.apply(item);
      if (!joinable(text)) {
        throw item.error(
            "an entry of the '" + key + "' list mixes {{ }} with text",
            "write each entry as a bare expression, e.g. - result.rc == 0");
      }
      all.add(text);
    }
    return all.isEmpty() ? Optional.empty() : Optional.of(join(all));
  }

  /** Conditions joined so that all must hold: {@code (a) and (b)}; one condition as it is. */
  static String join(List<String> conditions) {
    return conditions.size() == 1
        ? conditions.get(0)
        : String.join(" and ", conditions.stream().map(w -> "(" + bare(w) + ")").toList());
  }

  /** A condition that is bare, or one {@code {{ }}} around an expression. */
  static boolean joinable(String w) {
    String b = bare(w);
    return !b.contains("{{") && !b.contains("}}") && !b.contains("{%");
  }

  /** A condition without its {@code {{ }}}, to be joined with others. */
  static String bare(String w) {
    String t = w.trim();
    return TemplateEngine.isTemplate(t) && t.startsWith("{{") && t.endsWith("}}")
        ? t.substring(2, t.length() - 2).trim()
        : t;
  }

  /**
   * Reads an include's or a role's {@code when:} (one expression or a list), its syntax checked.
   *
   * @param w the condition's value
   * @param templates checks each expression's syntax
   * @throws dev.orchestrator.common.InputException at the condition when it is empty or wrong
   */
  static String ofEntry(YamlNode w, TemplateEngine templates) {
    if (w.isSequence()) {
      return Conditions.read(w, "when", x -> ofEntry(x, templates)).orElse("true");
    }
    if (!w.isScalar()) {
      throw w.error(
          "'when' must be an expression or a list of expressions (all must hold)",
          "write e.g. when: inventory_hostname in groups.web");
    }
    String text = w.asString("when");
    if (text.isBlank()) {
      throw w.error("'when' is empty", "write the condition, or remove 'when'");
    }
    try {
      templates.render(TemplateEngine.isTemplate(text) ? text : "{{ (" + text + ") }}", Map.of());
    } catch (TemplateException e) {
      if (e.undefinedVariable().isEmpty()) {
        throw w.error("'when': " + e.getMessage(), e.hint().orElse("fix the expression"));
      }
    }
    return text;
  }
}
