package dev.orchestrator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.orchestrator.inventory.Inventory;
import dev.orchestrator.inventory.InventoryLoader;
import dev.orchestrator.playbook.Playbook;
import dev.orchestrator.playbook.PlaybookLoader;
import dev.orchestrator.template.TemplateEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ansible's magic vars groups, hostvars, play hosts and batch, inventory_hostname_short. */
class MagicVarsTest {
  @TempDir Path dir;
  private Inventory inventory;
  private final Planner planner = new Planner(new TemplateEngine());

  @BeforeEach
  void inventory() throws IOException {
    Files.writeString(
        dir.resolve("inv.yml"),
        """
        all:
          hosts: {lb1.example.com: {port_lb: 8404}}
          children:
            web: {hosts: {web1.example.com: {http_port: 81}, web2: {http_port: 82}, web3: }}
        """);
    inventory = InventoryLoader.load(dir.resolve("inv.yml"));
  }

  private Plan plan(String shell) throws IOException {
    Files.writeString(
        dir.resolve("pb.yml"),
        """
        stages:
          - {name: web, hosts: web, serial: 2}
        steps:
          - id: a
            shell: "%s"
        """
            .formatted(shell));
    Playbook pb = new PlaybookLoader().load(dir.resolve("pb.yml"));
    return planner.plan(PlanInputs.of(pb, inventory).build());
  }

  private static Map<String, String> commands(Plan plan) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    plan.hosts().forEach(h -> out.put(h.host().name(), h.steps().get(0).command().orElseThrow()));
    return out;
  }

  @Test
  void groupsListEveryGroupsHostsInInventoryOrder() throws IOException {
    // given an inventory with an ungrouped load balancer and a web group
    // when a step joins the groups' hosts
    Plan plan =
        plan(
            "echo {{ groups['web'] | join(',') }} {{ groups['ungrouped'] | join(',') }}"
                + " {{ groups.all | length }}");

    // then they are Ansible's groups, all and ungrouped included
    assertEquals("echo web1.example.com,web2,web3 lb1.example.com 4", commands(plan).get("web2"));
  }

  @Test
  void hostvarsReadsAnotherHostsVariablesAndIsSharedByEveryHost() throws IOException {
    // given hosts with their own variables
    // when a step reads another host's variables through hostvars
    Plan plan =
        plan(
            "echo {{ hostvars['lb1.example.com'].port_lb }}"
                + " {% for h in groups.web %}{{ hostvars[h].http_port | default('none') }} {% endfor %}"
                + "{{ hostvars[inventory_hostname].inventory_hostname_short }}");

    // then each host sees the others' variables, and its own
    assertEquals("echo 8404 81 82 none web1", commands(plan).get("web1.example.com"));
    // and every host shares one hostvars, not a copy each
    List<PlannedHost> hosts = plan.hosts().toList();
    assertSame(hosts.get(0).vars().get("hostvars"), hosts.get(2).vars().get("hostvars"));
  }

  @Test
  void playHostsAreTheStagesAndPlayBatchTheBatchs() throws IOException {
    // given a stage of three web hosts in batches of two
    // when a step prints the play's hosts and batch
    Plan plan =
        plan(
            "echo {{ ansible_play_hosts | join(',') }} {{ ansible_play_batch | join(',') }}"
                + " {{ play_hosts | length }} {{ ansible_play_hosts_all | length }}");

    // then the play is the stage and the batch its batch
    assertEquals("echo web1.example.com,web2,web3 web3 3 3", commands(plan).get("web3"));
    assertEquals(
        "echo web1.example.com,web2,web3 web1.example.com,web2 3 3", commands(plan).get("web2"));
  }

  @Test
  void aHostPlannedAloneSeesItsStageAndBatch() throws IOException {
    // given the playbook
    plan("echo");
    Playbook pb = new PlaybookLoader().load(dir.resolve("pb.yml"));
    Files.writeString(
        dir.resolve("pb.yml"),
        """
        stages:
          - {name: web, hosts: web, serial: 2}
        steps:
          - {id: a, shell: "echo {{ ansible_play_batch | join(',') }} {{ groups.web | length }}"}
        """);
    pb = new PlaybookLoader().load(dir.resolve("pb.yml"));

    // when one host is planned on its own (a claim of a shared batch)
    Optional<PlannedHost> web3 = planner.planHost(PlanInputs.of(pb, inventory).build(), "web3");

    // then it has its batch and the groups
    assertEquals("echo web3 3", web3.orElseThrow().steps().get(0).command().orElseThrow());
  }
}
