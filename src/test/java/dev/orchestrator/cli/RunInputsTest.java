package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command assembles a run's variables in one place ({@link RunInputs}): {@code plan} predicts
 * with the same variables {@code run} executes with, for every combination of their sources, and
 * the commands on a stored run (plan --run, approve, reject, abort) use its stored vars files.
 */
class RunInputsTest {
  /** The CLI under test; its local hosts live in the test's home folder (set per test). */
  private Cli.Session cli =
      Cli.withLocalHome(java.nio.file.Path.of(System.getProperty("user.home")));

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  /** connection: local works in the user's home; give each test its own (leases live there). */
  @BeforeEach
  void localHome(@TempDir Path home) {
    cli = Cli.withLocalHome(home);
  }

  /** The sources of {@code a}, lowest precedence first, after the playbook's default. */
  private static final List<String> SOURCES = List.of("vars_file", "secrets_file", "e");

  /**
   * Stage {@code one} (h1), an approval gate, stage {@code two} (h2); one step per possible value
   * of {@code a}, each running only when {@code a} has that value.
   */
  private void writeFiles() throws IOException {
    Files.writeString(
        dir.resolve("inv.yml"),
        """
        all:
          children:
            one: {hosts: {h1: {connection: local}}}
            two: {hosts: {h2: {connection: local}}}
        """);
    StringBuilder pb =
        new StringBuilder(
            """
            vars:
              a: default
            stages:
              - {name: one, hosts: one}
              - name: two
                hosts: two
                gates:
                  - approval: "go on?"
            steps:
            """);
    for (String s : List.of("default", "vars_file", "secrets_file", "e")) {
      pb.append("  - {id: from_")
          .append(s)
          .append(", when: \"a == '")
          .append(s)
          .append("'\", shell: \"true\"}\n");
    }
    Files.writeString(dir.resolve("pb.yml"), pb.toString());
    Files.writeString(dir.resolve("vars.yml"), "a: vars_file\n");
    Files.writeString(dir.resolve("secrets.yml"), "a: secrets_file\n");
  }

  private String[] args(String command, List<String> sources, String... more) {
    List<String> args = new ArrayList<>(List.of(command, dir.resolve("pb.yml").toString()));
    args.addAll(List.of("-i", dir.resolve("inv.yml").toString()));
    args.addAll(List.of("--state-dir", dir.resolve("state").toString(), "-o", "json"));
    args.addAll(options(sources));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  private List<String> options(List<String> sources) {
    List<String> out = new ArrayList<>();
    if (sources.contains("vars_file")) {
      out.addAll(List.of("--vars-file", dir.resolve("vars.yml").toString()));
    }
    if (sources.contains("secrets_file")) {
      out.addAll(List.of("--secrets-file", dir.resolve("secrets.yml").toString()));
    }
    if (sources.contains("e")) {
      out.addAll(List.of("-e", "a=e"));
    }
    return out;
  }

  /** host/step pairs a JSON plan says will run. */
  private static Set<String> planned(Cli.Result plan) throws IOException {
    assertEquals(0, plan.exitCode(), plan.out() + plan.err());
    Set<String> out = new TreeSet<>();
    for (JsonNode stage : JSON.readTree(plan.out()).get("stages")) {
      for (JsonNode batch : stage.get("batches")) {
        for (JsonNode host : batch.get("hosts")) {
          for (JsonNode step : host.get("steps")) {
            if (step.get("will_run").asBoolean()) {
              out.add(host.get("name").asText() + "/" + step.get("id").asText());
            }
          }
        }
      }
    }
    return out;
  }

  /** host/step pairs that succeeded, from JSON events. */
  private static Set<String> executed(Cli.Result run) throws IOException {
    Set<String> out = new TreeSet<>();
    for (String line : run.out().strip().split("\n")) {
      JsonNode e = JSON.readTree(line);
      if (e.get("event").asText().equals("step_finished")
          && e.get("status").asText().equals("succeeded")) {
        out.add(e.get("host").asText() + "/" + e.get("step").asText());
      }
    }
    return out;
  }

  @Test
  void planAndRunSeeTheSameVarsForEveryCombinationOfSources() throws IOException {
    writeFiles();
    for (int mask = 0; mask < 1 << SOURCES.size(); mask++) {
      List<String> sources = new ArrayList<>();
      for (int i = 0; i < SOURCES.size(); i++) {
        if ((mask & (1 << i)) != 0) {
          sources.add(SOURCES.get(i));
        }
      }
      String winner = sources.isEmpty() ? "default" : sources.get(sources.size() - 1);

      // given: a new run's plan
      Set<String> plan = planned(cli.run(args("plan", sources)));
      assertEquals(Set.of("h1/from_" + winner, "h2/from_" + winner), plan, "plan with " + sources);

      // when: the run goes as far as the approval gate
      Cli.Result run = cli.run(args("run", sources));
      assertEquals(3, run.exitCode(), run.out() + run.err());
      assertEquals(Set.of("h1/from_" + winner), executed(run), "run with " + sources);
      String id = runId(run);

      // then: plan --run, with nothing given again, predicts h2 with the run's stored inputs
      Cli.Result again =
          cli.run(args("plan", sources.contains("e") ? List.of("e") : List.of(), "--run", id));
      assertEquals(Set.of("h2/from_" + winner), planned(again), "plan --run after " + sources);

      // and approve continues the run with the same inputs
      Cli.Result approve =
          cli.run(
              "approve",
              id,
              "--state-dir",
              dir.resolve("state").toString(),
              "-o",
              "json",
              "-e",
              sources.contains("e") ? "a=e" : "unused=1");
      assertEquals(0, approve.exitCode(), approve.out() + approve.err());
      assertEquals(Set.of("h2/from_" + winner), executed(approve), "approve after " + sources);
    }
  }

  @Test
  void varsFilesGivenNowOverrideTheStoredOnesForPlanAndResumeAlike() throws IOException {
    writeFiles();
    Cli.Result run = cli.run(args("run", List.of("vars_file")));
    assertEquals(3, run.exitCode(), run.out() + run.err());
    String id = runId(run);
    Path other = dir.resolve("other.yml");
    Files.writeString(other, "a: e\n");

    Cli.Result plan =
        cli.run(args("plan", List.of(), "--run", id, "--vars-file", other.toString()));
    assertEquals(Set.of("h2/from_e"), planned(plan));
    Cli.Result approve =
        cli.run(
            "approve",
            id,
            "--state-dir",
            dir.resolve("state").toString(),
            "-o",
            "json",
            "--vars-file",
            other.toString());
    assertEquals(0, approve.exitCode(), approve.out() + approve.err());
    assertEquals(Set.of("h2/from_e"), executed(approve));
  }

  @Test
  void approveRejectAndAbortReadTheVarsFilesGivenBeforeWritingAnything() throws IOException {
    writeFiles();
    Cli.Result run = cli.run(args("run", List.of("vars_file")));
    assertEquals(3, run.exitCode(), run.out() + run.err());
    String id = runId(run);
    Path journal = dir.resolve("state/runs/" + id + "/journal.jsonl");
    Path info = dir.resolve("state/runs/" + id + "/run.json");
    String journalBefore = Files.readString(journal);
    String infoBefore = Files.readString(info);
    String missing = dir.resolve("missing.yml").toString();
    for (String command : List.of("approve", "reject", "abort")) {
      for (String option : List.of("--vars-file", "--secrets-file")) {
        // when: the command is given a vars (or secrets) file that does not exist
        Cli.Result r =
            cli.run(command, id, "--state-dir", dir.resolve("state").toString(), option, missing);
        // then: a clear error, exit 2, and the run is as it was
        assertEquals(2, r.exitCode(), command + " " + option + ": " + r.out() + r.err());
        assertTrue(r.err().contains("missing.yml"), r.err());
        assertEquals(journalBefore, Files.readString(journal), command + " wrote the journal");
        assertEquals(infoBefore, Files.readString(info), command + " wrote run.json");
      }
    }
  }

  @Test
  void aSecretGivenAtRunTimeIsAskedForAgainByPlanRun() throws IOException {
    writeFiles();
    Cli.Result run = cli.run(args("run", List.of(), "-e", "db_password=hunter22"));
    assertEquals(3, run.exitCode(), run.out() + run.err());
    String id = runId(run);
    assertFalse(
        Files.readString(dir.resolve("state/runs/" + id + "/run.json")).contains("hunter22"));
    Cli.Result plan = cli.run(args("plan", List.of(), "--run", id));
    assertEquals(2, plan.exitCode(), plan.out() + plan.err());
    assertTrue(plan.err().contains("-e db_password="), plan.err());
    Cli.Result given = cli.run(args("plan", List.of(), "--run", id, "-e", "db_password=x"));
    assertEquals(Set.of("h2/from_default"), planned(given));
  }

  private static String runId(Cli.Result run) throws IOException {
    return JSON.readTree(run.out().strip().split("\n")[0]).get("run_id").asText();
  }
}
