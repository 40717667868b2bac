package dev.orchestrator.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A looped step's registered value has the shape ansible-playbook 2.14 gives (checked by running
 * it: {@code results}, {@code changed}, {@code skipped}, {@code msg}; {@code failed} only when an
 * item failed; an empty list's {@code skipped_reason}).
 */
class LoopResultTest {
  @Test
  void itemsCarryTheLoopVariableAndTheTotalsFollowAnsible() {
    // given one changed item and one skipped item
    Map<String, Object> a =
        LoopResult.item(Map.of("rc", 0, "changed", true, "skipped", false), "item", "a", "i", 0);
    Map<String, Object> b = LoopResult.item(RegisteredResult.skipped(), "item", "b", null, 1);

    // when joined
    Map<String, Object> r = LoopResult.of(List.of(a, b));

    // then
    assertEquals("a", a.get("item"));
    assertEquals("item", a.get("ansible_loop_var"));
    assertEquals(0, a.get("i"));
    assertEquals("i", a.get("ansible_index_var"));
    assertEquals(List.of(a, b), r.get("results"));
    assertEquals(true, r.get("changed"));
    assertEquals(false, r.get("skipped"));
    assertEquals("All items completed", r.get("msg"));
    assertFalse(r.containsKey("failed"));
  }

  @Test
  void allSkippedAFailureAndAnEmptyList() {
    // given / when / then
    Map<String, Object> skipped =
        LoopResult.of(List.of(LoopResult.item(RegisteredResult.skipped(), "x", 1, null, 0)));
    assertEquals("All items skipped", skipped.get("msg"));
    assertEquals(true, skipped.get("skipped"));
    Map<String, Object> failed =
        LoopResult.of(List.of(Map.of("failed", true, "changed", true, "skipped", false)));
    assertEquals(true, failed.get("failed"));
    assertEquals("One or more items failed", failed.get("msg"));
    assertEquals(
        Map.of(
            "changed",
            false,
            "results",
            List.of(),
            "skipped",
            true,
            "skipped_reason",
            "No items in the list"),
        LoopResult.of(List.of()));
  }
}
