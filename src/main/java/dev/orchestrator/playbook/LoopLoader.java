package dev.orchestrator.playbook;

import dev.orchestrator.common.Durations;
import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.template.TemplateException;
import dev.orchestrator.yaml.YamlMap;
import dev.orchestrator.yaml.YamlNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a step's {@code loop:} / {@code with_items:} and {@code loop_control:} into a {@link Loop}
 * (https://docs.ansible.com/ansible/latest/playbook_guide/playbooks_loops.html): the items as a
 * YAML list or a template naming a list; {@code loop_var}, {@code label}, {@code index_var} and
 * {@code pause} of {@code loop_control}. Every mistake names its {@code file:line:column}.
 */
final class LoopLoader {
  /** The step keys this class reads. */
  static final Set<String> KEYS = Set.of("loop", "with_items", "loop_control");

  private static final Set<String> CONTROL_KEYS = Set.of("loop_var", "label", "index_var", "pause");

  private final TemplateEngine templates;

  LoopLoader(TemplateEngine templates) {
    this.templates = templates;
  }

  /**
   * Reads the loop of a step, empty when it has none.
   *
   * @param m the step's keys
   * @param where the step, for messages ({@code step 'ID'})
   */
  Optional<Loop> read(YamlMap m, String where) {
    Optional<YamlNode> loopNode = m.get("loop");
    Optional<YamlNode> itemsNode = m.get("with_items");
    if (loopNode.isPresent() && itemsNode.isPresent()) {
      throw itemsNode
          .get()
          .error(
              where + " has both 'loop' and 'with_items'",
              "keep one: loop: takes the list as it is, with_items: flattens nested lists one level");
    }
    Optional<YamlNode> control = m.get("loop_control");
    if (loopNode.isEmpty() && itemsNode.isEmpty()) {
      if (control.isPresent()) {
        throw control
            .get()
            .error(
                where + " has 'loop_control' without 'loop'",
                "add loop: [...] (or with_items:), or remove loop_control");
      }
      if (m.has("loop") || m.has("with_items")) {
        // loop: with no value: Ansible's "no items" (a null list)
        return Optional.of(
            new Loop(
                m.has("loop") ? Loop.Kind.LOOP : Loop.Kind.WITH_ITEMS,
                Optional.of(List.of()),
                Optional.empty(),
                "item",
                Optional.empty(),
                Optional.empty(),
                Optional.empty()));
      }
      return Optional.empty();
    }
    Loop.Kind kind = loopNode.isPresent() ? Loop.Kind.LOOP : Loop.Kind.WITH_ITEMS;
    YamlNode node = loopNode.orElseGet(itemsNode::get);
    String key = kind == Loop.Kind.LOOP ? "loop" : "with_items";
    Optional<List<Object>> list = Optional.empty();
    Optional<String> template = Optional.empty();
    if (node.isSequence()) {
      @SuppressWarnings("unchecked")
      List<Object> items = (List<Object>) node.toPlain(key);
      if (items.size() > Loop.MAX_ITEMS) {
        throw node.error(
            where + ": '" + key + "' has " + items.size() + " items, more than " + Loop.MAX_ITEMS,
            "each item is a checkpoint; split the work, or loop inside the command");
      }
      list = Optional.of(items);
    } else if (node.isScalar() && TemplateEngine.isTemplate(node.asString(key))) {
      template = Optional.of(node.asString(key));
      check(node, template.get(), where, key);
    } else if (node.isScalar() && kind == Loop.Kind.WITH_ITEMS) {
      list = Optional.of(List.of(node.asString(key)));
    } else {
      throw node.error(
          where + ": '" + key + "' must be a list or a template naming one",
          "write e.g. " + key + ": [lb1, lb2] or " + key + ": \"{{ backends }}\"");
    }
    String loopVar = "item";
    Optional<String> label = Optional.empty();
    Optional<String> indexVar = Optional.empty();
    Optional<Duration> pause = Optional.empty();
    if (control.isPresent()) {
      YamlMap c = control.get().asMap("loop_control").allowOnly(CONTROL_KEYS);
      loopVar = c.get("loop_var").map(v -> identifier(v, where, "loop_var")).orElse("item");
      indexVar = c.get("index_var").map(v -> identifier(v, where, "index_var"));
      label = c.string("label");
      label.ifPresent(l -> check(c.get("label").get(), l, where, "loop_control.label"));
      pause = c.get("pause").map(v -> pause(v));
    }
    return Optional.of(new Loop(kind, list, template, loopVar, label, indexVar, pause));
  }

  private static String identifier(YamlNode v, String where, String key) {
    String name = v.asString(key);
    if (!Step.IDENTIFIER.matcher(name).matches()) {
      throw v.error(
          where + ": invalid loop_control." + key + " '" + name + "'",
          "a variable name: letters, digits and '_', not starting with a digit");
    }
    return name;
  }

  private static Duration pause(YamlNode v) {
    try {
      return Durations.parse(v.asString("pause"));
    } catch (IllegalArgumentException e) {
      throw v.error(
          "invalid 'loop_control.pause': " + e.getMessage(), "write e.g. 3 (seconds) or 3s");
    }
  }

  /** Checks template syntax now, so that a typo is reported before anything runs. */
  private void check(YamlNode node, String template, String where, String field) {
    try {
      templates.render(template, Map.of());
    } catch (TemplateException e) {
      if (e.undefinedVariable().isEmpty()) {
        throw node.error(
            where + ", '" + field + "': " + e.getMessage(),
            e.hint().orElse("fix the {{ }} / {% %} syntax"));
      }
    }
  }
}
