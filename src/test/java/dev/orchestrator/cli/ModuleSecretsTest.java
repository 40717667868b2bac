package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the controller's modules print ({@code debug}, {@code fail}, {@code assert}, {@code
 * set_fact}) and what {@code --check --diff} shows is masked where it derives from a secret, as a
 * shell step's log is: on the console and in every file of the state folder; a fact set from a
 * secret is a secret itself.
 */
class ModuleSecretsTest {
  private static final String SECRET = "Hunter2Secret";

  /** Every text derived from {@link #SECRET} by the playbooks below. */
  private static final List<String> DERIVED =
      List.of(
          SECRET,
          "hunter2secret",
          "HUNTER2SECRET",
          "H-u-n-t-e-r-2",
          "'H'-'u'",
          "Hunter2",
          "Hunt3r2S3cr3t",
          "SHVudGVyMlNlY3JldA",
          "Hunter2S");

  private Cli.Session cli;

  @TempDir Path dir;

  @BeforeEach
  void localHome(@TempDir Path home) {
    cli = Cli.withLocalHome(home);
  }

  @Test
  void moduleMessagesDerivedFromSecretsAreMaskedEverywhere() throws Exception {
    // given an Ansible play whose messages derive from a secret, directly and through a fact
    Files.writeString(dir.resolve("inv.yml"), "all:\n  hosts:\n    h1: {connection: local}\n");
    Files.writeString(
        dir.resolve("pb.yml"),
        """
        - hosts: all
          gather_facts: false
          tasks:
            - debug: msg="A={{ db_password | lower }} B={{ db_password | list | join("-") }} C={{ db_password[0:7] }} D={{ db_password | replace("e","3") }}"
              register: shown
            - set_fact:
                pu: "{{ db_password | upper }}"
            - debug: msg="{{ pu | lower }}"
            - debug: var=pu
            - debug: var=shown
            - assert:
                that: ["1 == 1"]
                success_msg: "pw {{ db_password[0:8] }}"
            - assert:
                that: ["1 == 2"]
                fail_msg: "pw {{ db_password[0:8] }}"
              ignore_errors: true
            - fail: msg="bad {{ db_password | lower }}"
        """);
    Path state = dir.resolve("state");
    // when it runs
    Cli.Result run =
        cli.run(
            "run",
            dir.resolve("pb.yml").toString(),
            "-i",
            dir.resolve("inv.yml").toString(),
            "--state-dir",
            state.toString(),
            "-e",
            "db_password=" + SECRET);
    Cli.Result logs = cli.run("logs", run.runId(), "--host", "h1", "--state-dir", state.toString());
    Cli.Result json = cli.run("status", run.runId(), "--state-dir", state.toString(), "-o", "json");
    // then the fail step failed, and no derived value is on the console or in a file
    assertEquals(3, run.exitCode(), run.out() + run.err());
    assertEquals(List.of(), leaks(state));
    for (Cli.Result r : List.of(run, logs, json)) {
      for (String value : DERIVED) {
        assertTrue(!(r.out() + r.err()).contains(value), value + " printed: " + r.out() + r.err());
      }
    }
    assertTrue(logs.out().contains("A=******** B=********"), logs.out());
  }

  @Test
  void checkDiffMasksWhatAFilesContentDerivesFromSecrets() throws Exception {
    // given a copy whose content derives from a secret in several ways
    Files.writeString(dir.resolve("inv.yml"), "all:\n  hosts:\n    h1: {connection: local}\n");
    Path dest = dir.resolve("out.conf");
    Files.writeString(
        dir.resolve("diff.yml"),
        """
        - hosts: all
          gather_facts: false
          vars:
            conn: "postgres://app:{{ db_password }}@db/app"
          tasks:
            - copy:
                content: "url={{ conn }}\\npw={{ db_password | b64encode }}\\nup={{ db_password | upper }}\\nplain=1\\n"
                dest: DEST
        """
            .replace("DEST", dest.toString()));
    for (String command : List.of("run", "plan")) {
      // when run --check --diff and plan --check --diff show the diff
      Cli.Result r =
          cli.run(
              command,
              dir.resolve("diff.yml").toString(),
              "-i",
              dir.resolve("inv.yml").toString(),
              "--state-dir",
              dir.resolve("state").toString(),
              "--check",
              "--diff",
              "-e",
              "db_password=" + SECRET);
      // then it shows the lines, each derived value masked
      assertEquals(0, r.exitCode(), r.out() + r.err());
      assertTrue(r.out().contains("+plain=1"), r.out());
      assertTrue(r.out().contains("+up=********"), r.out());
      for (String value : DERIVED) {
        assertTrue(!(r.out() + r.err()).contains(value), value + " printed: " + r.out() + r.err());
      }
    }
    assertTrue(!Files.exists(dest), "nothing was written");
  }

  private static List<String> leaks(Path state) throws Exception {
    List<String> leaks = new ArrayList<>();
    try (Stream<Path> all = Files.walk(state)) {
      for (Path p : all.filter(Files::isRegularFile).toList()) {
        String text = new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
        for (String value : DERIVED) {
          if (text.contains(value)) {
            leaks.add(state.relativize(p) + " holds " + value);
          }
        }
      }
    }
    return leaks;
  }
}
