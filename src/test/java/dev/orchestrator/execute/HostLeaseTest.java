package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.InputException;
import dev.orchestrator.state.LeaseState;
import dev.orchestrator.transport.Connection;
import dev.orchestrator.transport.Endpoint;
import dev.orchestrator.transport.local.LocalConnector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A host's lease file on the local connection: its path, its mode, who may take it over. */
class HostLeaseTest {
  /** The home folder of the local hosts (their leases live there), one per test. */
  private java.nio.file.Path localHome;

  @TempDir Path home;
  private Connection c;

  static final LeaseCommands COMMANDS =
      new LeaseCommands() {
        @Override
        public String resume(String runId) {
          return "orch resume " + runId;
        }

        @Override
        public String abort(String runId) {
          return "orch abort " + runId;
        }

        @Override
        public String unlock(String host) {
          return "orch unlock " + host + " -i /real/inventory.yml";
        }
      };

  @BeforeEach
  void localHome() {
    localHome = home;
    c =
        new LocalConnector(localHome)
            .open(
                "nc1", new Endpoint(Endpoint.Kind.LOCAL, "localhost", 22, "me", Optional.empty()));
  }

  private static HostLease lease(String runId) {
    return new HostLease(
        runId,
        LeaseKeeper.controllerName(),
        ProcessHandle.current().pid(),
        ProcessIdentity.current().orElse(""),
        Duration.ofMinutes(10),
        COMMANDS);
  }

  private Path file(String host) {
    return home.resolve(".orchestrator/leases").resolve(host + ".lock");
  }

  /**
   * Writes a lease of another run of this machine, held by {@code pid} started at {@code start}.
   */
  private void heldBy(String host, long pid, String start) throws Exception {
    Files.createDirectories(file(host).getParent());
    long now = System.currentTimeMillis() / 1000;
    Files.writeString(
        file(host),
        "run=20260101-000000-other-0000 host="
            + host
            + " controller="
            + LeaseKeeper.controllerName()
            + " pid="
            + pid
            + " start="
            + start
            + " acquired="
            + now
            + " heartbeat="
            + now
            + " ttl=600 state=active\n");
  }

  @Test
  void eachInventoryHostHasItsOwnLeaseFileByDefault() {
    assertEquals(".orchestrator/leases/nc1.lock", HostLease.path("nc1", Map.of()));
    assertEquals(".orchestrator/leases/nc2.lock", HostLease.path("nc2", Map.of()));
    assertEquals(
        ".orchestrator/leases/%2E.%2Fx.lock",
        HostLease.path("../x", Map.of()), "a name never leaves the lease folder");
    assertEquals("shared.lock", HostLease.path("nc1", Map.of("lease_path", "~/shared.lock")));
    assertEquals("/srv/nc1.lock", HostLease.path("nc1", Map.of("lease_path", "/srv/nc1.lock")));
  }

  @Test
  void anUnusableLeasePathIsInvalidInput() {
    for (Object bad : new Object[] {"", "  ", "~", "dir/", "a\nb", "{{ x }}.lock", 42}) {
      InputException e =
          assertThrows(
              InputException.class,
              () -> HostLease.path("nc1", Map.of("lease_path", bad)),
              String.valueOf(bad));
      assertTrue(e.getMessage().startsWith("host 'nc1': lease_path "), e.getMessage());
      assertTrue(e.hint().contains("e.g. .orchestrator/leases/nc1.lock"), e.hint());
    }
  }

  @Test
  void theLeaseFileIsPrivateToItsOwner() throws Exception {
    var r =
        lease("20260101-000000-mine-0001")
            .acquire(c, "nc1", HostLease.path("nc1", Map.of()), false);
    assertInstanceOf(HostLease.Result.Acquired.class, r);
    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file("nc1"))));
    assertEquals(
        "rwx------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(file("nc1").getParent())));
    String line = Files.readString(file("nc1"));
    assertTrue(line.startsWith("run=20260101-000000-mine-0001 host=nc1 controller="), line);
    assertTrue(line.contains(" start=" + ProcessIdentity.current().orElseThrow() + " "), line);
  }

  @Test
  void twoHostsOfOneMachineHaveIndependentLeases() throws Exception {
    HostLease other = lease("20260101-000000-other-0002");
    assertInstanceOf(
        HostLease.Result.Acquired.class,
        other.acquire(c, "nc1", HostLease.path("nc1", Map.of()), false));
    assertInstanceOf(
        HostLease.Result.Acquired.class,
        lease("20260101-000000-mine-0002")
            .acquire(c, "nc2", HostLease.path("nc2", Map.of()), false),
        "nc2 is another instance: nc1's lease does not concern it");
  }

  @Test
  void aLiveHolderOfThisMachineKeepsItsLeaseAndTheRefusalNamesTheRealCommands() throws Exception {
    heldBy("nc1", ProcessHandle.current().pid(), ProcessIdentity.current().orElseThrow());
    var r =
        lease("20260101-000000-mine-0003")
            .acquire(c, "nc1", HostLease.path("nc1", Map.of()), false);
    String message = assertInstanceOf(HostLease.Result.Refused.class, r).message();
    assertTrue(
        message.contains("continue that run with: orch resume 20260101-000000-other-0000"),
        message);
    assertTrue(message.contains("orch abort 20260101-000000-other-0000"), message);
    assertTrue(message.contains("orch unlock nc1 -i /real/inventory.yml"), message);
    assertFalse(message.contains("INVENTORY"), message);
  }

  @Test
  void aHolderProcessThatIsGoneIsTakenOverAtOnceNotAfterTheTtl() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    heldBy("nc1", p.pid(), "proc:1");
    var r =
        lease("20260101-000000-mine-0004")
            .acquire(c, "nc1", HostLease.path("nc1", Map.of()), false);
    String note = assertInstanceOf(HostLease.Result.Acquired.class, r).note();
    assertTrue(note.contains("its controller process is gone from this machine"), note);
    assertTrue(Files.readString(file("nc1")).startsWith("run=20260101-000000-mine-0004 "));
  }

  @Test
  void aRecycledPidDoesNotKeepALeaseAlive() throws Exception {
    // This JVM's pid is alive, but it is not the process that took the lease: another start time.
    heldBy("nc1", ProcessHandle.current().pid(), "proc:1");
    var r =
        lease("20260101-000000-mine-0005")
            .acquire(c, "nc1", HostLease.path("nc1", Map.of()), false);
    assertInstanceOf(HostLease.Result.Acquired.class, r);
  }

  @Test
  void renewingALeaseThatAnotherRunTookSaysItIsLost() throws Exception {
    HostLease mine = lease("20260101-000000-mine-0006");
    String path = HostLease.path("nc1", Map.of());
    mine.acquire(c, "nc1", path, false);
    assertInstanceOf(HostLease.Check.Ours.class, mine.write(c, "nc1", path, LeaseState.ACTIVE));
    heldBy("nc1", 1, "proc:1");
    HostLease.Check check = mine.write(c, "nc1", path, LeaseState.ACTIVE);
    String line = assertInstanceOf(HostLease.Check.Lost.class, check).line();
    assertTrue(line.startsWith("run=20260101-000000-other-0000 "), line);
    assertTrue(
        Files.readString(file("nc1")).startsWith("run=20260101-000000-other-0000 "),
        "another run's lease is never overwritten by a renewal");
    Files.delete(file("nc1"));
    assertEquals(
        "",
        assertInstanceOf(HostLease.Check.Lost.class, mine.write(c, "nc1", path, LeaseState.ACTIVE))
            .line());
  }

  @Test
  void processIdentityTellsARecycledPidFromTheOriginal() throws Exception {
    long me = ProcessHandle.current().pid();
    String start = ProcessIdentity.current().orElseThrow();
    assertFalse(ProcessIdentity.gone(me, start));
    assertFalse(ProcessIdentity.gone(me, ""), "unknown start time: alive");
    assertTrue(ProcessIdentity.gone(me, start.substring(0, start.indexOf(':') + 1) + "1"));
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    assertTrue(ProcessIdentity.gone(p.pid(), ""));
  }
}
