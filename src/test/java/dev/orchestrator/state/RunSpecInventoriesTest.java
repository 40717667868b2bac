package dev.orchestrator.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A run stores every {@code -i} source; run.json of the version with one inventory still loads. */
class RunSpecInventoriesTest {
  @Test
  void aRunJsonWithOneInventoryTextLoadsAsOneSource() throws Exception {
    // given the spec of a run.json written before several -i
    String old =
        "{\"playbook\": \"/p.yml\", \"inventory\": \"/inv/hosts.yml\", \"extraVars\": {},"
            + " \"secretVarNames\": [], \"limit\": null, \"forks\": 5, \"knownHosts\": null,"
            + " \"acceptNewHostKeys\": false}";
    // when it is read
    RunSpec spec = Json.MAPPER.readValue(old, RunSpec.class);
    // then its inventory is the one source
    assertEquals(List.of("/inv/hosts.yml"), spec.inventories());
  }

  @Test
  void severalSourcesAreWrittenInOrderAndReadBack() throws Exception {
    // given a spec with two sources
    RunSpec spec =
        TestRunSpecs.of(
            "/p.yml",
            List.of("/inv/base.yml", "/inv/extra/"),
            Map.of(),
            List.of(),
            Optional.empty(),
            1,
            Optional.empty(),
            false,
            List.of(),
            List.of(),
            false,
            List.of(),
            List.of(),
            false);
    // when written and read again
    String json = Json.MAPPER.writeValueAsString(spec);
    // then they are stored as 'inventories', in order
    assertTrue(json.contains("\"inventories\":[\"/inv/base.yml\",\"/inv/extra/\"]"), json);
    assertEquals(spec, Json.MAPPER.readValue(json, RunSpec.class));
  }

  @Test
  void aSpecWithoutInventoryIsRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            TestRunSpecs.of(
                "/p.yml",
                List.of(),
                Map.of(),
                List.of(),
                Optional.empty(),
                1,
                Optional.empty(),
                false,
                List.of(),
                List.of(),
                false,
                List.of(),
                List.of(),
                false));
  }
}
