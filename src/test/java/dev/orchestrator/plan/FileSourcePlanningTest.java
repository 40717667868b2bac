package dev.orchestrator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.InputException;
import dev.orchestrator.inventory.Inventory;
import dev.orchestrator.inventory.InventoryLoader;
import dev.orchestrator.playbook.Playbook;
import dev.orchestrator.playbook.PlaybookLoader;
import dev.orchestrator.template.TemplateEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What plan shows of a templated template/copy src per host and loop item. */
class FileSourcePlanningTest {
  @TempDir Path dir;
  private Inventory inventory;
  private final Planner planner = new Planner(new TemplateEngine());

  @BeforeEach
  void files() throws IOException {
    Files.writeString(
        dir.resolve("inv.yml"), "all:\n  hosts:\n    h1: {conf: one}\n    h2: {conf: two}\n");
    inventory = InventoryLoader.load(dir.resolve("inv.yml"));
    Files.createDirectories(dir.resolve("templates"));
    Files.writeString(dir.resolve("templates/one.j2"), "1 {{ inventory_hostname }}\n");
    Files.writeString(dir.resolve("templates/two.j2"), "2\n");
    Files.writeString(dir.resolve("templates/a.j2"), "a\n");
  }

  private Plan plan(String tasks) throws IOException {
    Files.writeString(
        dir.resolve("site.yml"), "- hosts: all\n  gather_facts: no\n  tasks:\n" + tasks);
    Playbook pb = new PlaybookLoader().load(dir.resolve("site.yml"));
    return planner.plan(PlanInputs.of(pb, inventory).build());
  }

  private static List<String> reasons(Plan plan, String host) {
    return plan.hosts()
        .filter(h -> h.host().name().equals(host))
        .flatMap(h -> h.steps().stream())
        .map(PlannedStep::reason)
        .toList();
  }

  @Test
  void thePlanNamesTheFileEachHostAndItemGetsAndSaysDecidedAtRunOtherwise() throws IOException {
    // when a play templates per host, per loop item, and from a value registered at run time
    Plan plan =
        plan(
            """
                - name: per host
                  template: src={{ conf }}.j2 dest=/etc/c
                - name: per item
                  template: src={{ item }}.j2 dest=/etc/{{ item }}
                  loop: [a, two]
                - name: ask
                  shell: echo one
                  register: r
                - name: later
                  template: src={{ r.stdout }}.j2 dest=/etc/r
            """);

    // then each host's file is named, each item's too, and the registered one is decided at run
    List<String> h1 = reasons(plan, "h1");
    List<String> h2 = reasons(plan, "h2");
    assertEquals("src: " + dir.resolve("templates/one.j2"), h1.get(0));
    assertEquals("src: " + dir.resolve("templates/two.j2"), h2.get(0));
    assertEquals("src: " + dir.resolve("templates/a.j2"), h1.get(1));
    assertEquals("src: " + dir.resolve("templates/two.j2"), h1.get(2));
    assertTrue(h1.get(4).contains("registered at run time"), h1.get(4));
  }

  @Test
  void aFileMissingForOneHostIsAnErrorBeforeAnythingRunsNamingTheHost() throws IOException {
    // given h2's file is not there
    Files.delete(dir.resolve("templates/two.j2"));

    // when planned
    InputException e =
        assertThrows(
            InputException.class, () -> plan("    - template: src={{ conf }}.j2 dest=/etc/c\n"));

    // then the plan refuses it, naming the step, the host and where it looked
    assertTrue(e.getMessage().contains("on host 'h2'"), e.getMessage());
    assertTrue(e.getMessage().contains("'two.j2' not found"), e.getMessage());
  }
}
