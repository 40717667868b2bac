package dev.orchestrator.playbook;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Tag selection as Ansible does it, including the special tags always and never. */
class StepTraitsTest {
  private static StepTraits tags(String... tags) {
    return new StepTraits(List.of(tags), false, false, false, Optional.empty());
  }

  @Test
  void withoutTagsEverythingButNeverRuns() {
    assertTrue(tags().selected(List.of(), List.of()));
    assertTrue(tags("db").selected(List.of(), List.of()));
    assertFalse(tags("never").selected(List.of(), List.of()));
  }

  @Test
  void tagsSelectMatchingStepsAndAlways() {
    assertTrue(tags("db").selected(List.of("db"), List.of()));
    assertFalse(tags("web").selected(List.of("db"), List.of()));
    assertFalse(tags().selected(List.of("db"), List.of()));
    assertTrue(tags("always").selected(List.of("db"), List.of()));
    assertTrue(tags("never", "debug").selected(List.of("debug"), List.of()));
  }

  @Test
  void skipTagsWin() {
    assertFalse(tags("db").selected(List.of("db"), List.of("db")));
    assertFalse(tags("always").selected(List.of(), List.of("always")));
    assertTrue(tags("web").selected(List.of(), List.of("db")));
  }
}
