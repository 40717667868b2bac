package dev.orchestrator.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/**
 * What every {@link StateStore} must do, whatever keeps its runs (the file store today, a database
 * next): extend this class with a factory for empty stores and the store passes when every test
 * here does. Store-specific behaviour (files, permissions, torn lines) is tested in the subclass.
 */
public abstract class StateStoreContract {
  /**
   * Returns a new, empty store whose runs are created at the times {@code clock} says.
   *
   * @param clock the clock of {@link RunInfo#createdAt()}
   */
  protected abstract StateStore newStore(Clock clock);

  /**
   * Returns another store instance over the same storage as {@code store} (another process opening
   * it): what one wrote, the other reads.
   */
  protected abstract StateStore reopen(StateStore store);

  /** Returns a new, empty store on the system clock. */
  protected StateStore newStore() {
    return newStore(Clock.systemUTC());
  }

  /** A clock that moves one second on every reading, from 2026-11-21T08:00:00Z. */
  protected static Clock steppingClock() {
    AtomicLong seconds = new AtomicLong(Instant.parse("2026-11-21T08:00:00Z").getEpochSecond());
    return new Clock() {
      @Override
      public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return Instant.ofEpochSecond(seconds.getAndIncrement());
      }
    };
  }

  protected static RunSpec spec() {
    return TestRunSpecs.of(
        "/pb.yml",
        "/inv.yml",
        Map.of("a", "1"),
        List.of("db_password"),
        Optional.of("web*"),
        5,
        Optional.empty(),
        false);
  }

  private static Checkpoint checkpoint(String host, String step, StepStatus status, int attempt) {
    Instant t = Instant.parse("2026-11-21T08:00:00Z");
    return new Checkpoint(
        host,
        step,
        status,
        attempt,
        t,
        status == StepStatus.RUNNING ? null : t.plusSeconds(1),
        status == StepStatus.RUNNING ? null : 0,
        "",
        Map.of("rc", 0),
        StateStore.logName(host, step, attempt),
        "hash-" + step);
  }

  /** Creates a run, records into its journal, closes it. */
  private static String run(StateStore store, Consumer<RunJournal> recording) {
    String id = StateStore.newRunId("Contract run");
    try (RunJournal j = store.create(id, "Contract run", spec())) {
      recording.accept(j);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return id;
  }

  @Test
  void aCreatedRunLoadsWithItsInfoAndSpec() {
    // given a store whose clock says 08:00:00
    StateStore store = newStore(steppingClock());
    // when a run is created
    String id = StateStore.newRunId("Nextcloud update!");
    RunInfo created;
    try (RunJournal j = store.create(id, "Nextcloud update!", spec())) {
      created = j.info();
      assertEquals(id, j.runId());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    // then another instance of the store loads it as it was created: running, with its spec
    RunState state = reopen(store).load(id);
    assertEquals(created, state.info());
    assertEquals(id, state.info().id());
    assertEquals("Nextcloud update!", state.info().playbookName());
    assertEquals(RunStatus.RUNNING, state.info().status());
    assertEquals(Instant.parse("2026-11-21T08:00:00Z"), state.info().createdAt());
    assertEquals(spec(), state.info().spec());
    assertEquals(Map.of(), state.checkpoints());
    assertEquals(0, state.tornLines());
  }

  @Test
  void theLatestCheckpointOfEachHostAndStepWinsInTheOrderFirstWritten() {
    // given a run whose steps were recorded running, then finished, on two hosts
    StateStore store = newStore();
    String id =
        run(
            store,
            j -> {
              j.record(checkpoint("h1", "s1", StepStatus.RUNNING, 1));
              j.record(checkpoint("h2", "s1", StepStatus.RUNNING, 1));
              j.record(checkpoint("h1", "s1", StepStatus.FAILED, 1));
              j.record(checkpoint("h1", "s2", StepStatus.SUCCEEDED, 1));
              j.record(checkpoint("h1", "s1", StepStatus.SUCCEEDED, 2));
            });
    // when it is loaded
    RunState state = reopen(store).load(id);
    // then each (host, step) has its latest checkpoint, steps in the order they first appeared
    assertEquals(
        checkpoint("h1", "s1", StepStatus.SUCCEEDED, 2), state.checkpoint("h1", "s1").get());
    assertEquals(
        List.of("s1", "s2"), state.checkpoints("h1").stream().map(Checkpoint::stepId).toList());
    assertEquals(StepStatus.RUNNING, state.checkpoint("h2", "s1").get().status());
    assertEquals(List.of("h1", "h2"), List.copyOf(state.checkpoints().keySet()));
    assertEquals(Optional.empty(), state.checkpoint("h2", "s2"));
  }

  @Test
  void aSoaksStartLoadsBackAsAField() {
    // given a wait gate waiting since t
    Instant t = Instant.parse("2026-11-21T08:00:00Z");
    StateStore store = newStore();
    String id = run(store, j -> j.record(GateRecord.soaking("prod/before/0", t, t.plusSeconds(1))));
    // when the run is loaded
    GateRecord gate = reopen(store).load(id).gate("prod/before/0").orElseThrow();
    // then
    assertEquals(Optional.of(t), gate.waitingSince());
    assertEquals(GateState.WAITING, gate.state());
  }

  @Test
  void hostGateAndLeaseRecordsLoadTheLatestOfEach() {
    // given host records, gate decisions and lease changes, some superseded
    Instant t = Instant.parse("2026-11-21T08:00:00Z");
    StateStore store = newStore();
    String id =
        run(
            store,
            j -> {
              j.record(new HostRecord("h1", HostState.UNREACHABLE, "connection refused", t));
              j.record(new HostRecord("h1", HostState.DONE, "", t.plusSeconds(1)));
              j.record(new HostRecord("h2", HostState.ROLLED_BACK, "restored", t));
              j.record(new GateRecord("prod/before/0", GateState.WAITING, "approve it", t));
              j.record(new GateRecord("prod/before/0", GateState.APPROVED, "by ops@jump", t));
              j.record(new GateRecord("qa/batch-1/0", GateState.FAILED, "h2: http 500", t));
              j.recordLease("h1", LeaseState.ACTIVE, "taken");
              j.recordLease("h1", LeaseState.RELEASED, "done");
              j.recordLease(new LeaseRecord("h2", LeaseState.PAUSED, "paused at s1", t));
            });
    // when the run is loaded
    RunState state = reopen(store).load(id);
    // then the latest of each is there
    assertEquals(
        new HostRecord("h1", HostState.DONE, "", t.plusSeconds(1)), state.hostRecords().get("h1"));
    assertEquals(HostState.ROLLED_BACK, state.hostRecords().get("h2").state());
    assertEquals(
        new GateRecord("prod/before/0", GateState.APPROVED, "by ops@jump", t),
        state.gate("prod/before/0").get());
    assertEquals(GateState.FAILED, state.gate("qa/batch-1/0").get().state());
    assertEquals(Optional.empty(), state.gate("prod/batch-1/0"));
    assertEquals(LeaseState.RELEASED, state.leases().get("h1").state());
    assertEquals("done", state.leases().get("h1").message());
    assertEquals(
        new LeaseRecord("h2", LeaseState.PAUSED, "paused at s1", t), state.leases().get("h2"));
    assertEquals(2, state.hostRecords().size());
  }

  @Test
  void overridesReplaceTheSpecDurably() {
    // given a run, and an operator's override of its known_hosts file
    StateStore store = newStore();
    RunSpec changed =
        TestRunSpecs.of(
            "/pb.yml",
            "/inv.yml",
            Map.of("a", "1"),
            List.of("db_password"),
            Optional.of("web*"),
            5,
            Optional.of("/etc/ssh/known"),
            false);
    Instant t = Instant.parse("2026-11-21T09:00:00Z");
    String id =
        run(
            store,
            j -> {
              RunInfo before = j.info();
              // when no override is given, nothing changes
              j.override(changed, List.of());
              assertEquals(before, j.info());
              // when one is
              j.override(
                  changed,
                  List.of(
                      new SpecOverride("--known-hosts", "(default)", "/etc/ssh/known", "o@h", t)));
              assertEquals(changed, j.info().spec());
            });
    // then the stored run has the new spec from then on
    assertEquals(changed, reopen(store).load(id).info().spec());
  }

  @Test
  void statusChangesAreDurableWithTheirReason() {
    // given a run that pauses
    StateStore store = newStore();
    String id = run(store, j -> j.status(RunStatus.PAUSED, "1 host paused"));
    RunInfo paused = reopen(store).load(id).info();
    assertEquals(RunStatus.PAUSED, paused.status());
    assertEquals("1 host paused", paused.reason());
    assertTrue(!paused.updatedAt().isBefore(paused.createdAt()));
    // when it is continued and succeeds
    try (RunJournal j = store.open(id)) {
      j.status(RunStatus.RUNNING, "");
      j.status(RunStatus.SUCCEEDED, "");
      assertEquals(RunStatus.SUCCEEDED, j.info().status());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    // then the store says so, and the list too
    RunInfo done = reopen(store).load(id).info();
    assertEquals(RunStatus.SUCCEEDED, done.status());
    assertEquals("", done.reason());
    assertEquals(RunStatus.SUCCEEDED, store.list().get(0).status());
  }

  @Test
  void runsAreListedNewestFirst() {
    // given three runs created one second apart, and an empty store
    StateStore store = newStore(steppingClock());
    assertEquals(List.of(), store.list());
    String first = run(store, j -> {});
    String second = run(store, j -> {});
    String third = run(store, j -> {});
    // when they are listed, then the newest comes first
    assertEquals(
        List.of(third, second, first), reopen(store).list().stream().map(RunInfo::id).toList());
  }

  @Test
  void anUnknownRunIsAnInputErrorNamingTheRunsThereAre() {
    // given a store with one run
    StateStore store = newStore();
    InputException none = assertThrows(InputException.class, () -> store.load("nope"));
    assertTrue(none.getMessage().contains("there is no run 'nope'"), none.getMessage());
    assertTrue(!none.hint().isBlank(), "what to do next");
    String id = run(store, j -> {});
    // when another run is loaded or opened, then the error names the one there is
    for (var attempt :
        List.<org.junit.jupiter.api.function.Executable>of(
            () -> store.load("nope"), () -> store.open("nope"))) {
      InputException e = assertThrows(InputException.class, attempt);
      assertTrue(e.getMessage().contains("there is no run 'nope'"), e.getMessage());
      assertTrue(e.getMessage().contains(store.location()), "says where it looked");
      assertTrue(e.hint().contains(id), e.hint());
    }
  }

  /** Strings that are not run ids: empty, too long, paths, dots, spaces, controls, non-ASCII. */
  @Provide
  Arbitrary<String> notRunIds() {
    return Arbitraries.oneOf(
            Arbitraries.strings().ofMinLength(0).ofMaxLength(140),
            Arbitraries.of("", ".", "..", "../x", "/etc", "a/b", ".hidden", "-x", "a b", "a\nb"),
            Arbitraries.strings().withChars('a', '.', '/', '\\', '%', '\0').ofMaxLength(12),
            Arbitraries.strings().alpha().ofLength(129))
        .filter(s -> !StateStore.RUN_ID.matcher(s).matches());
  }

  @Property(tries = 200)
  void anythingThatIsNotARunIdIsRefusedBeforeAnyWrite(@ForAll("notRunIds") String id) {
    // given an empty store
    StateStore store = newStore();
    // when an invalid run id is used in any way
    List<org.junit.jupiter.api.function.Executable> uses =
        List.of(
            () -> store.create(id, "p", spec()),
            () -> store.open(id),
            () -> store.load(id),
            () -> store.events(id),
            () -> store.log(id, "logs/h/s.1.log"),
            () -> store.readLog(id, "logs/h/s.1.log", 0),
            () -> store.logLocation(id, "logs/h/s.1.log"),
            () -> store.localDir(id));
    // then each is an input error naming the form of a run id, and nothing was stored
    for (var use : uses) {
      InputException e = assertThrows(InputException.class, use);
      assertTrue(e.getMessage().contains("is not a run id"), e.getMessage());
    }
    assertEquals(List.of(), store.list());
  }

  @Test
  void eventsAreReadBackInTheOrderTheyWereAppendedAcrossInvocations() {
    // given a run that recorded events, then was continued and recorded more
    StateStore store = newStore();
    String id =
        run(
            store,
            j -> {
              j.appendEvent("{\"event\":\"run_started\",\"n\":1}");
              j.appendEvent("{\"event\":\"step_started\",\"text\":\"ünïcode ✓\"}");
            });
    assertEquals(2, store.events(id).size(), "readable once appended");
    try (RunJournal j = store.open(id)) {
      j.appendEvent("{\"event\":\"run_started\",\"n\":2}");
      // a line break would split an event in two: refused
      assertThrows(IllegalArgumentException.class, () -> j.appendEvent("{}\n{}"));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    // when the events are read, then they are the lines appended, in order
    assertEquals(
        List.of(
            "{\"event\":\"run_started\",\"n\":1}",
            "{\"event\":\"step_started\",\"text\":\"ünïcode ✓\"}",
            "{\"event\":\"run_started\",\"n\":2}"),
        reopen(store).events(id));
    // and a follower reads those after the ones it has seen
    assertEquals(List.of("{\"event\":\"run_started\",\"n\":2}"), reopen(store).events(id, 2));
    assertEquals(3, store.events(id, 0).size());
    assertEquals(List.of(), store.events(id, 3));
    assertEquals(List.of(), store.events(id, 99));
    // and a run without events has none
    assertEquals(List.of(), store.events(run(store, j -> {})));
  }

  @Test
  void aStepLogIsReadBackByItsNameWhileItGrows() throws IOException {
    // given a run with a step log being written
    StateStore store = newStore();
    String id = run(store, j -> {});
    String name = StateStore.logName("web-1", "upgrade", 2);
    assertEquals(Optional.empty(), store.log(id, name), "no log yet");
    try (RunJournal j = store.open(id);
        OutputStream out = j.openLog(name)) {
      out.write("$ occ upgrade\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      // when it is read while the step runs, then what was written is there
      assertEquals(14, store.log(id, name).orElseThrow().size());
      out.write("[t] out: done ✓\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      StoredLog log = reopen(store).log(id, name).orElseThrow();
      assertEquals(name, log.name());
      byte[] all = "$ occ upgrade\n[t] out: done ✓\n".getBytes(StandardCharsets.UTF_8);
      assertEquals(all.length, log.size());
      // and from an offset on, only what followed
      try (InputStream in = store.readLog(id, name, 14)) {
        assertEquals("[t] out: done ✓\n", new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
      try (InputStream in = store.readLog(id, name, 0)) {
        assertArrayEquals(all, in.readAllBytes());
      }
      assertEquals(Optional.of(name), StateStore.logNameIn(j.logLocation(name)));
    }
    // and opening it again (a rerun of the same attempt) replaces it
    try (RunJournal j = store.open(id);
        OutputStream out = j.openLog(name)) {
      out.write("x".getBytes(StandardCharsets.UTF_8));
    }
    try (InputStream in = store.readLog(id, name, 0)) {
      assertEquals("x", new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    assertThrows(IOException.class, () -> store.readLog(id, StateStore.logName("h", "s", 9), 0));
  }

  @Property(tries = 50)
  void anyHostAndStepHaveALogOfTheirOwnInsideTheRun(
      @ForAll @StringLength(min = 1, max = 300) String host,
      @ForAll @StringLength(min = 1, max = 300) String step,
      @ForAll @IntRange(min = 1, max = 1000) int attempt)
      throws IOException {
    // given any host name and step id, however hostile
    StateStore store = newStore();
    String id = run(store, j -> {});
    String name = StateStore.logName(host, step, attempt);
    // then its log's name has the form of one, and what is written under it is read back by it
    assertTrue(StateStore.LOG_NAME.matcher(name).matches(), name);
    try (RunJournal j = store.open(id);
        OutputStream out = j.openLog(name)) {
      out.write(host.getBytes(StandardCharsets.UTF_8));
      assertEquals(Optional.of(name), StateStore.logNameIn(j.logLocation(name)));
    }
    try (InputStream in = store.readLog(id, name, 0)) {
      assertEquals(host, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Provide
  Arbitrary<String> notLogNames() {
    return Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(60),
            Arbitraries.of(
                "",
                "logs/../../run.json",
                "logs/h/../../x.1.log",
                "/etc/passwd",
                "logs/h/s.log",
                "logs/./s.1.log",
                "logs/h/.s.1.log",
                "run.json",
                "logs/h/s.1.log/x"),
            Arbitraries.strings().withChars('l', 'o', 'g', 's', '/', '.', '1').ofMaxLength(20))
        .filter(s -> !StateStore.LOG_NAME.matcher(s).matches());
  }

  @Property(tries = 50)
  void anythingThatIsNotALogNameIsRefused(@ForAll("notLogNames") String name) {
    // given a run
    StateStore store = newStore();
    String id = run(store, j -> {});
    // when a name that is not a log's is used, then it is an input error, nothing is read
    for (var use :
        List.<org.junit.jupiter.api.function.Executable>of(
            () -> store.log(id, name),
            () -> store.readLog(id, name, 0),
            () -> store.logLocation(id, name),
            () -> {
              try (RunJournal j = store.open(id)) {
                j.openLog(name).close();
              }
            })) {
      InputException e = assertThrows(InputException.class, use);
      assertTrue(e.getMessage().contains("is not the name of a step log"), e.getMessage());
    }
  }

  @Test
  void manyThreadsAppendingAtOnceLoseNothing() throws Exception {
    // given 16 hosts' pipelines recording checkpoints and events at the same time
    StateStore store = newStore();
    int hosts = 16;
    int steps = 50;
    String id =
        run(
            store,
            j -> {
              ExecutorService pool = Executors.newFixedThreadPool(hosts);
              CountDownLatch start = new CountDownLatch(1);
              List<Future<?>> done = new ArrayList<>();
              for (int h = 0; h < hosts; h++) {
                String host = "h" + h;
                done.add(
                    pool.submit(
                        () -> {
                          start.await();
                          for (int s = 0; s < steps; s++) {
                            j.record(checkpoint(host, "s" + s, StepStatus.RUNNING, 1));
                            j.appendEvent("{\"host\":\"" + host + "\",\"step\":" + s + "}");
                            j.record(checkpoint(host, "s" + s, StepStatus.SUCCEEDED, 1));
                          }
                          j.record(new HostRecord(host, HostState.DONE, "", Instant.now()));
                          return null;
                        }));
              }
              start.countDown();
              try {
                for (Future<?> f : done) {
                  f.get();
                }
              } catch (Exception e) {
                throw new AssertionError(e);
              } finally {
                pool.shutdown();
              }
            });
    // when the run is read back, then every record and event is there, whole
    RunState state = reopen(store).load(id);
    assertEquals(0, state.tornLines());
    for (int h = 0; h < hosts; h++) {
      List<Checkpoint> cps = state.checkpoints("h" + h);
      assertEquals(steps, cps.size(), "host h" + h);
      assertTrue(cps.stream().allMatch(c -> c.status() == StepStatus.SUCCEEDED), "h" + h);
      assertEquals(HostState.DONE, state.hostRecords().get("h" + h).state());
    }
    List<String> events = store.events(id);
    assertEquals(hosts * steps, events.size());
    for (int h = 0; h < hosts; h++) {
      String host = "{\"host\":\"h" + h + "\",";
      List<String> mine = events.stream().filter(e -> e.startsWith(host)).toList();
      for (int s = 0; s < steps; s++) {
        assertEquals(host + "\"step\":" + s + "}", mine.get(s), "each host's events in order");
      }
    }
  }

  @Test
  void reopeningARunContinuesItsJournal() {
    // given a run that stopped half-way
    StateStore store = newStore();
    String id =
        run(
            store,
            j -> {
              j.record(checkpoint("h1", "s1", StepStatus.SUCCEEDED, 1));
              j.record(checkpoint("h1", "s2", StepStatus.RUNNING, 1));
              j.status(RunStatus.PAUSED, "stopped");
            });
    // when another store instance opens it and records the rest
    StateStore other = reopen(store);
    try (RunJournal j = other.open(id)) {
      assertEquals(RunStatus.PAUSED, j.info().status());
      assertEquals(id, j.runId());
      j.status(RunStatus.RUNNING, "");
      j.record(checkpoint("h1", "s2", StepStatus.SUCCEEDED, 2));
      j.record(checkpoint("h1", "s3", StepStatus.SUCCEEDED, 1));
      j.status(RunStatus.SUCCEEDED, "");
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    // then the run holds both invocations' records
    RunState state = store.load(id);
    assertEquals(RunStatus.SUCCEEDED, state.info().status());
    assertEquals(
        List.of("s1", "s2", "s3"),
        state.checkpoints("h1").stream().map(Checkpoint::stepId).toList());
    assertEquals(2, state.checkpoint("h1", "s2").get().attempt());
    assertEquals(spec(), state.info().spec());
  }

  @Test
  void aStoreThatCanHoldRunsSaysSo() {
    StateStore store = newStore();
    store.checkUsable(); // nothing thrown
    assertTrue(!store.location().isBlank(), "a store says where it is");
  }
}
