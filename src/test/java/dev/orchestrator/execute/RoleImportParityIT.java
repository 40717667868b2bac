package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.orchestrator.inventory.InventoryLoader;
import dev.orchestrator.plan.PlanInputs;
import dev.orchestrator.plan.Planner;
import dev.orchestrator.playbook.PlaybookLoader;
import dev.orchestrator.state.RunJournal;
import dev.orchestrator.state.RunStatus;
import dev.orchestrator.state.RunStore;
import dev.orchestrator.state.TestRunSpecs;
import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.transport.local.LocalConnector;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code import_role} and {@code include_role} ({@code tasks_from}, {@code vars_from}, the task's
 * {@code vars} and {@code when}) run as real Ansible runs them: the same play, roles and INI
 * inventory of a local host, read by {@code ansible-playbook} and by us, write the same lines in
 * the same order (the role's steps at the task's place, with its vars). One difference is recorded:
 * the notified handler (below).
 */
class RoleImportParityIT {
  @TempDir Path dir;
  @TempDir Path localHome;

  private static void write(Path root, String name, String text) throws IOException {
    Path f = root.resolve(name);
    Files.createDirectories(f.getParent());
    Files.writeString(f, text.replace("OUT", root.resolve("log").toString()));
  }

  /** The same tree for both tools, each writing to its own log. */
  private static void tree(Path root) throws IOException {
    write(root, "hosts.ini", "localhost ansible_connection=local\n");
    write(
        root,
        "roles/web/tasks/main.yml",
        "- name: Install\n  shell: echo install {{ port }} >> OUT\n  notify: restart\n");
    write(
        root,
        "roles/web/tasks/configure.yml",
        "- name: Configure\n  shell: echo configure {{ port }} {{ extra }} >> OUT\n");
    write(root, "roles/web/defaults/main.yml", "port: 80\nextra: none\n");
    write(root, "roles/web/vars/other.yml", "port: 8080\n");
    write(root, "roles/web/handlers/main.yml", "- name: restart\n  shell: echo restart >> OUT\n");
    write(
        root,
        "site.yml",
        """
        - hosts: all
          gather_facts: false
          tasks:
            - name: Before
              shell: echo before >> OUT
            - ansible.builtin.import_role:
                name: web
                vars_from: other
            - name: Configure it
              include_role: name=web tasks_from=configure
              vars: {extra: given}
              when: inventory_hostname == 'localhost'
            - name: Skipped
              import_role: {name: web, tasks_from: configure}
              when: false
            - name: After
              shell: echo after >> OUT
        """);
  }

  @Test
  void importedAndIncludedRolesRunAsAnsibles() throws Exception {
    assumeTrue(
        List.of(System.getenv("PATH").split(File.pathSeparator)).stream()
            .anyMatch(d -> Files.isExecutable(Path.of(d, "ansible-playbook"))),
        "ansible-playbook is not installed (.ci/run installs it)");
    // given the same play and roles for Ansible and for us
    Path ansible = dir.resolve("ansible");
    Path ours = dir.resolve("ours");
    tree(ansible);
    tree(ours);
    // when ansible-playbook runs it
    ProcessBuilder pb =
        new ProcessBuilder("ansible-playbook", "-i", "hosts.ini", "site.yml")
            .directory(ansible.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("ansible.log").toFile());
    pb.environment().put("ANSIBLE_HOME", ansible.resolve(".ansible").toString());
    Process p = pb.start();
    assertTrue(p.waitFor(300, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), Files.readString(dir.resolve("ansible.log")));
    // and we run it
    TemplateEngine templates = new TemplateEngine();
    RunStore store = new RunStore(dir.resolve("state"));
    String id = RunStore.newRunId("t");
    RunResult result;
    try (RunJournal journal =
        store.create(
            id,
            "t",
            TestRunSpecs.of(
                "p", "i", Map.of(), List.of(), Optional.empty(), 1, Optional.empty(), false))) {
      result =
          new RunExecutor(
                  new LocalConnector(localHome),
                  e -> {},
                  templates,
                  TestEngineSettings.defaults(1, RunExecutor.NextCommands.same("resume " + id)))
              .execute(
                  new Planner(templates)
                      .plan(
                          PlanInputs.of(
                                  new PlaybookLoader().load(ours.resolve("site.yml")),
                                  InventoryLoader.load(ours.resolve("hosts.ini")))
                              .runId(id)
                              .build()),
                  journal,
                  false);
    }
    // then both wrote the same lines in the same order
    assertEquals(RunStatus.SUCCEEDED, result.status());
    List<String> expected = List.of("before", "install 8080", "configure 8080 given", "after");
    assertEquals(expected, Files.readAllLines(ansible.resolve("log")));
    // and a difference seen, not yet explained: ansible-core 2.14 did not run the handler that
    // web.install notified in this play (which brings the role in three times; with the role
    // brought
    // in twice, by hand, it ran it); we run it once at the end (README "Ansible playbooks")
    List<String> withHandler = new java.util.ArrayList<>(expected);
    withHandler.add("restart");
    assertEquals(withHandler, Files.readAllLines(ours.resolve("log")));
  }
}
