package dev.orchestrator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestrator.inventory.InventoryLoader;
import dev.orchestrator.playbook.PlaybookLoader;
import dev.orchestrator.template.TemplateEngine;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Roles, step files and vars_files resolve variables as real {@code ansible-playbook} does
 * (https://docs.ansible.com/ansible/latest/playbook_guide/playbooks_variables.html#understanding-variable-precedence):
 * the same role defaults, role vars, entry vars, include vars, vars files, inventory vars, play
 * vars and {@code -e}, read by Ansible (a play against localhost with {@code
 * ansible_connection=local}, printing each value with {@code debug}) and by our planner (the same
 * template in a step's command), must give the same values at each place: a role's steps, a step
 * file the role includes, a second role's steps and the playbook's own steps. Play vars against
 * inventory vars are left out: we put the inventory above the playbook's {@code vars} (README
 * "Precedence").
 */
class RoleVarsParityIT {
  @TempDir Path dir;

  /** Every variable and where it is set; the comment is the source Ansible picks. */
  private static final String SHOW =
      "a={{ a }} b={{ b }} c={{ c }} d={{ d }} e={{ e }} f={{ f }} g={{ g }} h={{ h }} i={{ i }}"
          + " j={{ j }} l={{ l }} m={{ m }} n={{ n }}";

  private void write(String name, String text) throws IOException {
    Path f = dir.resolve(name);
    Files.createDirectories(f.getParent());
    Files.writeString(f, text);
  }

  /** The files both tools read as they are: inventory, role defaults/vars/meta, vars file. */
  private void sharedFiles(String root) throws IOException {
    write(root + "/hosts.ini", "localhost ansible_connection=local b=inv d=inv j=inv l=inv\n");
    // a: default only; b: default < inventory; c: default < play vars
    write(
        root + "/roles/web/defaults/main.yml", "a: web-def\nb: web-def\nc: web-def\nm: web-def\n");
    // d: inventory < role vars; e: play < role vars; g: vars_files < role vars; h: < -e;
    // i: entry vars < vars/main.yml
    write(
        root + "/roles/web/vars/main.yml",
        "d: web-vars\ne: web-vars\ng: web-vars\nh: web-vars\ni: web-vars\nk: web-vars\nn: web-vars\n");
    write(root + "/roles/web/meta/main.yml", "dependencies: [base]\n");
    write(root + "/roles/base/defaults/main.yml", "m: base-def\n");
    write(root + "/roles/db/defaults/main.yml", "m: db-def\n");
    write(root + "/roles/db/vars/main.yml", "n: db-vars\n");
    // f: play vars < vars_files; l: inventory < vars_files
    write(root + "/vf.yml", "f: file\ng: file\nl: file\n");
  }

  private static final String PLAY_HEAD =
      """
        vars: {c: play, e: play, f: play}
        vars_files: [vf.yml]
        roles:
          - role: web
            vars: {i: entry, j: entry}
          - db
      """;

  @Test
  void roleAndStepFileValuesAreAnsibles() throws Exception {
    requireAnsible();
    // given the same roles, inventory, vars files and -e for Ansible and for us
    sharedFiles("ansible");
    write("ansible/roles/base/tasks/main.yml", "- debug: msg=\"base " + SHOW + "\"\n");
    write(
        "ansible/roles/web/tasks/main.yml",
        "- debug: msg=\"web " + SHOW + "\"\n- include_tasks: more.yml\n  vars: {k: include}\n");
    write("ansible/roles/web/tasks/more.yml", "- debug: msg=\"more k={{ k }} " + SHOW + "\"\n");
    write("ansible/roles/db/tasks/main.yml", "- debug: msg=\"db " + SHOW + "\"\n");
    write(
        "ansible/site.yml",
        "- hosts: all\n  gather_facts: false\n"
            + PLAY_HEAD
            + "  tasks:\n    - debug: msg=\"play k={{ k }} "
            + SHOW
            + "\"\n");
    sharedFiles("ours");
    write("ours/roles/base/tasks/main.yml", "- id: show\n  shell: \"echo base " + SHOW + "\"\n");
    write(
        "ours/roles/web/tasks/main.yml",
        "- id: show\n  shell: \"echo web "
            + SHOW
            + "\"\n- include_steps: more.yml\n  vars: {k: include}\n");
    write(
        "ours/roles/web/tasks/more.yml",
        "- id: more\n  shell: \"echo more k={{ k }} " + SHOW + "\"\n");
    write("ours/roles/db/tasks/main.yml", "- id: show\n  shell: \"echo db " + SHOW + "\"\n");
    write(
        "ours/pb.yml",
        PLAY_HEAD.replaceAll("(?m)^  ", "")
            + "steps:\n  - id: play\n    shell: \"echo play k={{ k }} "
            + SHOW
            + "\"\n");
    // when Ansible runs its play and we plan ours
    Map<String, String> ansible = ansible(dir.resolve("ansible"));
    Map<String, String> ours = ours(dir.resolve("ours"));
    // then every place sees the same values
    assertEquals(4 + 1, ansible.size(), ansible.toString());
    assertEquals(ansible, ours);
  }

  private static Map<String, String> ours(Path root) {
    Plan plan =
        new Planner(new TemplateEngine())
            .plan(
                PlanInputs.of(
                        new PlaybookLoader().load(root.resolve("pb.yml")),
                        InventoryLoader.load(root.resolve("hosts.ini")))
                    .vars(Map.of("h", "extra"))
                    .build());
    Map<String, String> out = new TreeMap<>();
    for (PlannedStep s : plan.hosts().findFirst().orElseThrow().steps()) {
      String line = s.command().orElseThrow().replaceFirst("^echo ", "");
      out.put(line.substring(0, line.indexOf(' ')), line);
    }
    return out;
  }

  private static Map<String, String> ansible(Path root) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder("ansible-playbook", "-i", "hosts.ini", "site.yml", "-e", "h=extra")
            .directory(root.toFile())
            .redirectError(root.resolve("stderr.txt").toFile());
    pb.environment().put("ANSIBLE_STDOUT_CALLBACK", "json");
    pb.environment().put("ANSIBLE_NOCOLOR", "1");
    pb.environment().put("ANSIBLE_LOCALHOST_WARNING", "false");
    pb.environment().put("ANSIBLE_HOME", root.resolve(".ansible").toString());
    Process p = pb.start();
    String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(true, p.waitFor(120, TimeUnit.SECONDS), "ansible-playbook did not finish");
    assertEquals(0, p.exitValue(), stdout + Files.readString(root.resolve("stderr.txt")));
    JsonNode tasks = new ObjectMapper().readTree(stdout).path("plays").path(0).path("tasks");
    Map<String, String> out = new TreeMap<>();
    for (JsonNode t : tasks) {
      JsonNode msg = t.path("hosts").path("localhost").path("msg");
      if (msg.isTextual()) {
        out.put(msg.asText().substring(0, msg.asText().indexOf(' ')), msg.asText());
      }
    }
    return out;
  }

  /** Skips where Ansible is not installed, or fails under {@code CI=true} (.ci/run installs it). */
  private static void requireAnsible() {
    boolean present =
        java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
            .anyMatch(d -> Files.isExecutable(Path.of(d, "ansible-playbook")));
    String why = "ansible-playbook is not installed (apt-get install ansible; .ci/run installs it)";
    if ("true".equals(System.getenv("CI"))) {
      if (!present) {
        throw new AssertionError(why + ", and CI=true: the parity tests must run");
      }
      return;
    }
    assumeTrue(present, why);
  }
}
