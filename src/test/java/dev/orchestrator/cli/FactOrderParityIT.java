package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.sandbox.OpenSshFleet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task sees the values of the tasks before it only (Ansible's linear strategy): an Ansible play
 * whose {@code set_fact}s read, in their {@code when}, what a {@code set_fact} sets, with a loop of
 * {@code set_fact}s, block vars and a skipped task's {@code register}, run by {@code
 * ansible-playbook} and by {@code orchestrator run} on the same real OpenSSH host: the same lines.
 */
class FactOrderParityIT {
  @TempDir Path dir;

  private static final String PLAY =
      """
      - hosts: web
        gather_facts: no
        vars: {installed: false}
        tasks:
          - name: s1
            set_fact: {marker: one}
            when: not installed
          - name: s2
            set_fact: {installed: true}
            when: installed == false
            register: r2
          - name: before
            shell: >-
              echo "before acc={{ acc | default('unset') }} port={{ port | default('unset') }}
              r9={{ 'def' if r9 is defined else 'undef' }}" >> LOG
          - name: l
            set_fact: {acc: "{{ item }}"}
            loop: [a, b]
          - block:
              - name: in-block
                shell: echo "in-block port={{ port }} acc={{ acc }}" >> LOG
            vars: {port: 80}
          - name: r9
            set_fact: {z: 1}
            when: installed == false
            register: r9
          - name: show
            shell: >-
              echo "installed={{ 'yes' if installed else 'no' }} marker={{ marker | default('unset') }}
              r2skipped={{ 'yes' if r2 is skipped else 'no' }} r9skipped={{ 'yes' if r9 is skipped else 'no' }}" >> LOG
      """;

  @Test
  void factsAreSeenByTheTasksAfterTheirsOnlyAsAnsibleDoes() throws Exception {
    OpenSshFleet.requireAvailable();
    try (OpenSshFleet fleet = OpenSshFleet.start(dir, Map.of("web", List.of("web1")))) {
      // given the play run by ansible-playbook on web1
      Path theirs = fleet.home("web1").resolve("theirs.log");
      Path ansible = dir.resolve("ansible.yml");
      Files.writeString(ansible, PLAY.replace("LOG", theirs.toString()));
      Process p =
          new ProcessBuilder(
                  "ansible-playbook", "-i", fleet.inventory().toString(), ansible.toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("ansible.out").toFile())
              .start();
      assertTrue(p.waitFor(5, TimeUnit.MINUTES));
      assertEquals(0, p.exitValue(), Files.readString(dir.resolve("ansible.out")));

      // when orchestrator runs the same play on the same host
      Path ours = fleet.home("web1").resolve("ours.log");
      Path play = dir.resolve("ours.yml");
      Files.writeString(play, PLAY.replace("LOG", ours.toString()));
      Cli.Result run =
          Cli.run(
              "run",
              play.toString(),
              "-i",
              fleet.inventory().toString(),
              "--known-hosts",
              fleet.knownHosts().toString(),
              "--state-dir",
              dir.resolve("state").toString());

      // then the same lines: both set_facts ran, and no task saw a later task's values
      assertEquals(0, run.exitCode(), run.out() + run.err());
      assertEquals(Files.readString(theirs), Files.readString(ours));
      assertEquals(
          "before acc=unset port=unset r9=undef\n"
              + "in-block port=80 acc=b\n"
              + "installed=yes marker=one r2skipped=no r9skipped=yes\n",
          Files.readString(ours));
    }
  }
}
