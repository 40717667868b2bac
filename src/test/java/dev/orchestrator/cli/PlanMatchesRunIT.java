package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestrator.sandbox.SandboxFleet;
import dev.orchestrator.sandbox.TestFleet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code plan --check} predicts exactly the steps the following {@code run} executes. */
class PlanMatchesRunIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  /** host/step pairs the plan says will run. */
  private static Set<String> planned(Cli.Result plan) throws IOException {
    assertEquals(0, plan.exitCode(), plan.err());
    Set<String> out = new TreeSet<>();
    JsonNode root = JSON.readTree(plan.out());
    assertTrue(root.get("probed").asBoolean());
    for (JsonNode stage : root.get("stages")) {
      for (JsonNode batch : stage.get("batches")) {
        for (JsonNode host : batch.get("hosts")) {
          for (JsonNode step : host.get("steps")) {
            assertTrue(
                !step.get("prediction").asText().equals("decided_at_run_time"),
                "--check left " + host.get("name") + "/" + step.get("id") + " undecided");
            String name = host.get("name").asText();
            boolean here =
                !step.has("run_once_on") || step.get("run_once_on").asText().equals(name);
            if (step.get("will_run").asBoolean() && here) { // run_once: on one host only
              out.add(name + "/" + step.get("id").asText());
            }
          }
        }
      }
    }
    return out;
  }

  /** host/step pairs the run started. */
  private static Set<String> executed(Cli.Result run) throws IOException {
    Set<String> out = new TreeSet<>();
    for (String line : run.out().strip().split("\n")) {
      JsonNode e = JSON.readTree(line);
      if (e.get("event").asText().equals("step_started")) {
        out.add(e.get("host").asText() + "/" + e.get("step").asText());
      }
    }
    return out;
  }

  @Test
  void onConditionsProbesAndCreates() throws IOException {
    try (TestFleet fleet = TestFleet.start(dir, Map.of("h1", "web", "h2", "web"))) {
      Files.writeString(fleet.home("h1").resolve("version"), "new\n");
      Files.writeString(fleet.home("h1").resolve("marker"), "");
      Path pb = dir.resolve("pb.yml");
      Files.writeString(
          pb,
          """
          hosts: web
          steps:
            - id: probe
              shell: cat version 2>/dev/null || echo none
              register: v
              check: true
            - id: upgrade
              when: v.stdout != 'new'
              shell: echo new > version
            - id: marker
              creates: marker
              shell: touch marker
            - id: always
              shell: "true"
            - id: peers
              when: "groups['web'] | length == 2 and v.stdout.strip().startswith('new')"
              shell: "echo {{ groups.web | join(',') }}"
            - id: batch
              when: >-
                inventory_hostname in ansible_play_batch
                and hostvars['h2'].inventory_hostname_short == 'h2'
                and inventory_hostname.endswith('2')
              shell: "echo {{ hostvars[groups.web[0]].inventory_hostname }}"
          """);
      String[] common = {
        "-i",
        fleet.inventory().toString(),
        "--known-hosts",
        fleet.knownHosts().toString(),
        "--state-dir",
        dir.resolve("state").toString(),
        "--output",
        "json"
      };
      Set<String> predicted =
          planned(Cli.run(concat(new String[] {"plan", pb.toString(), "--check"}, common)));
      assertEquals(
          Set.of(
              "h1/probe",
              "h1/always",
              "h1/peers",
              "h2/probe",
              "h2/upgrade",
              "h2/marker",
              "h2/always",
              "h2/batch"),
          predicted);
      assertEquals(
          predicted, executed(Cli.run(concat(new String[] {"run", pb.toString()}, common))));
    }
  }

  /** plan --check gathers the facts (read-only) and decides with them as the run then does. */
  @Test
  void onGatheredFacts() throws IOException {
    try (TestFleet fleet = TestFleet.start(dir, Map.of("h1", "web"))) {
      Path pb = dir.resolve("facts.yml");
      Files.writeString(
          pb,
          """
          hosts: web
          gather_facts: true
          steps:
            - id: on-linux
              when: ansible_system == "Linux" and ansible_facts.kernel | length > 0
              shell: echo "{{ ansible_hostname }} {{ ansible_date_time.epoch }}"
            - id: on-windows
              when: ansible_os_family == "Windows"
              shell: "false"
            - id: read-state
              shell: echo state
              register: state
              fact: true
          """);
      String[] common = {
        "-i",
        fleet.inventory().toString(),
        "--known-hosts",
        fleet.knownHosts().toString(),
        "--state-dir",
        dir.resolve("state").toString(),
        "--output",
        "json"
      };
      Set<String> predicted =
          planned(Cli.run(concat(new String[] {"plan", pb.toString(), "--check"}, common)));
      assertEquals(Set.of("h1/on-linux", "h1/read-state"), predicted);
      assertEquals(
          predicted, executed(Cli.run(concat(new String[] {"run", pb.toString()}, common))));
    }
  }

  @Test
  void withARoleAStepFileAndVarsFiles() throws IOException {
    try (TestFleet fleet = TestFleet.start(dir, Map.of("h1", "web", "h2", "web"))) {
      // given a role with defaults, vars and a step file imported for h1 with its own vars
      write("roles/web/defaults/main.yml", "greeting: hello\n");
      write("roles/web/vars/main.yml", "port: 8080\n");
      write(
          "roles/web/tasks/main.yml",
          """
          - id: write-port
            shell: echo {{ port }} > port
          - import_steps: drain.yml
            when: inventory_hostname == 'h1'
            vars: {port: 9090}
          """);
      write("roles/web/tasks/drain.yml", "- id: drain\n  shell: echo {{ port }} > drained\n");
      write("vf.yml", "greeting: from-file\n");
      Path pb = dir.resolve("pb.yml");
      Files.writeString(
          pb,
          """
          hosts: web
          vars_files: [vf.yml]
          roles: [web]
          steps:
            - id: greet
              shell: echo {{ greeting }} {{ port }} > greet
          """);
      String[] common = {
        "-i",
        fleet.inventory().toString(),
        "--known-hosts",
        fleet.knownHosts().toString(),
        "--state-dir",
        dir.resolve("state").toString(),
        "--output",
        "json"
      };
      // when planned, then run
      Set<String> predicted =
          planned(Cli.run(concat(new String[] {"plan", pb.toString(), "--check"}, common)));
      // then the role's steps, prefixed with its name, come first, the step file's on h1 only
      assertEquals(
          Set.of("h1/web.write-port", "h1/web.drain", "h1/greet", "h2/web.write-port", "h2/greet"),
          predicted);
      assertEquals(
          predicted, executed(Cli.run(concat(new String[] {"run", pb.toString()}, common))));
      // and each step ran with its scope's values
      assertEquals("8080\n", Files.readString(fleet.home("h1").resolve("port")));
      assertEquals("9090\n", Files.readString(fleet.home("h1").resolve("drained")));
      assertEquals("from-file 8080\n", Files.readString(fleet.home("h1").resolve("greet")));
      assertTrue(Files.notExists(fleet.home("h2").resolve("drained")));
    }
  }

  private void write(String name, String text) throws IOException {
    Path f = dir.resolve(name);
    Files.createDirectories(f.getParent());
    Files.writeString(f, text);
  }

  @Test
  void onFileSteps() throws IOException {
    try (TestFleet fleet = TestFleet.start(dir, Map.of("h1", "web", "h2", "web"))) {
      // given a copy step, and a step that runs only when the copy changed the file
      Files.writeString(fleet.home("h1").resolve("motd"), "hello\n");
      Path pb = dir.resolve("pb.yml");
      Files.writeString(
          pb,
          """
          hosts: web
          steps:
            - id: motd
              copy: {content: "hello\\n", dest: motd}
              register: m
            - id: reload
              when: m.changed
              shell: "true"
          """);
      String[] common = {
        "-i",
        fleet.inventory().toString(),
        "--known-hosts",
        fleet.knownHosts().toString(),
        "--state-dir",
        dir.resolve("state").toString(),
        "--output",
        "json"
      };
      Cli.Result plan = Cli.run(concat(new String[] {"plan", pb.toString(), "--check"}, common));
      assertEquals(0, plan.exitCode(), plan.err());
      Set<String> executed = executed(Cli.run(concat(new String[] {"run", pb.toString()}, common)));
      // then the file steps the plan shows run on both hosts (the copy converges, so it runs)
      assertTrue(plan.out().contains("\"motd\""), plan.out());
      assertTrue(
          executed.containsAll(Set.of("h1/motd", "h2/motd", "h2/reload")), executed.toString());
    }
  }

  @Test
  void onTheSandboxFleetBeforeAndAfterTheUpdate() throws IOException {
    SandboxFleet fleet = SandboxFleet.create(dir.resolve("sb"), 1, 2, "27.1.11", "28.0.14");
    try (SandboxFleet.Servers servers = fleet.start()) {
      String[] common = {
        "-i",
        fleet.inventory().toString(),
        "--known-hosts",
        fleet.knownHosts().toString(),
        "--state-dir",
        dir.resolve("state").toString(),
        "--output",
        "json",
        "-e",
        "soak_time=0s"
      };
      String playbook = Path.of("playbooks/nextcloud-update.yml").toString();
      for (int round = 1; round <= 2; round++) {
        Set<String> predicted =
            planned(Cli.run(concat(new String[] {"plan", playbook, "--check"}, common)));
        Cli.Result run = Cli.run(concat(new String[] {"run", playbook, "--forks", "3"}, common));
        Set<String> executed = executed(run);
        if (run.exitCode() == 3) {
          // the approval gate before production: approve it, the run goes on
          String runId =
              JSON.readTree(
                      run.out()
                          .lines()
                          .filter(l -> l.contains("\"run_started\""))
                          .findFirst()
                          .orElseThrow())
                  .get("run_id")
                  .asText();
          Cli.Result approved =
              Cli.run(
                  "approve",
                  runId,
                  "--output",
                  "json",
                  "--state-dir",
                  dir.resolve("state").toString());
          assertEquals(0, approved.exitCode(), approved.out() + approved.err());
          executed.addAll(executed(approved));
        }
        assertEquals(predicted, executed, "round " + round);
        assertTrue(predicted.contains("prod-1/verify"));
        assertEquals(
            round == 1,
            predicted.contains("prod-1/upgrade"),
            "round " + round + ": only the first run upgrades");
      }
    }
  }

  @Test
  void onLoopsKnownBeforeTheRunAndDecidedByAProbe() throws IOException {
    try (TestFleet fleet = TestFleet.start(dir, Map.of("h1", "web", "h2", "web"))) {
      // given a loop over a list that differs per host, with a per-item when, and a loop over
      // the lines a probe registers (decided by plan --check, expanded again by the run)
      Files.writeString(fleet.home("h1").resolve("apps"), "x\ny\n");
      Files.writeString(fleet.home("h2").resolve("apps"), "z\n");
      Path pb = dir.resolve("loops.yml");
      Files.writeString(
          pb,
          """
          hosts: web
          vars:
            lbs: {h1: [lb1, lb2, skipme], h2: [lb3]}
          steps:
            - id: drain
              shell: echo {{ item }} >> drained
              loop: "{{ lbs[inventory_hostname] }}"
              when: item != 'skipme'
            - id: apps
              shell: cat apps
              register: apps
              check: true
            - id: disable
              shell: echo {{ app }} >> disabled
              with_items: "{{ apps.stdout_lines }}"
              loop_control: {loop_var: app}
          """);
      String[] common = {
        "-i",
        fleet.inventory().toString(),
        "--known-hosts",
        fleet.knownHosts().toString(),
        "--state-dir",
        dir.resolve("state").toString(),
        "--output",
        "json"
      };

      // when plan --check predicts and the run runs
      Set<String> predicted =
          planned(Cli.run(concat(new String[] {"plan", pb.toString(), "--check"}, common)));

      // then each item is its own line, and the run starts exactly those
      assertEquals(
          Set.of(
              "h1/drain[lb1]",
              "h1/drain[lb2]",
              "h1/apps",
              "h1/disable[x]",
              "h1/disable[y]",
              "h2/drain[lb3]",
              "h2/apps",
              "h2/disable[z]"),
          predicted);
      assertEquals(
          predicted, executed(Cli.run(concat(new String[] {"run", pb.toString()}, common))));
      assertEquals("lb1\nlb2\n", Files.readString(fleet.home("h1").resolve("drained")));
      assertEquals("z\n", Files.readString(fleet.home("h2").resolve("disabled")));
    }
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void onStepsDelegatedToAnotherHostAndToLocalhost() throws IOException {
    // given a step delegated to lb1, one to the controller (local_action) and one skipped there
    try (TestFleet fleet = TestFleet.start(dir, Map.of("h1", "web", "lb1", "lb"))) {
      Path pb = dir.resolve("pb.yml");
      Files.writeString(
          pb,
          """
          hosts: web
          steps:
            - id: drain
              delegate_to: lb1
              shell: echo "{{ inventory_hostname }}" >> drained
            - id: note
              local_action: shell echo "{{ inventory_hostname }}" > /dev/null
            - id: never
              delegate_to: lb1
              when: false
              shell: echo never >> drained
          """);
      String[] common = {
        "-i",
        fleet.inventory().toString(),
        "--known-hosts",
        fleet.knownHosts().toString(),
        "--state-dir",
        dir.resolve("state").toString(),
        "--output",
        "json"
      };
      // when it is planned with --check, then run
      Cli.Session controller = Cli.withLocalHome(Files.createDirectories(dir.resolve("home")));
      Set<String> predicted =
          planned(controller.run(concat(new String[] {"plan", pb.toString(), "--check"}, common)));
      // then the plan names the steps the run starts (under their target), and lb1 got one drain
      assertEquals(Set.of("h1/drain", "h1/note"), predicted);
      assertEquals(
          predicted, executed(controller.run(concat(new String[] {"run", pb.toString()}, common))));
      assertEquals("h1\n", Files.readString(fleet.home("lb1").resolve("drained")));
    }
  }

  @Test
  void onHandlersNotifiedOrNot() throws IOException {
    try (TestFleet fleet = TestFleet.start(dir, Map.of("h1", "web", "h2", "web"))) {
      // given h1 is up to date: its upgrade is skipped and notifies nothing
      Files.writeString(fleet.home("h1").resolve("version"), "new\n");
      Path pb = dir.resolve("pb.yml");
      Files.writeString(
          pb,
          """
          hosts: web
          steps:
            - id: probe
              shell: cat version 2>/dev/null || echo none
              register: v
              check: true
            - id: upgrade
              when: v.stdout != 'new'
              shell: echo new > version
              notify: restart app
            - meta: flush_handlers
              id: upgraded
            - id: verify
              shell: "true"
              notify: [restart app, reload app]
              changed_when: false
          handlers:
            - {id: restart, name: restart app, shell: echo run >> count-restart}
            - {id: reload, name: reload app, shell: echo run >> count-reload}
          """);
      String[] common = {
        "-i",
        fleet.inventory().toString(),
        "--known-hosts",
        fleet.knownHosts().toString(),
        "--state-dir",
        dir.resolve("state").toString(),
        "--output",
        "json"
      };
      Set<String> predicted =
          planned(Cli.run(concat(new String[] {"plan", pb.toString(), "--check"}, common)));
      // then only h2's upgrade notifies, at the flush step; verify never changes the host
      assertEquals(
          Set.of(
              "h1/probe",
              "h1/verify",
              "h2/probe",
              "h2/upgrade",
              "h2/restart.upgraded",
              "h2/verify"),
          predicted);
      assertEquals(
          predicted, executed(Cli.run(concat(new String[] {"run", pb.toString()}, common))));
    }
  }

  @Test
  void onModulesAndResultKeywords() throws IOException {
    try (TestFleet fleet = TestFleet.start(dir, Map.of("h1", "web", "h2", "web"))) {
      Files.writeString(fleet.home("h1").resolve("version"), "new\n");
      Path pb = dir.resolve("pb.yml");
      Files.writeString(
          pb,
          """
          hosts: web
          vars: {target: new}
          steps:
            - id: probe
              shell: cat version 2>/dev/null || echo none
              register: v
              check: true
            - id: remember
              set_fact: {current: "{{ v.stdout }}"}
            - id: show
              debug: {msg: "{{ current }} -> {{ target }}"}
            - id: supported
              assert: {that: ["target != ''"]}
            - id: upgrade
              when: current != target
              shell: echo new > version
            - id: refuse
              fail: {msg: never}
              when: target == 'old'
            - id: settled
              wait_for: {path: version, timeout: 30}
            - id: flaky
              shell: "false"
              ignore_errors: true
            - id: tolerant
              shell: exit 3
              register: t
              failed_when: t.rc > 3
            - id: until-ready
              shell: cat version
              register: r
              until: r.stdout == 'new'
              delay: 0s
          """);
      String[] common = {
        "-i",
        fleet.inventory().toString(),
        "--known-hosts",
        fleet.knownHosts().toString(),
        "--state-dir",
        dir.resolve("state").toString(),
        "--output",
        "json"
      };
      Set<String> predicted =
          planned(Cli.run(concat(new String[] {"plan", pb.toString(), "--check"}, common)));
      Set<String> expected = new TreeSet<>();
      for (String h : new String[] {"h1", "h2"}) {
        for (String s :
            new String[] {
              "probe",
              "remember",
              "show",
              "supported",
              "settled",
              "flaky",
              "tolerant",
              "until-ready"
            }) {
          expected.add(h + "/" + s);
        }
      }
      expected.add("h2/upgrade");
      assertEquals(expected, predicted);
      Cli.Result run = Cli.run(concat(new String[] {"run", pb.toString()}, common));
      assertEquals(0, run.exitCode(), run.out() + run.err());
      assertEquals(predicted, executed(run));
    }
  }

  /**
   * A block whose probe succeeds (its rescue is a skip) and one whose probe fails (the rest of the
   * block is a skip, its rescue and always run, the host goes on): README "Blocks".
   */
  @Test
  void onBlocksThatSucceedAndThatFailIntoTheirRescue() throws IOException {
    // given h2 has the file that makes the block's first step fail
    try (TestFleet fleet = TestFleet.start(dir, Map.of("h1", "web", "h2", "web"))) {
      Files.writeString(fleet.home("h2").resolve("broken"), "");
      Path pb = dir.resolve("pb.yml");
      Files.writeString(
          pb,
          """
          hosts: web
          steps:
            - id: up
              name: upgrade
              block:
                - {id: check-ok, shell: test ! -e broken, check: true}
                - {id: upgrade, shell: echo upgraded > version}
              rescue:
                - id: report
                  shell: echo "rescued {{ ansible_failed_task.id }}" > rescued
              always:
                - {id: cleanup, shell: echo done > cleaned}
            - {id: after, shell: "true"}
          """);
      String[] common = {
        "-i",
        fleet.inventory().toString(),
        "--known-hosts",
        fleet.knownHosts().toString(),
        "--state-dir",
        dir.resolve("state").toString(),
        "--output",
        "json"
      };
      // when plan --check predicts and the run runs
      Set<String> predicted =
          planned(Cli.run(concat(new String[] {"plan", pb.toString(), "--check"}, common)));
      Cli.Result run = Cli.run(concat(new String[] {"run", pb.toString()}, common));
      // then the plan names exactly the steps the run starts, and h2 was rescued, not failed
      assertEquals(
          Set.of(
              "h1/up.check-ok",
              "h1/up.upgrade",
              "h1/up.cleanup",
              "h1/after",
              "h2/up.check-ok",
              "h2/up.report",
              "h2/up.cleanup",
              "h2/after"),
          predicted);
      assertEquals(predicted, executed(run));
      assertEquals(0, run.exitCode(), run.out());
      assertEquals("rescued up.check-ok\n", Files.readString(fleet.home("h2").resolve("rescued")));
    }
  }

  @Test
  void onRunOnceStepsDelegatedToTheLoadBalancer() throws IOException {
    // given a batch of two web hosts and a run_once step delegated to lb1 whose result both use
    try (TestFleet fleet = TestFleet.start(dir, Map.of("h1", "web", "h2", "web", "lb1", "lb"))) {
      Path pb = dir.resolve("pb.yml");
      Files.writeString(
          pb,
          """
          hosts: web
          steps:
            - id: migrate
              run_once: true
              delegate_to: lb1
              register: m
              shell: echo "{{ inventory_hostname }}" >> migrated && echo v7
            - id: use
              shell: echo "{{ m.stdout }}" > used
          """);
      String[] common = {
        "-i",
        fleet.inventory().toString(),
        "--known-hosts",
        fleet.knownHosts().toString(),
        "--state-dir",
        dir.resolve("state").toString(),
        "--output",
        "json"
      };
      // when it is planned with --check, then run
      Cli.Result plan = Cli.run(concat(new String[] {"plan", pb.toString(), "--check"}, common));
      Set<String> predicted = planned(plan);
      Cli.Result run = Cli.run(concat(new String[] {"run", pb.toString()}, common));
      // then the plan places the step on the batch's first host (inventory order), the run starts
      // it there only (on lb1, once) and both hosts have its result
      JsonNode batch = JSON.readTree(plan.out()).get("stages").get(0).get("batches").get(0);
      String first = batch.get("hosts").get(0).get("name").asText();
      for (JsonNode host : batch.get("hosts")) {
        assertEquals(first, host.get("steps").get(0).get("run_once_on").asText(), plan.out());
      }
      assertEquals(Set.of(first + "/migrate", "h1/use", "h2/use"), predicted);
      assertEquals(0, run.exitCode(), run.out() + run.err());
      assertEquals(predicted, executed(run));
      assertEquals(first + "\n", Files.readString(fleet.home("lb1").resolve("migrated")));
      assertEquals("v7\n", Files.readString(fleet.home("h2").resolve("used")));
    }
  }
}
