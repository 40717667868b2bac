package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code setup} as a task in a play that gathers no facts: the plan knows the facts it sets (their
 * values at run time), and the run sets {@code ansible_NAME} for the steps after it, only those its
 * {@code filter} keeps in the registered {@code ansible_facts}.
 */
class SetupTaskCliTest {
  @TempDir Path dir;
  private Cli.Session cli;

  @BeforeEach
  void localHome(@TempDir Path home) throws IOException {
    cli = Cli.withLocalHome(home);
    Files.writeString(dir.resolve("inv.yml"), "all:\n  hosts:\n    h1: {connection: local}\n");
  }

  @Test
  void aSetupTaskSetsTheFactsForTheStepsAfterIt() throws IOException {
    // given a play without gather_facts whose step reads a fact after a setup task
    Path out = dir.resolve("out.txt");
    Files.writeString(
        dir.resolve("site.yml"),
        "- hosts: all\n  gather_facts: false\n  tasks:\n"
            + "    - name: Reload ansible_facts\n      setup:\n"
            + "    - name: some\n      setup: {filter: ['ansible_os_fam*', ansible_system]}\n"
            + "      register: some\n"
            + "    - name: write\n      copy: {content: \"{{ ansible_system }} {{ some.ansible_facts"
            + " | length }} {{ 'yes' if some.ansible_facts.ansible_os_family is defined else 'no'"
            + " }}\", dest: "
            + out
            + "}\n");
    String[] common = {"-i", dir.resolve("inv.yml").toString()};
    // when it is planned, then run
    Cli.Result plan = cli.run("plan", dir.resolve("site.yml").toString(), common[0], common[1]);
    Cli.Result run =
        cli.run(
            "run",
            dir.resolve("site.yml").toString(),
            common[0],
            common[1],
            "--state-dir",
            dir.resolve("state").toString(),
            "--no-progress");
    // then the plan accepts the fact, and the run wrote it and the filtered keys
    assertEquals(0, plan.exitCode(), plan.out() + plan.err());
    assertEquals(0, run.exitCode(), run.out() + run.err());
    assertEquals("Linux 2 yes", Files.readString(out));
  }
}
