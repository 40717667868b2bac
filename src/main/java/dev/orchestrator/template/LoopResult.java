package dev.orchestrator.template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the {@code register} variable of a looped step holds, with Ansible's shape (ansible-core
 * {@code executor/task_executor.py}, {@code TaskExecutor.run}): {@code results}, one per item (the
 * item's own result with {@code item}, {@code ansible_loop_var} and, with {@code index_var}, {@code
 * ansible_index_var} and the index), {@code changed} (any item changed), {@code skipped} (every
 * item skipped), {@code msg} ({@code All items completed}, {@code All items skipped}, or {@code One
 * or more items failed} with {@code failed: true}); an empty list registers {@code skipped: true},
 * {@code skipped_reason: No items in the list}. As in Ansible, {@code failed} is there only when an
 * item failed.
 */
public final class LoopResult {
  private LoopResult() {}

  /**
   * Returns one item's entry of {@code results}: its own registered result with the loop's fields.
   *
   * @param own what the item's step registered ({@link RegisteredResult}'s fields)
   * @param loopVar the loop variable's name
   * @param item the item's value
   * @param indexVar the {@code index_var} name, or null
   * @param index the item's 0-based index
   */
  public static Map<String, Object> item(
      Map<String, Object> own, String loopVar, Object item, String indexVar, int index) {
    Map<String, Object> r = new LinkedHashMap<>(own);
    r.put(loopVar, item);
    r.put("ansible_loop_var", loopVar);
    if (indexVar != null) {
      r.put(indexVar, index);
      r.put("ansible_index_var", indexVar);
    }
    return r;
  }

  /** Returns the looped step's result from its items' entries ({@link #item}), in list order. */
  public static Map<String, Object> of(List<Map<String, Object>> results) {
    if (results.isEmpty()) {
      return empty();
    }
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("results", List.copyOf(new ArrayList<>(results)));
    boolean changed = results.stream().anyMatch(i -> Boolean.TRUE.equals(i.get("changed")));
    boolean skipped = results.stream().allMatch(i -> Boolean.TRUE.equals(i.get("skipped")));
    boolean failed = results.stream().anyMatch(i -> Boolean.TRUE.equals(i.get("failed")));
    r.put("changed", changed);
    r.put("skipped", skipped);
    if (failed) {
      r.put("failed", true);
      r.put("msg", "One or more items failed");
    } else {
      r.put("msg", skipped ? "All items skipped" : "All items completed");
    }
    return r;
  }

  /** Returns what a loop over an empty list registers. */
  public static Map<String, Object> empty() {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("changed", false);
    r.put("results", List.of());
    r.put("skipped", true);
    r.put("skipped_reason", "No items in the list");
    return r;
  }

  /**
   * Returns a result of the shape a looped step will register as {@code name}, known at run time
   * only (as {@link RegisteredResult#unknown}): {@code name.results} and {@code name.changed} pass
   * validation, {@code name.stdout} does not.
   */
  public static Map<String, Object> unknown(String name) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("results", Undefined.knownAtRunTime(name + ".results", List.class));
    r.put("changed", Undefined.knownAtRunTime(name + ".changed", Boolean.class));
    r.put("skipped", Undefined.knownAtRunTime(name + ".skipped", Boolean.class));
    r.put("msg", Undefined.knownAtRunTime(name + ".msg", String.class));
    return java.util.Collections.unmodifiableMap(r);
  }
}
