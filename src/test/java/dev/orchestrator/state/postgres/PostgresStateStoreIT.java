package dev.orchestrator.state.postgres;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.InputException;
import dev.orchestrator.sandbox.ThrowawayDatabase;
import dev.orchestrator.state.Checkpoint;
import dev.orchestrator.state.RunJournal;
import dev.orchestrator.state.RunState;
import dev.orchestrator.state.StateStore;
import dev.orchestrator.state.StateStoreContract;
import dev.orchestrator.state.StepStatus;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.lifecycle.AfterContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL store against a real PostgreSQL server (Debian's, a private cluster started for
 * this class): every {@link StateStoreContract} test, and what only a database store does. Each new
 * store starts from empty tables; another store instance ({@link #reopen}) has its own pool.
 */
class PostgresStateStoreIT extends StateStoreContract {
  private static final String PASSWORD = "pw-" + Long.toHexString(System.nanoTime()) + "'\"x";
  private static ThrowawayDatabase.Postgres server;
  private static PostgresUrl url;
  private static PostgresStateStore shared; // its pool serves every newStore()
  private static final List<StateStore> opened = new ArrayList<>();

  /** Starts the server on first use (JUnit's and jqwik's tests run as two engines here). */
  private static synchronized PostgresStateStore shared() {
    if (shared == null) {
      try {
        server = ThrowawayDatabase.postgresOnLoopback();
        server.createDatabase("orchestrator", "orchestrator", PASSWORD);
      } catch (IOException e) {
        throw new AssertionError(e);
      }
      url =
          PostgresUrl.parse(
              "postgresql://orchestrator@127.0.0.1:" + server.port() + "/orchestrator");
      shared = PostgresStateStore.open(url, env());
    }
    return shared;
  }

  static Map<String, String> env() {
    return Map.of("PGPASSWORD", PASSWORD);
  }

  @AfterAll
  @AfterContainer
  static synchronized void stopServer() throws IOException {
    closeOpened();
    if (shared != null) {
      shared.close();
      shared = null;
      server.close();
      server = null;
    }
  }

  private static synchronized void closeOpened() {
    opened.forEach(StateStore::close);
    opened.clear();
  }

  @Override
  protected StateStore newStore(Clock clock) {
    PostgresStateStore pool = shared();
    closeOpened();
    try (Connection c = pool.database().getConnection();
        Statement s = c.createStatement()) {
      s.execute("TRUNCATE runs CASCADE");
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
    return new PostgresStateStore(pool.database(), url, clock, () -> {});
  }

  @Override
  protected StateStore reopen(StateStore store) {
    PostgresStateStore other = PostgresStateStore.open(url, env());
    synchronized (PostgresStateStoreIT.class) {
      opened.add(other);
    }
    return other;
  }

  private static Checkpoint checkpoint(String host, String step, String message) {
    Instant t = Instant.parse("2026-11-21T08:00:00Z");
    return new Checkpoint(
        host,
        step,
        StepStatus.FAILED,
        1,
        t,
        t.plusSeconds(1),
        1,
        message,
        Map.of("out", message),
        StateStore.logName(host, step, 1),
        "hash");
  }

  @Test
  void twoStoresStartingAtOnceMigrateTheSchemaOnce() throws Exception {
    // given an empty database and two controllers starting at the same moment
    shared();
    server.createDatabase("fresh", "fresh", PASSWORD);
    PostgresUrl fresh =
        PostgresUrl.parse("postgresql://fresh@127.0.0.1:" + server.port() + "/fresh");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<PostgresStateStore>> stores = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        stores.add(
            pool.submit(
                () -> {
                  go.await();
                  return PostgresStateStore.open(fresh, env());
                }));
      }
      go.countDown();
      // when both have opened the store
      PostgresStateStore first = stores.get(0).get();
      PostgresStateStore second = stores.get(1).get();
      try {
        // then the schema was created once, and a run one creates the other loads
        try (Connection c = first.database().getConnection();
            Statement s = c.createStatement();
            ResultSet r =
                s.executeQuery(
                    "SELECT version, count(*) FROM orchestrator_schema_history"
                        + " WHERE success AND version IS NOT NULL GROUP BY version")) {
          int versions = 0;
          while (r.next()) {
            versions++;
            assertEquals(1, r.getInt(2), "version " + r.getString(1) + " applied once");
          }
          assertEquals(2, versions, "V1 and V2, each once");
        }
        String id = StateStore.newRunId("p");
        first.create(id, "p", spec()).close();
        assertEquals(id, second.load(id).info().id());
      } finally {
        first.close();
        second.close();
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void aRecordSurvivesAPoolRestartAndAServerRestart() throws Exception {
    // given a checkpoint recorded through a store that is then closed (its pool with it)
    StateStore store = newStore();
    String id = StateStore.newRunId("p");
    PostgresStateStore writer = PostgresStateStore.open(url, env());
    try (RunJournal j = writer.create(id, "p", spec())) {
      j.record(checkpoint("web-1", "upgrade", "done"));
    } finally {
      writer.close();
    }
    // when the server itself restarts
    server.stop();
    server.start();
    // (the shared pool's connections died with the server: the next tests get new ones; a pool
    // may hand out a dead connection used in the last 500 ms, which the database-outage handling
    // of a later slice retries)
    ((com.zaxxer.hikari.HikariDataSource) shared().database())
        .getHikariPoolMXBean()
        .softEvictConnections();
    // then a store opened afterwards loads the checkpoint
    try (PostgresStateStore reader = PostgresStateStore.open(url, env())) {
      assertEquals(
          Optional.of(checkpoint("web-1", "upgrade", "done")),
          reader.load(id).checkpoint("web-1", "upgrade"));
    }
    assertEquals(id, store.list().get(0).id());
  }

  @Property(tries = 30)
  void anyHostStepAndOutputAreStoredAsData(
      @ForAll @StringLength(min = 1, max = 80) String host,
      @ForAll @StringLength(min = 1, max = 80) String step,
      @ForAll @StringLength(max = 200) String output) {
    // given any host name, step id and output, control characters and quotes included
    StateStore store = newStore();
    String id = StateStore.newRunId("p");
    try (RunJournal j = store.create(id, "p", spec())) {
      // when they are recorded
      j.record(checkpoint(host, step, output));
      j.record(checkpoint(host, "other " + step, output));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    // then they load as they were, each its own key
    RunState state = store.load(id);
    assertEquals(Optional.of(checkpoint(host, step, output)), state.checkpoint(host, step));
    assertEquals(2, state.checkpoints(host).size());
  }

  @Test
  void aWrongPasswordIsAClearInputErrorThatNeverShowsIt() {
    shared();
    InputException e =
        assertThrows(
            InputException.class,
            () -> PostgresStateStore.open(url, Map.of("PGPASSWORD", "wrong-secret")));
    assertTrue(
        e.getMessage().contains("cannot connect to the state database " + url), e.getMessage());
    assertTrue(e.hint().contains("PGPASSWORD or ~/.pgpass"), e.hint());
    assertFalse((e.getMessage() + e.hint()).contains("wrong-secret"));
  }

  @Test
  void aStoreWithoutAFolderSaysSoAndNamesItsLogsByUrl() throws IOException {
    StateStore store = newStore();
    String id = StateStore.newRunId("p");
    store.create(id, "p", spec()).close();
    assertEquals(Optional.empty(), store.localDir(id));
    String location = store.logLocation(id, "logs/h/s.1.log");
    assertEquals(url + "/runs/" + id + "/logs/h/s.1.log", location);
    assertEquals(Optional.of("logs/h/s.1.log"), StateStore.logNameIn(location));
  }

  @Test
  void claimsSkipRowsOthersHoldAndExpiredClaimsAreTakenOver() throws Exception {
    // given a run whose batch of three hosts is published, and two controllers
    StateStore store = newStore(Clock.systemUTC());
    store.create("r1", "shared", spec()).close();
    var shared = store.shared().orElseThrow();
    var a = shared.queue("r1", "a/1/aa");
    var b = shared.queue("r1", "b/2/bb");
    long pass = a.publish(List.of("h1", "h2", "h3"), java.util.Set.of("s2"));
    // when both claim at once, never the same host twice, in publication order
    var ttl = java.time.Duration.ofMillis(400);
    var claimedByA = a.claim(2, java.time.Duration.ofMinutes(5));
    var claimedByB = b.claim(2, ttl);
    assertEquals(List.of("h1", "h2"), claimedByA.stream().map(c -> c.host()).toList());
    assertEquals(List.of("h3"), claimedByB.stream().map(c -> c.host()).toList());
    assertTrue(claimedByA.get(0).firstClaim());
    assertEquals(java.util.Set.of("s2"), claimedByA.get(0).rerun());
    assertEquals(List.of(), a.claim(1, ttl), "nothing left to claim");
    // then b's claim, not renewed, expires on the database's clock and a takes h3 over
    String expiredYet = "SELECT count(*) FROM work_items WHERE host = 'h3' AND expires_at < now()";
    await("b's claim on h3 to expire")
        .atMost(java.time.Duration.ofSeconds(30))
        .pollInterval(java.time.Duration.ofMillis(20))
        .until(() -> count(expiredYet).equals("1"));
    var takenOver = a.claim(1, ttl);
    assertEquals(List.of("h3"), takenOver.stream().map(c -> c.host()).toList());
    assertFalse(takenOver.get(0).firstClaim(), "after a takeover the steps done stay done");
    // and b finds its claim lost: its renewal says so, its outcome is not recorded
    assertEquals(java.util.Set.of("h3"), b.renew(List.of("h3"), ttl));
    assertFalse(b.complete("h3", "{\"kind\":\"done\"}"));
    assertTrue(a.complete("h3", "{\"kind\":\"done\"}"));
    assertTrue(a.complete("h1", "{\"kind\":\"paused\",\"step\":\"s1\",\"message\":\"m\"}"));
    assertEquals(java.util.Set.of(), a.renew(List.of("h2"), ttl), "a still holds h2");
    assertEquals(List.of("h1", "h3"), List.copyOf(a.outcomes(pass).keySet()));
    assertTrue(a.outcomes(pass).get("h1").contains("paused"));
  }

  @Test
  void oneControllerCoordinatesARunUntilItsLeaseExpires() throws Exception {
    // given a run coordinated by a
    StateStore store = newStore(Clock.systemUTC());
    store.create("r2", "shared", spec()).close();
    var shared = store.shared().orElseThrow();
    var a = shared.queue("r2", "a/1/aa");
    var b = shared.queue("r2", "b/2/bb");
    var ttl = java.time.Duration.ofMillis(400);
    assertEquals(Optional.empty(), a.takeCoordination(ttl));
    // when b asks while a's lease is live, it is refused with a named
    assertTrue(b.takeCoordination(ttl).orElseThrow().contains("a/1/aa"));
    assertTrue(b.otherCoordinator().isPresent());
    assertFalse(a.otherCoordinator().isPresent(), "a does not refuse itself");
    // then once a stops renewing, the run is orphaned and b takes it over; a's renewal fails
    await("a's coordination lease to expire")
        .atMost(java.time.Duration.ofSeconds(30))
        .pollInterval(java.time.Duration.ofMillis(20))
        .until(() -> !shared.orphanedRuns().isEmpty());
    assertEquals(List.of("r2"), shared.orphanedRuns());
    assertEquals(Optional.empty(), b.takeCoordination(java.time.Duration.ofMinutes(5)));
    assertFalse(a.renewCoordination(ttl));
    assertEquals(List.of(), shared.orphanedRuns());
    b.releaseCoordination();
    assertEquals(Optional.empty(), a.takeCoordination(ttl), "released: free for anyone");
  }

  private static String count(String sql) throws Exception {
    try (Connection c = shared().database().getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getString(1);
    }
  }
}
