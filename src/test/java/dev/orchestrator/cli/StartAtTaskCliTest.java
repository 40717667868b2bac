package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --start-at-task}, as ansible-playbook's (ansible-core {@code executor/play_iterator.py}):
 * the steps before the first step it names are skipped in every play, recorded as skipped; plan
 * shows it, resume keeps it, and a name no step has is refused naming the nearest.
 */
class StartAtTaskCliTest {
  private Cli.Session cli;

  @TempDir Path dir;

  @BeforeEach
  void localHome(@TempDir Path home) throws Exception {
    cli = Cli.withLocalHome(home);
    // an Ansible playbook of two plays, the second with a role, run on two local hosts
    Files.createDirectories(dir.resolve("roles/web/tasks"));
    Files.writeString(
        dir.resolve("roles/web/tasks/main.yml"),
        """
        - name: Install it
          shell: echo install >> {{ out }}/{{ inventory_hostname }}
        - name: Restart it
          shell: echo restart >> {{ out }}/{{ inventory_hostname }}
        """);
    Files.writeString(
        dir.resolve("site.yml"),
        """
        - hosts: all
          gather_facts: false
          tasks:
            - name: Prepare
              shell: echo prepare >> {{ out }}/{{ inventory_hostname }}
        - hosts: all
          gather_facts: false
          roles:
            - web
          tasks:
            - name: Check it
              shell: echo check >> {{ out }}/{{ inventory_hostname }}
        """);
    Files.writeString(
        dir.resolve("hosts.ini"), "h1 ansible_connection=local\nh2 ansible_connection=local\n");
    Files.createDirectories(dir.resolve("out"));
  }

  private Cli.Result command(String verb, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                verb,
                dir.resolve("site.yml").toString(),
                "-i",
                dir.resolve("hosts.ini").toString(),
                "-e",
                "out=" + dir.resolve("out"),
                "--state-dir",
                dir.resolve("state").toString()));
    args.addAll(List.of(extra));
    return cli.run(args.toArray(String[]::new));
  }

  @Test
  void aRunStartsAtTheRoleStepItNamesAndRecordsTheEarlierOnesAsSkipped() throws Exception {
    // when the run starts at the role's second step, named as Ansible names it
    Cli.Result run = command("run", "--start-at-task", "web : Restart it", "-o", "json");
    // then it succeeds, and each host ran only that step and the ones after it
    assertEquals(0, run.exitCode(), run.out() + run.err());
    for (String host : List.of("h1", "h2")) {
      assertEquals(
          List.of("restart", "check"), Files.readAllLines(dir.resolve("out").resolve(host)));
    }
    // and the earlier steps, of the first play too, are skipped with the reason
    long skips =
        run.out()
            .lines()
            .filter(
                l ->
                    l.contains("\"event\":\"step_finished\"")
                        && l.contains("\"status\":\"skipped\"")
                        && l.contains("skipped by --start-at-task"))
            .count();
    assertEquals(4, skips, run.out()); // Prepare and Install it, on two hosts
  }

  @Test
  void aGlobMatchesTheStepNameAsFnmatchDoes() throws Exception {
    // when the name is a shell pattern
    Cli.Result run = command("run", "--start-at-task", "Ins*");
    // then the run starts at the role step it matches
    assertEquals(0, run.exitCode(), run.out() + run.err());
    assertEquals(
        List.of("install", "restart", "check"),
        Files.readAllLines(dir.resolve("out").resolve("h1")));
  }

  @Test
  void planShowsTheSkippedSteps() {
    // when the run is planned with --start-at-task
    Cli.Result plan = command("plan", "--start-at-task", "Check it");
    // then the earlier steps are skips with the reason, the named one runs
    assertEquals(0, plan.exitCode(), plan.out() + plan.err());
    assertTrue(
        plan.out()
            .contains(
                "skipped by --start-at-task (recorded as skipped): play-1.prepare,"
                    + " play-2.web.install-it, play-2.web.restart-it"),
        plan.out());
    assertTrue(plan.out().matches("(?s).*play-1\\.prepare +skip +skip\n.*"), plan.out());
    assertTrue(plan.out().matches("(?s).*play-2\\.check-it +run +run\n.*"), plan.out());
  }

  @Test
  void aNameNoStepHasIsRefusedNamingTheNearest() {
    // when the name is misspelt
    Cli.Result run = command("run", "--start-at-task", "Restart ti");
    // then exit 2, nothing ran, the nearest names given
    assertEquals(2, run.exitCode(), run.out() + run.err());
    assertTrue(run.err().contains("--start-at-task 'Restart ti'"), run.err());
    assertTrue(run.err().contains("Restart it"), run.err());
    assertFalse(Files.exists(dir.resolve("out").resolve("h1")));
  }

  @Test
  void resumeKeepsTheStartOnTheHostsNotReachedYet() throws Exception {
    // given a run in batches of one host whose first host fails at the started step
    Files.writeString(
        dir.resolve("site.yml"),
        """
        - hosts: all
          serial: 1
          gather_facts: false
          tasks:
            - name: Prepare
              shell: echo prepare >> {{ out }}/{{ inventory_hostname }}
            - name: Work
              shell: echo work >> {{ out }}/{{ inventory_hostname }}; test -e {{ out }}/go
        """);
    Cli.Result run = command("run", "--start-at-task", "Work");
    assertEquals(3, run.exitCode(), run.out() + run.err());
    // when the cause is fixed and the run resumed
    Files.writeString(dir.resolve("out").resolve("go"), "");
    Cli.Result resume =
        cli.run("resume", run.runId(), "--state-dir", dir.resolve("state").toString());
    // then the second host, reached only now, skips Prepare too
    assertEquals(0, resume.exitCode(), resume.out() + resume.err());
    assertEquals(List.of("work", "work"), Files.readAllLines(dir.resolve("out").resolve("h1")));
    assertEquals(List.of("work"), Files.readAllLines(dir.resolve("out").resolve("h2")));
  }
}
