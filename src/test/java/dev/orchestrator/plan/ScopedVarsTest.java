package dev.orchestrator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orchestrator.inventory.Inventory;
import dev.orchestrator.inventory.InventoryLoader;
import dev.orchestrator.playbook.PlaybookLoader;
import dev.orchestrator.template.TemplateEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Variable precedence with roles, step files and vars_files, as Ansible 2.14's {@code get_vars}
 * (https://docs.ansible.com/ansible/latest/playbook_guide/playbooks_variables.html#understanding-variable-precedence).
 */
class ScopedVarsTest {
  @TempDir Path dir;

  private void write(String name, String text) throws IOException {
    Path f = dir.resolve(name);
    Files.createDirectories(f.getParent());
    Files.writeString(f, text);
  }

  private static final String SHOW = "echo d={{ d }} v={{ v }} p={{ p }} w={{ w }} i={{ i }}";

  private Map<String, String> commands(Map<String, Object> extraVars) throws IOException {
    write("inv.yml", "all:\n  hosts:\n    h1: {i: inventory, w: inventory}\n");
    write("roles/a/defaults/main.yml", "d: a-default\np: a-default\n");
    write("roles/a/vars/main.yml", "v: a-vars\n");
    write("roles/a/tasks/main.yml", "- id: show\n  shell: \"" + SHOW + "\"\n");
    write("roles/b/defaults/main.yml", "d: b-default\n");
    write("roles/b/vars/main.yml", "v: b-vars\nw: b-vars\n");
    write("roles/b/tasks/main.yml", "- id: show\n  shell: \"" + SHOW + "\"\n");
    write("files.yml", "i: vars-file\n");
    write("inc.yml", "- id: show\n  shell: \"" + SHOW + "\"\n");
    write(
        "pb.yml",
        """
        vars: {p: play, w: play}
        vars_files: [files.yml]
        roles: [a, b]
        steps:
          - id: main
            shell: "%s"
          - import_steps: inc.yml
            id: inc
            vars: {v: include}
          - id: last
            shell: "%s"
        """
            .formatted(SHOW, SHOW));
    Inventory inventory = InventoryLoader.load(dir.resolve("inv.yml"));
    Plan plan =
        new Planner(new TemplateEngine())
            .plan(
                PlanInputs.of(new PlaybookLoader().load(dir.resolve("pb.yml")), inventory)
                    .vars(extraVars)
                    .build());
    Map<String, String> out = new LinkedHashMap<>();
    plan.hosts()
        .findFirst()
        .orElseThrow()
        .steps()
        .forEach(s -> out.put(s.step().id(), s.command().orElseThrow()));
    return out;
  }

  @Test
  void eachStepSeesItsRolesAndIncludesValuesInAnsiblesOrder() throws IOException {
    // when the plan renders every step of roles a and b, the playbook and an include
    Map<String, String> commands = commands(Map.of());
    // then a role's steps see their own role's defaults and vars above the other role's
    assertEquals("echo d=a-default v=a-vars p=play w=b-vars i=vars-file", commands.get("a.show"));
    assertEquals("echo d=b-default v=b-vars p=play w=b-vars i=vars-file", commands.get("b.show"));
    // the playbook's steps see every role's defaults and vars, the later role's on a clash
    assertEquals("echo d=b-default v=b-vars p=play w=b-vars i=vars-file", commands.get("main"));
    // an include's vars are above the role vars for its steps only
    assertEquals(
        "echo d=b-default v=include p=play w=b-vars i=vars-file", commands.get("inc.show"));
    assertEquals("echo d=b-default v=b-vars p=play w=b-vars i=vars-file", commands.get("last"));
  }

  @Test
  void extraVarsStayAboveEveryScope() throws IOException {
    // when -e sets what the roles and the include set
    Map<String, String> commands = commands(Map.of("v", "extra", "d", "extra"));
    // then every step sees -e
    commands.values().forEach(c -> assertEquals(true, c.startsWith("echo d=extra v=extra "), c));
  }
}
