package dev.orchestrator.playbook;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A step's loop: Ansible's {@code loop:} or {@code with_items:} with its {@code loop_control}
 * (https://docs.ansible.com/ansible/latest/playbook_guide/playbooks_loops.html; ansible-core's
 * {@code executor/task_executor.py} {@code _run_loop}). The step runs once per item, each item its
 * own checkpointed step {@code ID[LABEL]} ({@link Step#forItem}).
 *
 * @param kind {@code loop} or {@code with_items} (which flattens nested lists one level)
 * @param list the items written as a YAML list (their strings may be templates), or empty when
 *     {@code template} names the list
 * @param template a template that renders to the list (e.g. {@code "{{ backends }}"}), or empty
 * @param loopVar the variable each item is bound to ({@code loop_control.loop_var}, default {@code
 *     item})
 * @param label {@code loop_control.label}: a template rendered per item that names it in the output
 *     and in its checkpoint id; empty: the item itself
 * @param indexVar {@code loop_control.index_var}: a variable given the item's 0-based index, or
 *     empty
 * @param pause {@code loop_control.pause}: the wait between two items, or empty
 */
public record Loop(
    Kind kind,
    Optional<List<Object>> list,
    Optional<String> template,
    String loopVar,
    Optional<String> label,
    Optional<String> indexVar,
    Optional<Duration> pause) {
  /** The most items one loop may have on one host (each is a checkpoint). */
  public static final int MAX_ITEMS = 10_000;

  /** Which keyword wrote the loop. */
  public enum Kind {
    /** {@code loop:}: the list as it is. */
    LOOP,
    /**
     * {@code with_items:}: a nested list is flattened one level, as Ansible's items lookup does.
     */
    WITH_ITEMS
  }

  /** Validates the fields. */
  public Loop {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(list, "list");
    list = list.map(l -> java.util.Collections.unmodifiableList(new ArrayList<>(l)));
    Objects.requireNonNull(template, "template");
    if (list.isPresent() == template.isPresent()) {
      throw new IllegalArgumentException("a loop has either a list or a template");
    }
    Objects.requireNonNull(loopVar, "loopVar");
    if (!Step.IDENTIFIER.matcher(loopVar).matches()) {
      throw new IllegalArgumentException("invalid loop_var '" + loopVar + "'");
    }
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(indexVar, "indexVar");
    indexVar.ifPresent(
        v -> {
          if (!Step.IDENTIFIER.matcher(v).matches()) {
            throw new IllegalArgumentException("invalid index_var '" + v + "'");
          }
        });
    Objects.requireNonNull(pause, "pause");
  }

  /** What the loop adds to its step's definition hash. */
  String canonical() {
    return String.join(
        "\u0001",
        kind.name(),
        list.map(Object::toString).orElse(""),
        template.orElse(""),
        loopVar,
        label.orElse(""),
        indexVar.orElse(""),
        pause.map(Duration::toString).orElse(""));
  }

  /**
   * An item of a loop, as the step that runs it carries it ({@link Step#forItem}).
   *
   * @param loopId the looped step's id ({@code ID} or {@code ID@HOP})
   * @param index the item's 0-based position in the list
   * @param count how many items the list has
   * @param label the item's label, the {@code LABEL} of its id
   * @param loop the loop it belongs to
   */
  public record Item(String loopId, int index, int count, String label, Loop loop) {
    /** Validates the fields. */
    public Item {
      Objects.requireNonNull(loopId, "loopId");
      Objects.requireNonNull(label, "label");
      Objects.requireNonNull(loop, "loop");
      if (index < 0 || index >= count) {
        throw new IllegalArgumentException("item index " + index + " outside 0.." + count);
      }
    }
  }
}
