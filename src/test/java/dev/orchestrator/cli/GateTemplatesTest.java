package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The templates of gates (health url, json and shell per host, approval text, wait time) are
 * rendered before anything runs: an undefined variable there is an input error of validate, plan
 * and run alike (exit 2, the gate's file:line:column, the stage and the variable; nothing written),
 * not a gate that waits out its timeout.
 */
class GateTemplatesTest {
  @TempDir Path dir;

  /** Each gate written with the undefined variable {@code nosuch}, and the field it sits in. */
  private static String gate(String kind) {
    return switch (kind) {
      case "url" -> "- health: {url: \"http://{{ inventory_hostname }}/{{ nosuch }}\"}";
      case "json" -> "- health: {url: \"http://127.0.0.1:9/\", json: {version: \"{{ nosuch }}\"}}";
      case "shell" -> "- health: {shell: \"test -e {{ nosuch }}\"}";
      case "approval" -> "- approval: \"promote {{ nosuch }}?\"";
      case "wait" -> "- wait: \"{{ nosuch }}\"";
      default -> throw new IllegalArgumentException(kind);
    };
  }

  private void write(String gates, String batchGates) throws IOException {
    Files.writeString(
        dir.resolve("inv.yml"),
        """
        all:
          children:
            qa: {hosts: {q1: {connection: local}}}
            prod: {hosts: {p1: {connection: local}, p2: {connection: local}}}
        """);
    Files.writeString(
        dir.resolve("pb.yml"),
        "stages:\n"
            + "  - {name: qa, hosts: qa}\n"
            + "  - name: production\n"
            + "    hosts: prod\n"
            + "    serial: 1\n"
            + "    gates:\n"
            + "      "
            + gates
            + "\n"
            + "    batch_gates:\n"
            + "      "
            + batchGates
            + "\n"
            + "steps:\n"
            + "  - {id: touch, shell: \"touch {{ inventory_hostname }}.done\"}\n");
  }

  private List<String> command(String verb) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                verb, dir.resolve("pb.yml").toString(), "-i", dir.resolve("inv.yml").toString()));
    if (!verb.equals("validate")) {
      args.addAll(List.of("--state-dir", dir.resolve("state").toString()));
    }
    return args;
  }

  @ParameterizedTest
  @ValueSource(strings = {"url", "json", "shell", "approval", "wait"})
  void anUndefinedVariableInAStageGateIsAnInputErrorOfValidatePlanAndRun(String kind)
      throws IOException {
    write(gate(kind), "- wait: 0s");
    for (String verb : List.of("validate", "plan", "run")) {
      Cli.Result r = Cli.run(command(verb).toArray(String[]::new));
      assertEquals(2, r.exitCode(), verb + " " + kind + ": " + r.out() + r.err());
      assertTrue(r.err().contains("undefined variable 'nosuch'"), verb + ": " + r.err());
      assertTrue(r.err().contains("stage 'production'"), r.err());
      assertTrue(r.err().contains(dir.resolve("pb.yml") + ":7:"), "file:line:column: " + r.err());
      if (!kind.equals("approval") && !kind.equals("wait")) {
        assertTrue(r.err().contains("on host 'q1'"), "health checks run on qa's hosts: " + r.err());
      }
    }
    assertFalse(Files.exists(dir.resolve("state")), "nothing written");
  }

  @ParameterizedTest
  @ValueSource(strings = {"url", "json", "shell", "approval", "wait"})
  void anUndefinedVariableInABatchGateIsAnInputError(String kind) throws IOException {
    write("- wait: 0s", gate(kind));
    Cli.Result r = Cli.run(command("run").toArray(String[]::new));
    assertEquals(2, r.exitCode(), kind + ": " + r.out() + r.err());
    assertTrue(r.err().contains("undefined variable 'nosuch'"), r.err());
    assertTrue(r.err().contains(dir.resolve("pb.yml") + ":9:"), "file:line:column: " + r.err());
    assertFalse(Files.exists(dir.resolve("state")), "nothing written");
  }

  @Test
  void aTemplatedWaitThatIsNoDurationIsAnInputError() throws IOException {
    write("- wait: \"{{ soak }}\"", "- wait: 0s");
    List<String> args = new java.util.ArrayList<>(command("validate"));
    args.addAll(List.of("-e", "soak=soon"));
    Cli.Result r = Cli.run(args.toArray(String[]::new));
    assertEquals(2, r.exitCode(), r.out() + r.err());
    assertTrue(r.err().contains("'soon' is not a duration"), r.err());
    args.set(args.size() - 1, "soak=0s");
    assertEquals(0, Cli.run(args.toArray(String[]::new)).exitCode());
  }

  @Test
  void definedGateTemplatesPass() throws IOException {
    write(
        "- health: {shell: \"test -e {{ inventory_hostname }}.done\"}",
        "- approval: \"{{ run_id }} ok?\"");
    Cli.Result r = Cli.run(command("validate").toArray(String[]::new));
    assertEquals(0, r.exitCode(), r.out() + r.err());
  }
}
