package dev.orchestrator.execute;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.inventory.InventoryLoader;
import dev.orchestrator.plan.Plan;
import dev.orchestrator.plan.PlanInputs;
import dev.orchestrator.plan.Planner;
import dev.orchestrator.playbook.PlaybookLoader;
import dev.orchestrator.report.Event;
import dev.orchestrator.report.HostFinishState;
import dev.orchestrator.state.LeaseRecord;
import dev.orchestrator.state.LeaseState;
import dev.orchestrator.state.RunJournal;
import dev.orchestrator.state.RunState;
import dev.orchestrator.state.RunStatus;
import dev.orchestrator.state.RunStore;
import dev.orchestrator.state.TestRunSpecs;
import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.transport.Connection;
import dev.orchestrator.transport.Connector;
import dev.orchestrator.transport.ExecResult;
import dev.orchestrator.transport.OutputListener;
import dev.orchestrator.transport.TransportException;
import dev.orchestrator.transport.local.LocalConnector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a run's leases end when the run does not end normally (local connection, real processes): a
 * lease lost or not renewable while a step runs, an internal error, a stop from outside. The lease
 * TTL is 300 ms (renewed every 100 ms) so that nothing waits for real minutes; every wait is a
 * bounded poll on a file or the journal.
 */
class RunEndingTest {
  /** The home folder of the local hosts (their leases live there), one per test. */
  private static java.nio.file.Path localHome;

  @TempDir Path dir;
  @TempDir Path home;
  private Path work;
  private final List<Event> events = new CopyOnWriteArrayList<>();
  private RunStore store;

  @BeforeEach
  void setUp() throws Exception {
    localHome = home;
    work = Files.createDirectories(dir.resolve("work"));
    store = new RunStore(dir.resolve("state"));
    Files.writeString(
        dir.resolve("pb.yml"),
        "steps:\n"
            + "  - id: block\n"
            + "    shell: touch "
            + work
            + "/started-{{ inventory_hostname }}; i=0; while [ ! -e "
            + work
            + "/go ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done\n"
            + "  - id: after\n"
            + "    shell: touch "
            + work
            + "/after-{{ inventory_hostname }}\n");
  }

  @AfterEach
  void tearDown() throws Exception {
    Files.writeString(work.resolve("go"), ""); // lets any step still waiting end
  }

  private Path lease(String host) {
    return home.resolve(".orchestrator/leases").resolve(host + ".lock");
  }

  private Optional<LeaseRecord> leaseRecord(String runId, String host) {
    return Optional.ofNullable(store.load(runId).leases().get(host));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      return "";
    }
  }

  /** A connector to local hosts whose commands may fail as the test says. */
  private static Connector local(BiFunction<String, String, RuntimeException> fault) {
    LocalConnector local = new LocalConnector(localHome);
    return (host, spec) -> {
      Connection c = local.open(host, spec);
      return new Connection() {
        @Override
        public ExecResult exec(String command, Optional<Duration> timeout, OutputListener l)
            throws TransportException {
          RuntimeException e = fault.apply(host, command);
          if (e instanceof WrappedTransport t) {
            throw t.failure;
          }
          if (e != null) {
            throw e;
          }
          return c.exec(command, timeout, l);
        }

        @Override
        public void put(Path from, String to, java.util.function.LongConsumer progress)
            throws TransportException {
          c.put(from, to, progress);
        }

        @Override
        public void close() {
          c.close();
        }
      };
    };
  }

  private static final class WrappedTransport extends RuntimeException {
    final TransportException failure;

    WrappedTransport(String message) {
      this.failure = new TransportException(TransportException.Kind.LOST, message, null);
    }
  }

  private record Started(RunExecutor executor, String runId, CompletableFuture<RunResult> result) {}

  private Started start(String hosts, Connector connector) throws Exception {
    StringBuilder inv = new StringBuilder("all:\n  hosts:\n");
    for (String h : hosts.split(",")) {
      inv.append("    ").append(h).append(":\n      connection: local\n");
    }
    Files.writeString(dir.resolve("inv.yml"), inv.toString());
    TemplateEngine templates = new TemplateEngine();
    String id = RunStore.newRunId("t");
    Plan plan =
        new Planner(templates)
            .plan(
                PlanInputs.of(
                        new PlaybookLoader().load(dir.resolve("pb.yml")),
                        InventoryLoader.load(dir.resolve("inv.yml")))
                    .runId(id)
                    .build());
    RunJournal journal =
        store.create(
            id,
            "t",
            TestRunSpecs.of(
                "p", "i", Map.of(), List.of(), Optional.empty(), 4, Optional.empty(), false));
    RunExecutor executor =
        new RunExecutor(
            connector,
            events::add,
            templates,
            TestEngineSettings.withLeases(
                TestEngineSettings.defaults(4, RunExecutor.NextCommands.same("resume " + id)),
                Duration.ofMillis(300),
                EngineSettings.StaleLeases.REFUSE,
                HostLeaseTest.COMMANDS));
    CompletableFuture<RunResult> result =
        CompletableFuture.supplyAsync(
            () -> {
              try (journal) {
                return executor.execute(plan, journal, false);
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    return new Started(executor, id, result);
  }

  @Test
  void aRunThatLosesItsLeaseStopsSendingStepsToTheHostAndSaysSo() throws Exception {
    // given a run working on nc1
    Started run = start("nc1", local((h, c) -> null));
    await("the step to start")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> Files.exists(work.resolve("started-nc1")));
    // when an operator unlocks nc1 and another run takes it while the step runs
    long now = System.currentTimeMillis() / 1000;
    String other =
        "run=20260101-000000-other-0000 host=nc1 controller=elsewhere pid=7 start=proc:1 acquired="
            + now
            + " heartbeat="
            + now
            + " ttl=600 state=active\n";
    // (written whole, by a rename, as the other run's take would; a renewal of this run that read
    // its own line just before may still replace it: the other run then finds its lease gone at its
    // next renewal, and here the other run writes it again until this run has seen the loss)
    await("the journal to record the lost lease")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              if (!other.equals(read(lease("nc1")))) {
                Path tmp = lease("nc1").resolveSibling("other.tmp");
                Files.writeString(tmp, other);
                Files.move(tmp, lease("nc1"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
              }
              return leaseRecord(run.runId(), "nc1")
                  .map(r -> r.state() == LeaseState.LOST)
                  .orElse(false);
            });
    Files.writeString(work.resolve("go"), "");
    RunResult result = run.result().get(30, TimeUnit.SECONDS);
    // then no more steps go to nc1, the host is paused with what happened and what to do
    assertFalse(Files.exists(work.resolve("after-nc1")), "no step was sent after the loss");
    assertEquals(RunStatus.PAUSED, result.status());
    assertEquals(List.of("nc1: paused at step after"), result.pausedHosts());
    assertEquals(other, read(lease("nc1")), "the other run's lease is left alone");
    String recorded = leaseRecord(run.runId(), "nc1").orElseThrow().message();
    assertTrue(recorded.contains("this run lost its lease on nc1"), recorded);
    assertTrue(recorded.contains("names run 20260101-000000-other-0000"), recorded);
    assertTrue(recorded.contains("then: resume " + run.runId()), recorded);
    assertTrue(
        events.stream()
            .anyMatch(
                e ->
                    e instanceof Event.StepWarning w
                        && w.step().equals("lease")
                        && w.message().equals(recorded)),
        "the console is told when it happens");
    assertTrue(
        events.stream()
            .anyMatch(
                e ->
                    e instanceof Event.HostFinished f
                        && f.state() == HostFinishState.PAUSED
                        && f.message().startsWith("stopped before step after: this run lost")),
        events.toString());
  }

  @Test
  void aRunThatCannotRenewItsLeaseStopsSendingStepsAndMarksItPaused() throws Exception {
    // given a run whose renewals fail (the host answers, but not to the renewal)
    java.util.concurrent.atomic.AtomicBoolean broken =
        new java.util.concurrent.atomic.AtomicBoolean();
    Started run =
        start(
            "nc1",
            local(
                (h, c) ->
                    broken.get() && c.contains("state=active") && c.contains("case $l in")
                        ? new WrappedTransport("renewal refused by the test")
                        : null));
    await("the step to start")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> Files.exists(work.resolve("started-nc1")));
    // when renewing fails
    broken.set(true);
    await("the journal to record the unrenewable lease")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () ->
                leaseRecord(run.runId(), "nc1")
                    .map(r -> r.message().startsWith("cannot renew the lease on nc1"))
                    .orElse(false));
    Files.writeString(work.resolve("go"), "");
    RunResult result = run.result().get(30, TimeUnit.SECONDS);
    // then
    assertFalse(Files.exists(work.resolve("after-nc1")));
    assertEquals(RunStatus.PAUSED, result.status());
    LeaseRecord r = leaseRecord(run.runId(), "nc1").orElseThrow();
    assertEquals(LeaseState.PAUSED, r.state());
    assertTrue(r.message().contains("renewal refused by the test"), r.message());
    assertTrue(read(lease("nc1")).contains(" state=paused"), read(lease("nc1")));
  }

  @Test
  void anInternalErrorLeavesTheRunPausedAndEveryLeaseMarkedPaused() throws Exception {
    // given two hosts: a bug strikes on "bad" while nc1's step runs
    Started run =
        start(
            "bad,nc1",
            local(
                (h, c) -> {
                  if (!h.equals("bad") || !c.contains("/started-")) {
                    return null;
                  }
                  await("nc1's step to start")
                      .atMost(Duration.ofSeconds(30))
                      .pollInterval(Duration.ofMillis(20))
                      .until(() -> Files.exists(work.resolve("started-nc1")));
                  return new IllegalStateException("injected bug");
                }));
    await("nc1's step to start")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> Files.exists(work.resolve("started-nc1")));
    // when the error reaches the executor
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> run.result().get(30, TimeUnit.SECONDS));
    // then it is still reported as an error, and the run is paused, not "running" forever
    assertTrue(e.getCause() instanceof IllegalStateException, String.valueOf(e.getCause()));
    RunState state = store.load(run.runId());
    assertEquals(RunStatus.PAUSED, state.info().status());
    assertTrue(state.info().reason().startsWith("internal error: "), state.info().reason());
    assertTrue(state.info().reason().contains("injected bug"), state.info().reason());
    for (String host : List.of("bad", "nc1")) {
      assertTrue(read(lease(host)).contains(" state=paused"), host + ": " + read(lease(host)));
      assertEquals(LeaseState.PAUSED, state.leases().get(host).state(), host);
    }
    assertFalse(Files.exists(work.resolve("after-nc1")));
  }

  @Test
  void interruptingARunPausesItAndItsLeasesAndSendsNoMoreSteps() throws Exception {
    // given a run working on nc1
    Started run = start("nc1", local((h, c) -> null));
    await("the step to start")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> Files.exists(work.resolve("started-nc1")));
    // when the process is told to stop (the CLI's shutdown hook calls this)
    assertEquals(RunExecutor.Interrupted.STOPPED, run.executor().interrupt("stopped by the test"));
    // then, before the step even ends
    RunState state = store.load(run.runId());
    assertEquals(RunStatus.PAUSED, state.info().status());
    assertEquals("stopped by the test", state.info().reason());
    assertTrue(read(lease("nc1")).contains(" state=paused"), read(lease("nc1")));
    assertEquals(LeaseState.PAUSED, state.leases().get("nc1").state());
    assertTrue(
        events.stream()
            .anyMatch(
                e ->
                    e instanceof Event.RunFinished f
                        && f.reason().equals("stopped by the test")
                        && f.nextCommand().equals("resume " + run.runId())));
    Files.writeString(work.resolve("go"), "");
    assertEquals(RunStatus.PAUSED, run.result().get(30, TimeUnit.SECONDS).status());
    assertFalse(Files.exists(work.resolve("after-nc1")), "no step starts after the stop");
    assertEquals(RunStatus.PAUSED, store.load(run.runId()).info().status());
    assertEquals(RunExecutor.Interrupted.ENDED, run.executor().interrupt("again"));
  }
}
