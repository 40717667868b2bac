package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code include_vars} run on one host ({@link ControllerRun}): the vars of a literal and of a
 * templated file become the host's vars for the steps after it, and its result is checkpointed.
 */
class IncludeVarsRunTest {
  @TempDir Path dir;

  @Test
  void includedVarsReachTheLaterSteps() throws Exception {
    // given two vars files and a playbook that includes one literally, one by a templated name
    Files.createDirectories(dir.resolve("vars"));
    Files.writeString(dir.resolve("vars/main.yml"), "port: 8080\n");
    Files.writeString(dir.resolve("vars/Debian.yml"), "daemon: apache2\ndb_password: s3cret\n");
    try (ControllerRun run = new ControllerRun(dir)) {
      var planned =
          run.plan(
              """
              vars: {family: Debian}
              steps:
                - {id: main, include_vars: main.yml}
                - {id: os, include_vars: {file: "{{ family }}.yml", name: os}}
                - id: check
                  assert:
                    that: ["port == 8080", "os.daemon == 'apache2'"]
              """);
      // when it runs
      HostOutcome outcome = run.run(planned);
      // then every step succeeded: the assert saw the included vars
      assertEquals(new HostOutcome.Done("h1"), outcome);
      assertEquals(
          Map.of("main", "SUCCEEDED", "os", "SUCCEEDED", "check", "SUCCEEDED"), run.ended());
    }
  }

  @Test
  void aTemplatedNameWithoutAFileFailsTheStep() throws Exception {
    // given a templated name that renders to no file
    try (ControllerRun run = new ControllerRun(dir)) {
      var planned =
          run.plan(
              """
              vars: {family: Nope}
              steps:
                - {id: os, include_vars: "{{ family | lower }}.yml", ignore_errors: true, register: r}
              """);
      // when it runs
      run.run(planned);
      // then the step failed naming the file and where it was looked for
      String os = run.ended().get("os");
      assertTrue(os.contains("could not find or access 'nope.yml'"), os);
    }
  }

  @Test
  void theLogNamesTheIncludedVarsNeverTheirValues() throws Exception {
    // given a vars file with a secret-looking name
    Files.writeString(dir.resolve("db.yml"), "db_password: s3cret\n");
    Map<String, Object> raw =
        Map.of(
            "file",
            "db.yml",
            "_source",
            dir.resolve("db.yml").toString(),
            "_vars",
            Map.of("db_password", "s3cret"));
    // when the step's outcome is made
    ModuleOutcome o =
        IncludeVars.outcome(
            new ModuleArgs(new dev.orchestrator.template.TemplateEngine(), raw, Map.of()), raw);
    // then the output names the var only, and the facts hold the value
    assertTrue(o.result().stdout().contains("db_password"), o.result().stdout());
    assertTrue(!o.result().stdout().contains("s3cret"), o.result().stdout());
    assertEquals(Map.of("db_password", "s3cret"), o.fields().get("ansible_facts"));
  }
}
