package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code setup} as a task ({@link SetupModule}): the facts gathered, filtered as Ansible's. */
class SetupModuleTest {
  @TempDir Path dir;

  @Test
  void filterPatternsAreFnmatchs() {
    // given fnmatch patterns; then they match as Python's fnmatch does
    assertTrue(SetupModule.matches("ansible_*", "ansible_os_family"));
    assertTrue(SetupModule.matches("ansible_?s_family", "ansible_os_family"));
    assertTrue(SetupModule.matches("ansible_[od]*", "ansible_distribution"));
    assertFalse(SetupModule.matches("ansible_[!d]*", "ansible_distribution"));
    assertFalse(SetupModule.matches("os_family", "ansible_os_family"));
    assertTrue(SetupModule.matches("ansible_(x).+", "ansible_(x).+"), "the rest is literal");
  }

  @Test
  void theGatheredFactsAreReturnedPrefixedAndFiltered() throws Exception {
    // given a filter keeping two facts
    SetupModule m =
        new SetupModule(List.of("ansible_system", "ansible_host*"), Duration.ofSeconds(30));
    // when it runs on this machine
    ModuleOutcome o;
    try (var c = FileWriteTest.local(dir)) {
      o = m.run(c, null);
    }
    // then ansible_facts holds only those, with Ansible's prefix, and nothing changed
    assertTrue(o.result().succeeded(), o.result().stderr());
    @SuppressWarnings("unchecked")
    Map<String, Object> facts = (Map<String, Object>) o.fields().get("ansible_facts");
    assertEquals(
        List.of("ansible_hostname", "ansible_system"), facts.keySet().stream().sorted().toList());
    assertEquals("Linux", facts.get("ansible_system"));
    assertEquals(false, o.fields().get("changed"));
  }
}
