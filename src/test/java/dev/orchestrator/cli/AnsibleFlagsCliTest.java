package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ansible-playbook's habits on {@code run}: several {@code -e} forms reach the playbook with their
 * types, and {@code --ansible-exit-codes} maps our codes onto ansible-playbook's.
 */
class AnsibleFlagsCliTest {
  @TempDir Path dir;
  private Cli.Session cli;

  @BeforeEach
  void localHome(@TempDir Path home) throws IOException {
    cli = Cli.withLocalHome(home);
    Files.writeString(dir.resolve("inv.yml"), "all:\n  hosts:\n    h1: {connection: local}\n");
  }

  private Cli.Result run(String playbook, String... more) throws IOException {
    Files.writeString(dir.resolve("pb.yml"), playbook);
    String[] base = {
      "run",
      dir.resolve("pb.yml").toString(),
      "-i",
      dir.resolve("inv.yml").toString(),
      "--state-dir",
      dir.resolve("state").toString(),
      "--no-progress"
    };
    String[] args = new String[base.length + more.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(more, 0, args, base.length, more.length);
    return cli.run(args);
  }

  @Test
  void everyExtraVarsFormReachesThePlaybookTyped() throws IOException {
    // given a step that writes what it gets, and -e as k=v words, a YAML mapping and a file
    Path out = dir.resolve("out.txt");
    Path vars = Files.writeString(dir.resolve("vars.yml"), "n: 5\nc: from_file\n");
    String pb =
        "steps:\n  - id: write\n    when: \"n == 5 and (n + 1) == 6\"\n"
            + "    shell: \"printf '%s %s %s %s' {{ a | quote }} {{ b | quote }} {{ c | quote }}"
            + " {{ l | length }} > "
            + out
            + "\"\n";
    // when run with them, the mapping after the file (later wins for c)
    Cli.Result r =
        run(pb, "-e", "a=1 b='x y'", "-e", "@" + vars, "-e", "{c: from_json, l: [1, 2, 3]}");
    // then the step ran (n is a number) with every value
    assertEquals(0, r.exitCode(), r.out() + r.err());
    assertEquals("1 x y from_json 3", Files.readString(out));
  }

  @Test
  void aMissingVarsFileIsExit2NamingIt() throws IOException {
    Cli.Result r = run("steps:\n  - {id: s, shell: \"true\"}\n", "-e", "@nope.yml");
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("the file nope.yml does not exist"), r.err());
  }

  @Test
  void aFailedHostIsAnsiblesTwoInsteadOfOurThree() throws IOException {
    // given a step that fails
    String pb = "steps:\n  - {id: boom, shell: \"exit 1\"}\n";
    // when run without and with --ansible-exit-codes; then ours 3 (paused), Ansible's 2
    assertEquals(3, run(pb).exitCode());
    // (a second home: the paused first run keeps its lease on h1)
    cli = Cli.withLocalHome(Files.createDirectories(dir.resolve("home2")));
    Cli.Result r = run(pb, "--ansible-exit-codes");
    assertEquals(2, r.exitCode(), r.out() + r.err());
  }

  @Test
  void inputErrorsAreAnsiblesFourAndFive() throws IOException {
    // given a playbook that is not valid; then ours 2, Ansible's 4 (a parse error)
    String bad = "steps:\n  - {id: s, shell: [\n";
    assertEquals(2, run(bad).exitCode());
    assertEquals(4, run(bad, "--ansible-exit-codes").exitCode());
    // given a bad option value; then Ansible's 5 (bad options)
    String pb = "steps:\n  - {id: s, shell: \"true\"}\n";
    assertEquals(5, run(pb, "--ansible-exit-codes", "--forks", "x").exitCode());
  }

  @Test
  void aSucceededRunIsZero() throws IOException {
    assertEquals(
        0, run("steps:\n  - {id: s, shell: \"true\"}\n", "--ansible-exit-codes").exitCode());
  }

  @Test
  void checkChangesNothingAndPrintsThePlan() throws IOException {
    // given a step that would write a file
    Path out = dir.resolve("written.txt");
    String pb = "steps:\n  - {id: write_it, shell: \"touch " + out + "\"}\n";
    // when run with --check
    Cli.Result r = run(pb, "--check");
    // then the plan is printed, nothing is written, no run is stored
    assertEquals(0, r.exitCode(), r.out() + r.err());
    assertTrue(r.out().contains("write_it"), r.out());
    assertTrue(Files.notExists(out));
    assertTrue(Files.notExists(dir.resolve("state").resolve("runs")));
  }

  @Test
  void diffWithoutCheckIsRefusedNotIgnored() throws IOException {
    Cli.Result r = run("steps:\n  - {id: s, shell: \"true\"}\n", "--diff");
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("--check --diff"), r.err());
  }

  @Test
  void becomeOptionsAreCheckedAndRefusedForOurOwnFormat() throws IOException {
    // given a playbook of our own format
    String ours = "steps:\n  - id: a\n    shell: echo a\n";
    // when run with a become method we do not run, then refused before anything runs
    Cli.Result method = run(ours, "--become-method", "doas");
    assertEquals(2, method.exitCode(), method.out() + method.err());
    assertTrue(method.err().contains("--become-method 'doas' is not supported"), method.err());
    // when run with -b, then refused: our format writes become on its steps
    Cli.Result b = run(ours, "-b");
    assertEquals(2, b.exitCode(), b.out() + b.err());
    assertTrue(b.err().contains("become: true"), b.err());
  }

  @Test
  void becomeOnAnAnsiblePlaybookBecomesTheConnectingUserAsItIs() throws IOException {
    // given an Ansible play on a local host whose inventory names the connecting user, run with -b
    // --become-user as that user
    Path out = dir.resolve("who.txt");
    String play =
        "- hosts: all\n  gather_facts: no\n  tasks:\n    - name: who\n      shell: id -un > "
            + out
            + "\n";
    String me = System.getProperty("user.name");
    Files.writeString(
        dir.resolve("inv.yml"),
        "all:\n  hosts:\n    h1: {ansible_connection: local, ansible_user: " + me + "}\n");
    // when run
    Cli.Result r = run(play, "-b", "--become-user", me);
    // then the task ran as that user (becoming the connecting user runs the command as is)
    assertEquals(0, r.exitCode(), r.out() + r.err());
    assertEquals(me, Files.readString(out).strip());
    // and with -b --become-method su --become-user of no such user, the task goes through su,
    // which refuses: -b reached every task
    Cli.Result su = run(play, "-b", "--become-method", "su", "--become-user", "no-such-user-b");
    assertEquals(3, su.exitCode(), su.out() + su.err());
    assertTrue((su.out() + su.err()).contains("no-such-user-b"), su.out() + su.err());
  }
}
