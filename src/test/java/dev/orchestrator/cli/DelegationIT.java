package dev.orchestrator.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestrator.sandbox.TestFleet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code delegate_to} and {@code local_action} over SSH: three web hosts drained on one load
 * balancer host from the controller (no web host has any access to the load balancer), a
 * controller-side file written through {@code delegate_to: localhost}, and two runs that may not
 * interleave on the load balancer.
 */
class DelegationIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private TestFleet fleet;
  private Path controllerHome;

  @BeforeEach
  void start() throws IOException {
    Map<String, String> groups = new LinkedHashMap<>();
    groups.put("web1", "web");
    groups.put("web2", "web");
    groups.put("web3", "web");
    groups.put("lb1", "lb");
    fleet = TestFleet.start(dir, groups);
    controllerHome = Files.createDirectories(dir.resolve("controller"));
  }

  @AfterEach
  void stop() throws IOException {
    fleet.close();
  }

  private Cli.Result cli(String... args) {
    return Cli.withLocalHome(controllerHome).run(args);
  }

  private String[] common(String stateDir, String... extra) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "-i",
                fleet.inventory().toString(),
                "--known-hosts",
                fleet.knownHosts().toString(),
                "--state-dir",
                dir.resolve(stateDir).toString()));
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private Path playbook(String text) throws IOException {
    Path pb = dir.resolve("pb.yml");
    Files.writeString(pb, text);
    return pb;
  }

  private static final String ROLLING =
      """
      stages:
        - name: web
          hosts: web
          serial: 1
      steps:
        - id: drain
          delegate_to: lb1
          shell: echo "drain {{ inventory_hostname }} via {{ ansible_host }}" >> drained
        - id: work
          shell: echo "{{ inventory_hostname }}" > here
        - id: note
          local_action: shell echo "{{ inventory_hostname }}" >> "$HOME/notes"
        - id: enable
          delegate_to: "{{ lb_host }}"
          shell: echo "enable {{ inventory_hostname }}" >> drained
      vars:
        lb_host: lb1
      """;

  @Test
  void eachWebHostIsDrainedOnceOnTheLoadBalancerFromTheController() throws IOException {
    // given three web hosts whose drain and enable steps are delegated to lb1
    Path pb = playbook(ROLLING);
    // when it runs
    Cli.Result run = cli(concat(new String[] {"run", pb.toString()}, common("state")));
    // then the load balancer's file lists each target once per step, in batch order
    assertEquals(0, run.exitCode(), run.out() + run.err());
    assertEquals(
        List.of(
            "drain web1 via 127.0.0.1",
            "enable web1",
            "drain web2 via 127.0.0.1",
            "enable web2",
            "drain web3 via 127.0.0.1",
            "enable web3"),
        Files.readAllLines(fleet.home("lb1").resolve("drained")));
    // the targets' own steps ran on them, and nothing of the delegated steps did
    for (String web : List.of("web1", "web2", "web3")) {
      assertEquals(web + "\n", Files.readString(fleet.home(web).resolve("here")));
      assertFalse(Files.exists(fleet.home(web).resolve("drained")), web);
    }
    // local_action ran on the controller, in its home
    assertEquals(
        List.of("web1", "web2", "web3"), Files.readAllLines(controllerHome.resolve("notes")));
    // and no lease is left on the load balancer or the controller
    assertFalse(Files.exists(fleet.home("lb1").resolve(".orchestrator/leases/lb1.lock")));
    assertFalse(Files.exists(controllerHome.resolve(".orchestrator/leases/localhost.lock")));
  }

  @Test
  void thePlanShowsDelegatedStepsUnderTheirDelegateAndMatchesTheRun() throws IOException {
    // given the rolling playbook
    Path pb = playbook(ROLLING);
    // when it is planned, as text and as JSON with --check
    Cli.Result text = cli(concat(new String[] {"plan", pb.toString()}, common("state")));
    Cli.Result plan =
        cli(
            concat(
                new String[] {"plan", pb.toString(), "--check"},
                common("state", "--output", "json")));
    // then each delegated step names its delegate
    assertEquals(0, text.exitCode(), text.err());
    assertTrue(text.out().contains("run → lb1"), text.out());
    assertTrue(text.out().contains("run → localhost"), text.out());
    assertEquals(0, plan.exitCode(), plan.err());
    Set<String> predicted = new TreeSet<>();
    for (JsonNode stage : JSON.readTree(plan.out()).get("stages")) {
      for (JsonNode batch : stage.get("batches")) {
        for (JsonNode host : batch.get("hosts")) {
          for (JsonNode step : host.get("steps")) {
            if (step.get("will_run").asBoolean()) {
              predicted.add(
                  host.get("name").asText()
                      + "/"
                      + step.get("id").asText()
                      + (step.has("delegate_to") ? "→" + step.get("delegate_to").asText() : ""));
            }
          }
        }
      }
    }
    assertTrue(predicted.contains("web2/drain→lb1"), predicted.toString());
    assertTrue(predicted.contains("web2/note→localhost"), predicted.toString());
    // and the run starts exactly those steps, under their target hosts
    Cli.Result run =
        cli(concat(new String[] {"run", pb.toString()}, common("state", "--output", "json")));
    assertEquals(0, run.exitCode(), run.err());
    Set<String> executed = new TreeSet<>();
    for (String line : run.out().strip().split("\n")) {
      JsonNode e = JSON.readTree(line);
      if (e.get("event").asText().equals("step_started")) {
        executed.add(e.get("host").asText() + "/" + e.get("step").asText());
      }
    }
    assertEquals(
        predicted.stream()
            .map(p -> p.replaceAll("→.*", ""))
            .collect(java.util.stream.Collectors.toCollection(TreeSet::new)),
        executed);
  }

  @Test
  void anUnknownDelegateIsRefusedBeforeAnythingRuns() throws IOException {
    // given a step delegated to a host the inventory does not have
    Path pb =
        playbook(
            "hosts: web\nsteps:\n  - id: a\n    shell: touch ran\n  - id: drain\n    delegate_to: lb9\n    shell: echo x\n");
    // when it is planned or run
    Cli.Result plan = cli(concat(new String[] {"plan", pb.toString()}, common("state")));
    Cli.Result run = cli(concat(new String[] {"run", pb.toString()}, common("state")));
    Cli.Result validate = cli("validate", pb.toString(), "-i", fleet.inventory().toString());
    // then all three refuse it with the step's place, and nothing ran
    for (Cli.Result r : List.of(plan, run, validate)) {
      assertEquals(2, r.exitCode(), r.out() + r.err());
      assertTrue(
          r.err()
              .contains(
                  "pb.yml:5:5: step 'drain', delegate_to, host 'web1': the delegate 'lb9' is not a host of the inventory"),
          r.err());
    }
    assertFalse(Files.exists(fleet.home("web1").resolve("ran")));
  }

  @Test
  void twoRunsDoNotInterleaveOnTheDelegate() throws Exception {
    // given a load balancer whose delegated steps wait at most 1 s for another run's lease
    fleet.writeInventory("    lease_wait: 1\n");
    Path pb =
        playbook(
            """
            hosts: web
            steps:
              - id: drain
                delegate_to: lb1
                shell: |
                  echo "start {{ inventory_hostname }}" >> log
                  i=0; while [ ! -e "go-{{ inventory_hostname }}" ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i+1)); done
                  echo "end {{ inventory_hostname }}" >> log
            """);
    Files.writeString(fleet.home("lb1").resolve("go-web2"), "");
    // when run A (web1) is inside its delegated step on lb1
    Process a =
        Cli.controller(
            dir.resolve("a.log"),
            concat(new String[] {"run", pb.toString()}, common("state-a", "--limit", "web1")));
    Path lease = fleet.home("lb1").resolve(".orchestrator/leases/lb1.lock");
    await("run A to lease lb1").atMost(Duration.ofSeconds(60)).until(() -> Files.exists(lease));
    // and run B (web2) reaches its own step delegated to lb1
    Cli.Result b =
        cli(concat(new String[] {"run", pb.toString()}, common("state-b", "--limit", "web2")));
    // then B does not interleave: it waited its second, then paused naming A's lease and the way
    // out
    assertEquals(3, b.exitCode(), b.out() + b.err());
    assertTrue(b.out().contains("the delegate lb1 is busy: lb1 is leased by run"), b.out());
    assertTrue(b.out().contains("orchestrator unlock lb1 -i "), b.out());
    assertEquals(List.of("start web1"), Files.readAllLines(fleet.home("lb1").resolve("log")));
    // when A finishes and B is resumed
    Files.writeString(fleet.home("lb1").resolve("go-web1"), "");
    assertEquals(0, a.waitFor(), Files.readString(dir.resolve("a.log")));
    String runB = b.out().replaceAll("(?s).*orchestrator resume (\\S+).*", "$1");
    Cli.Result resumed = cli("resume", runB, "--state-dir", dir.resolve("state-b").toString());
    // then B's step runs after A's, whole
    assertEquals(0, resumed.exitCode(), resumed.out() + resumed.err());
    assertEquals(
        List.of("start web1", "end web1", "start web2", "end web2"),
        Files.readAllLines(fleet.home("lb1").resolve("log")));
    assertFalse(Files.exists(lease));
  }
}
