package dev.orchestrator.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A run stores typed {@code -e} values ({@code -e @FILE}, {@code -e '{...}'}), {@code -u} and
 * {@code --private-key}; a run.json written before them still loads.
 */
class RunSpecAnsibleOptionsTest {
  @Test
  void typedExtraVarsUserAndKeyAreWrittenAndReadBack() throws Exception {
    // given a spec with a number, a list, a null and a text as -e values, -u and --private-key
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("n", 5);
    vars.put("l", List.of(1, "x"));
    vars.put("nothing", null);
    vars.put("t", "text");
    RunSpec spec =
        new RunSpec(
            "/p.yml",
            List.of("web1,web2,"),
            vars,
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
            false,
            "ops",
            Optional.of("deploy"),
            Optional.of("/keys/id"),
            new dev.orchestrator.common.Privilege(true, Optional.of("app"), Optional.of("su")),
            Optional.empty());
    // when written and read again
    RunSpec back = Json.MAPPER.readValue(Json.MAPPER.writeValueAsString(spec), RunSpec.class);
    // then the same values, types kept
    assertEquals(spec, back);
    assertEquals(5, back.extraVars().get("n"));
    assertEquals(Optional.of("deploy"), back.remoteUser());
  }

  @Test
  void aRunJsonWithoutThemLoadsWithout() throws Exception {
    // given a run.json of the version before -u/--private-key
    String old =
        "{\"playbook\": \"/p.yml\", \"inventories\": [\"/inv.yml\"], \"extraVars\": {\"a\": \"1\"},"
            + " \"secretVarNames\": [], \"limit\": null, \"forks\": 5, \"knownHosts\": null,"
            + " \"acceptNewHostKeys\": false}";
    // when read; then neither is set
    RunSpec spec = Json.MAPPER.readValue(old, RunSpec.class);
    assertEquals(Optional.empty(), spec.remoteUser());
    assertEquals(Optional.empty(), spec.privateKey());
    assertEquals(dev.orchestrator.common.Privilege.NONE, spec.privilege());
    assertEquals(Map.of("a", "1"), spec.extraVars());
  }
}
