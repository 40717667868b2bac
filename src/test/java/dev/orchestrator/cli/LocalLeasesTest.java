package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leases of {@code connection: local} hosts: several instances on the controller each have their
 * own lease (a paused run on one never refuses another), {@code lease_path} moves it and {@code
 * unlock} finds it there, and a refusal prints the command to type.
 */
class LocalLeasesTest {
  /** The CLI under test; its local hosts live in the test's home folder (set per test). */
  private Cli.Session cli =
      Cli.withLocalHome(java.nio.file.Path.of(System.getProperty("user.home")));

  @TempDir Path dir;
  @TempDir Path home;

  @BeforeEach
  void setUp() throws Exception {
    cli = Cli.withLocalHome(home);
    Files.writeString(
        dir.resolve("pb.yml"),
        "steps:\n  - id: work\n    shell: test ! -e "
            + dir
            + "/fail-{{ inventory_hostname }} && touch "
            + dir
            + "/done-{{ inventory_hostname }}\n");
    inventory("");
  }

  private void inventory(String nc1Vars) throws Exception {
    Files.writeString(
        dir.resolve("inv.yml"),
        "all:\n  hosts:\n    nc1:\n      connection: local\n"
            + nc1Vars
            + "    nc2:\n      connection: local\n");
  }

  private Cli.Result run(String state, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                dir.resolve("pb.yml").toString(),
                "-i",
                dir.resolve("inv.yml").toString(),
                "--state-dir",
                dir.resolve(state).toString()));
    args.addAll(List.of(extra));
    return cli.run(args.toArray(String[]::new));
  }

  private Path defaultLease(String host) {
    return home.resolve(".orchestrator/leases").resolve(host + ".lock");
  }

  @Test
  void aPausedRunOnOneLocalInstanceDoesNotRefuseAnotherInstance() throws Exception {
    // given a run paused on nc1
    Files.writeString(dir.resolve("fail-nc1"), "");
    Cli.Result paused = run("state-a", "--limit", "nc1");
    assertEquals(3, paused.exitCode(), paused.out() + paused.err());
    assertTrue(Files.readString(defaultLease("nc1")).contains(" state=paused"));
    // when another run works on nc2, on the same machine and user
    Cli.Result other = run("state-b", "--limit", "nc2");
    // then it is not refused
    assertEquals(0, other.exitCode(), other.out() + other.err());
    assertTrue(Files.exists(dir.resolve("done-nc2")));
    assertFalse(Files.exists(defaultLease("nc2")), "released when done");
  }

  @Test
  void aRefusalPrintsTheCommandThatReleasesTheHost() throws Exception {
    Files.writeString(dir.resolve("fail-nc1"), "");
    Cli.Result paused = run("state-a", "--limit", "nc1");
    assertEquals(3, paused.exitCode(), paused.out() + paused.err());
    Cli.Result refused = run("state-b", "--limit", "nc1");
    assertEquals(4, refused.exitCode(), refused.out() + refused.err());
    assertTrue(
        refused
            .out()
            .contains(
                "release this host with: orchestrator unlock nc1 -i "
                    + dir.resolve("inv.yml")
                    + " --state-dir "
                    + dir.resolve("state-b")),
        refused.out());
    assertTrue(refused.out().contains("orchestrator abort " + paused.runId()), refused.out());
    assertFalse(refused.out().contains("INVENTORY"), refused.out());
  }

  @Test
  void leasePathMovesTheLeaseAndUnlockUsesIt() throws Exception {
    // given nc1's lease moved by its host var
    Path custom = dir.resolve("leases/nextcloud-one.lock");
    inventory("      lease_path: " + custom + "\n");
    Files.writeString(dir.resolve("fail-nc1"), "");
    Cli.Result paused = run("state-a", "--limit", "nc1");
    assertEquals(3, paused.exitCode(), paused.out() + paused.err());
    assertTrue(Files.readString(custom).contains(" state=paused"), "the run uses lease_path");
    assertFalse(Files.exists(defaultLease("nc1")));
    // when nc1 is unlocked
    Cli.Result unlocked =
        cli.run(
            "unlock",
            "nc1",
            "-i",
            dir.resolve("inv.yml").toString(),
            "--state-dir",
            dir.resolve("state-a").toString());
    // then the same file is released
    assertEquals(0, unlocked.exitCode(), unlocked.out() + unlocked.err());
    assertTrue(unlocked.out().contains("released the lease of nc1: run=" + paused.runId()));
    assertFalse(Files.exists(custom));
  }

  @Test
  void anUnusableLeasePathIsInvalidInputAndNothingRuns() throws Exception {
    inventory("      lease_path: \"" + dir + "/leases/\"\n");
    Cli.Result r = run("state");
    assertEquals(2, r.exitCode(), r.out() + r.err());
    assertTrue(r.err().contains("host 'nc1': lease_path names a folder"), r.err());
    assertTrue(r.err().contains("hint: set lease_path to a file path"), r.err());
    assertFalse(Files.exists(dir.resolve("state")), "nothing written");
    assertFalse(Files.exists(dir.resolve("done-nc2")), "nothing ran");
  }
}
