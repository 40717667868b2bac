package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code group} ({@link GroupModule}) with the machine's real {@code groupadd}, {@code groupmod}
 * and {@code groupdel} (tests run as root here and on CI), on a group named uniquely and removed
 * after: Ansible's {@code changed} rules ({@code group.py}) and result keys.
 */
class GroupModuleTest {
  private final String name = "orchgt" + Long.toHexString(System.nanoTime()).substring(4);

  @BeforeEach
  void asRoot() {
    Assumptions.assumeTrue(
        "root".equals(System.getProperty("user.name")), "groupadd needs root (as on CI)");
  }

  @AfterEach
  void removeTheGroup() throws Exception {
    new ProcessBuilder("groupdel", name).redirectErrorStream(true).start().waitFor();
  }

  private ModuleOutcome run(GroupModule m) throws Exception {
    try (StandInHost host = StandInHost.with()) {
      return m.outcome(host.run(m.script()));
    }
  }

  @Test
  void presentAddsOnceChangesTheGidWhenItDiffersAndAbsentDeletesOnce() throws Exception {
    // given no group of that name
    GroupModule add = new GroupModule(name, "present", OptionalInt.empty(), true, false);
    // when it is made present twice, given another gid, then made absent twice
    ModuleOutcome added = run(add);
    ModuleOutcome again = run(add);
    int gid = (Integer) added.fields().get("gid");
    ModuleOutcome moved =
        run(new GroupModule(name, "present", OptionalInt.of(gid + 7), false, false));
    ModuleOutcome deleted = run(new GroupModule(name, "absent", OptionalInt.empty(), false, false));
    ModuleOutcome gone = run(new GroupModule(name, "absent", OptionalInt.empty(), false, false));
    // then each changed only when it had something to do, as group.py decides
    assertEquals(
        List.of(true, false, true, true, false),
        List.of(added, again, moved, deleted, gone).stream()
            .map(o -> o.fields().get("changed"))
            .toList());
    assertTrue(gid < 1000, "system: true makes a system group (groupadd -r), gid " + gid);
    assertEquals(gid + 7, moved.fields().get("gid"));
    assertEquals(true, added.fields().get("system"));
    assertEquals(name, gone.fields().get("name"));
    assertEquals("absent", gone.fields().get("state"));
    assertFalse(gone.fields().containsKey("gid"), "no gid for a group that does not exist");
  }

  @Test
  void aFailingCommandIsTheStepsFailureWithItsStderr() throws Exception {
    // given a group that exists
    run(new GroupModule(name, "present", OptionalInt.empty(), false, false));
    // when another group is asked to take gid 0 (root's), without non_unique
    ModuleOutcome o = run(new GroupModule(name, "present", OptionalInt.of(0), false, false));
    // then groupmod's message is the step's, with its final line break as Ansible's msg
    assertFalse(o.result().succeeded());
    assertEquals("groupmod: GID '0' already exists\n", o.fields().get("msg"));
  }
}
