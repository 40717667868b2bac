package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code block}/{@code rescue}/{@code always} run the same steps in the same order as real
 * Ansible's ({@code ansible-playbook} against {@code localhost} with a local connection; README
 * "Blocks"): each step appends its name to a file, the rescue appends {@code ansible_failed_task}
 * and {@code ansible_failed_result}, and the two files are compared.
 */
class BlocksParityIT {
  @TempDir Path dir;

  /** The tasks, in Ansible's words; ours are the same with an {@code id:} per step. */
  private static final String TASKS =
      """
      - name: outer
        block:
          - block:
              - {name: a, shell: "echo a >> LOG; exit 3"}
              - {name: b, shell: "echo b >> LOG"}
            always:
              - {name: inner-always, shell: "echo inner-always >> LOG"}
          - {name: c, shell: "echo c >> LOG"}
        rescue:
          - name: r
            shell: echo r {{ ansible_failed_task.name }} {{ ansible_failed_result.rc }} {{ ansible_failed_result.msg }} >> LOG
        always:
          - {name: z, shell: "echo z >> LOG"}
      - block:
          - {name: ok1, shell: "echo ok1 >> LOG", register: ok1}
        rescue:
          - {name: not-run, shell: "echo not-run >> LOG"}
        always:
          - {name: z2, shell: "echo z2 {{ ok1.rc }} >> LOG"}
      - block:
          - {name: ig, shell: "echo ig >> LOG; exit 1"}
          - {name: after-ig, shell: "echo after-ig >> LOG"}
        ignore_errors: true
        rescue:
          - {name: not-run2, shell: "echo not-run2 >> LOG"}
      - block:
          - {name: skipped, shell: "echo skipped >> LOG"}
        when: flag == 'on'
      - {name: last, shell: "echo last >> LOG"}
      """;

  @Test
  void theSameStepsRunInTheSameOrderWithTheSameFailedResultAsAnsible() throws Exception {
    // given the tasks run by ansible-playbook
    Path theirs = dir.resolve("theirs.log");
    Files.writeString(
        dir.resolve("ansible.yml"),
        "- hosts: localhost\n  gather_facts: false\n  vars: {flag: 'off'}\n  tasks:\n"
            + indent(TASKS.replace("LOG", theirs.toString()), "    "));
    Process p =
        new ProcessBuilder(
                "ansible-playbook",
                "-i",
                "localhost,",
                "-c",
                "local",
                dir.resolve("ansible.yml").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("ansible.out").toFile())
            .start();
    assertTrue(p.waitFor(300, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), Files.readString(dir.resolve("ansible.out")));
    // when ours run the same steps, each with an id
    Path ours = dir.resolve("ours.log");
    Files.writeString(
        dir.resolve("pb.yml"),
        "gather_facts: false\nvars: {flag: 'off'}\nsteps:\n"
            + indent(withIds(TASKS.replace("LOG", ours.toString())), "  "));
    Files.createDirectories(dir.resolve("home"));
    Files.writeString(dir.resolve("inv.yml"), "all:\n  hosts:\n    h1:\n      connection: local\n");
    Cli.Result run =
        Cli.withLocalHome(dir.resolve("home"))
            .run(
                "run",
                dir.resolve("pb.yml").toString(),
                "-i",
                dir.resolve("inv.yml").toString(),
                "--state-dir",
                dir.resolve("state").toString());
    // then the run succeeds (the failure was rescued) and the same steps ran in the same order
    assertEquals(0, run.exitCode(), run.out() + run.err());
    List<String> expected = Files.readAllLines(theirs);
    assertEquals(expected, Files.readAllLines(ours));
    assertTrue(expected.contains("r a 3 non-zero return code"), expected.toString());
  }

  /** Gives each task an {@code id:} made of its name. */
  private static String withIds(String tasks) {
    return tasks
        .replaceAll("\\{name: ([a-z0-9-]+),", "{id: $1, name: $1,")
        .replaceAll("(?m)^(\\s*)- name: r$", "$1- id: r\n$1  name: r");
  }

  private static String indent(String text, String by) {
    return text.lines().map(l -> by + l).reduce("", (a, b) -> a + b + "\n");
  }
}
