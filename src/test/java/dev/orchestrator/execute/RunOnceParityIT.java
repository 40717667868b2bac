package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.inventory.Inventory;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * run_once (with delegate_to, register and set_fact), delegate_facts and hostvars of other hosts
 * end as real Ansible's ({@code ansible-playbook}, the same INI inventory of local hosts, batches
 * of two): the step runs once per batch on the batch's first host, every host of the batch has its
 * result, a delegated fact is the delegate's only, and a later batch reads an earlier host's value.
 */
class RunOnceParityIT {
  private static final String USE =
      "echo \"{{ inventory_hostname }} {{ v.stdout }} {{ picked }} {{ last_web | default('none') }}"
          + " {{ hostvars['t1'].v.stdout }}"
          + " {{ hostvars['lb'].last_web if inventory_hostname == 't3' else '-' }}\" >> OUT/used";

  @TempDir Path dir;
  @TempDir Path localHome;

  @Test
  void runOnceDelegateFactsAndHostvarsEndAsAnsibles() throws Exception {
    // given one inventory and the same tasks in Ansible's format and in ours
    Path inv = dir.resolve("hosts.ini");
    Files.writeString(
        inv,
        "t1 ansible_connection=local\nt2 ansible_connection=local\n"
            + "t3 ansible_connection=local\nlb ansible_connection=local\n");
    Path ansibleOut = Files.createDirectories(dir.resolve("ansible"));
    Path oursOut = Files.createDirectories(dir.resolve("ours"));
    String task =
        """
            - shell: echo "migrate {{ inventory_hostname }}" >> OUT/log && echo v42
              run_once: true
              delegate_to: lb
              register: v
            - set_fact: {picked: "{{ inventory_hostname }}"}
              run_once: true
            - set_fact: {last_web: "{{ inventory_hostname }}"}
              delegate_to: lb
              delegate_facts: true
            - shell: USE
        """;
    Files.writeString(
        dir.resolve("ansible.yml"),
        ("- hosts: t1,t2,t3\n  gather_facts: false\n  serial: 2\n  tasks:\n" + task)
            .replace("USE", "'" + USE.replace("'", "''") + "'")
            .replace("OUT", ansibleOut.toString()));
    Files.writeString(
        dir.resolve("ours.yml"),
        """
        stages:
          - {name: web, hosts: "t1,t2,t3", serial: 2}
        gather_facts: false
        steps:
          - id: migrate
            run_once: true
            delegate_to: lb
            register: v
            shell: echo "migrate {{ inventory_hostname }}" >> OUT/log && echo v42
          - {id: pick, run_once: true, set_fact: {picked: "{{ inventory_hostname }}"}}
          - id: note
            delegate_to: lb
            delegate_facts: true
            set_fact: {last_web: "{{ inventory_hostname }}"}
          - id: use
            shell: USE
        """
            .replace("USE", "'" + USE.replace("'", "''") + "'")
            .replace("OUT", oursOut.toString()));
    // when ansible-playbook runs its version
    Process p =
        new ProcessBuilder(
                "ansible-playbook", "-i", inv.toString(), dir.resolve("ansible.yml").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("ansible.log").toFile())
            .start();
    assertTrue(p.waitFor(300, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), Files.readString(dir.resolve("ansible.log")));
    // and we run ours
    TemplateEngine templates = new TemplateEngine();
    Inventory inventory = InventoryLoader.load(inv);
    RunStore store = new RunStore(dir.resolve("state"));
    String id = RunStore.newRunId("t");
    RunResult result;
    try (RunJournal journal =
        store.create(
            id,
            "t",
            TestRunSpecs.of(
                "p", "i", Map.of(), List.of(), Optional.empty(), 3, Optional.empty(), false))) {
      result =
          new RunExecutor(
                  new LocalConnector(localHome),
                  e -> {},
                  templates,
                  TestEngineSettings.defaults(3, RunExecutor.NextCommands.same("resume " + id)))
              .execute(
                  new Planner(templates)
                      .plan(
                          PlanInputs.of(
                                  new PlaybookLoader().load(dir.resolve("ours.yml")), inventory)
                              .runId(id)
                              .build()),
                  journal,
                  false);
    }
    // then both end the same: once per batch on its first host, every host with its batch's result
    assertEquals(RunStatus.SUCCEEDED, result.status());
    assertEquals(
        List.of("migrate t1", "migrate t3"), Files.readAllLines(ansibleOut.resolve("log")));
    assertEquals(
        Files.readAllLines(ansibleOut.resolve("log")), Files.readAllLines(oursOut.resolve("log")));
    List<String> ansible =
        Files.readAllLines(ansibleOut.resolve("used")).stream().sorted().toList();
    assertEquals(
        List.of("t1 v42 t1 none v42 -", "t2 v42 t1 none v42 -", "t3 v42 t3 none v42 t3"), ansible);
    assertEquals(ansible, Files.readAllLines(oursOut.resolve("used")).stream().sorted().toList());
  }
}
