package dev.orchestrator.playbook;

import dev.orchestrator.yaml.YamlMap;
import dev.orchestrator.yaml.YamlNode;
import dev.orchestrator.yaml.YamlNodes;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A {@code pause} task that ends a play with {@code serial}: in Ansible it runs once per batch,
 * after the batch's other tasks (the {@code pause} action bypasses the host loop, ansible-core
 * {@code plugins/action/pause.py}, {@code BYPASS_HOST_LOOP}), i.e. a wait or a question between
 * batches. We read it as the stage's batch gate ({@code batch_gates}, README "Stages and gates"):
 * {@code minutes}/{@code seconds} as a {@code wait:}, a {@code prompt} without a time as an {@code
 * approval:} (a run asks nobody on a terminal: the approval is given with {@code orchestrator
 * approve} or the web console). Where we differ: Ansible pauses after the last batch too; a gate
 * stands between batches only. A pause with any other keyword ({@code when}, a loop) stays a step.
 *
 * @param task the pause task
 * @param section the section it ends ({@code tasks} or {@code post_tasks})
 * @param gates the batch gates it becomes (a list of one)
 */
record BatchPause(YamlNode task, String section, YamlNode gates) {
  private static final Set<String> NAMES =
      Set.of("pause", "ansible.builtin.pause", "ansible.legacy.pause");

  /** The play's trailing pause, when it has {@code serial} and ends with a plain pause. */
  static Optional<BatchPause> of(YamlMap play) {
    if (!play.has("serial")) {
      return Optional.empty();
    }
    String section =
        play.get("post_tasks")
                .filter(t -> t.isSequence() && !t.asList("post_tasks").isEmpty())
                .isPresent()
            ? "post_tasks"
            : "tasks";
    Optional<YamlNode> list = play.get(section).filter(YamlNode::isSequence);
    if (list.isEmpty() || list.get().asList(section).isEmpty()) {
      return Optional.empty();
    }
    List<YamlNode> tasks = list.get().asList(section);
    YamlNode last = tasks.get(tasks.size() - 1);
    if (!last.isMapping()) {
      return Optional.empty();
    }
    YamlMap m = last.asMap("a task");
    Optional<YamlMap.Entry> pause =
        m.entries().stream().filter(e -> NAMES.contains(e.name())).findFirst();
    if (pause.isEmpty()
        || m.entries().stream()
            .anyMatch(e -> !NAMES.contains(e.name()) && !e.name().equals("name"))) {
      return Optional.empty();
    }
    YamlNode args = pause.get().value();
    Map<String, String> kv = new java.util.LinkedHashMap<>();
    if (args.isMapping()) {
      args.asMap("pause")
          .entries()
          .forEach(e -> kv.put(e.name(), e.value().isScalar() ? e.value().asString(e.name()) : ""));
    } else if (args.isScalar() && !args.isNull()) {
      try {
        kv.putAll(dev.orchestrator.inventory.KeyValues.parse(args.asString("pause")).options());
      } catch (dev.orchestrator.common.InputException unreadable) {
        return Optional.empty(); // the step's reader says why
      }
    }
    Optional<String> wait =
        Optional.ofNullable(kv.get("minutes"))
            .map(v -> v.strip() + "m")
            .or(() -> Optional.ofNullable(kv.get("seconds")).map(v -> v.strip() + "s"));
    if (wait.isPresent() && !wait.get().matches("\\d+[ms]")) {
      return Optional.empty();
    }
    YamlNode gate =
        wait.isPresent()
            ? gate(args, "wait", wait.get())
            : gate(
                args,
                "approval",
                kv.getOrDefault(
                    "prompt", m.string("name").orElse("continue with the next batch?")));
    if (!kv.keySet().stream()
        .allMatch(k -> Set.of("minutes", "seconds", "prompt", "echo").contains(k))) {
      return Optional.empty();
    }
    return Optional.of(new BatchPause(last, section, YamlNodes.sequence(args, List.of(gate))));
  }

  private static YamlNode gate(YamlNode at, String kind, String value) {
    return YamlNodes.mapping(
        at,
        List.of(
            new AbstractMap.SimpleEntry<>(
                YamlNodes.scalar(at, kind), YamlNodes.scalar(at, value))));
  }

  /** The section's tasks without the pause, if {@code section} is the one it ends. */
  YamlNode without(YamlNode list, String section) {
    if (!section.equals(this.section)) {
      return list;
    }
    List<YamlNode> tasks = new ArrayList<>(list.asList(section));
    tasks.remove(tasks.size() - 1);
    return YamlNodes.sequence(list, tasks);
  }
}
