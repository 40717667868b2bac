package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.Redactor;
import dev.orchestrator.common.SourceLocation;
import dev.orchestrator.inventory.ConnectionSpec;
import dev.orchestrator.inventory.ConnectionType;
import dev.orchestrator.inventory.Host;
import dev.orchestrator.plan.PlannedGate;
import dev.orchestrator.plan.PlannedHost;
import dev.orchestrator.playbook.Gate;
import dev.orchestrator.report.Event;
import dev.orchestrator.rollout.ApprovalPolicy;
import dev.orchestrator.rollout.GateResult;
import dev.orchestrator.state.GateRecord;
import dev.orchestrator.state.GateState;
import dev.orchestrator.state.RunJournal;
import dev.orchestrator.state.RunStore;
import dev.orchestrator.template.TemplateEngine;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gates on a fake clock and a sleeper that only moves it: a soak's start is a typed field of its
 * record, a resumed soak waits the rest, a health gate gives up at its deadline. Nothing sleeps.
 */
class GateRunnerTest {
  private static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");
  private static final SourceLocation AT = new SourceLocation(Path.of("pb.yml"), 7, 5);

  @TempDir Path dir;

  private final FakeClock clock = new FakeClock(T0);
  private final List<Duration> slept = new ArrayList<>();
  private final Sleeper sleeper =
      d -> {
        slept.add(d);
        clock.advance(d);
      };
  private final List<Event> events = new ArrayList<>();
  private RunStore store;
  private RunJournal journal;

  @BeforeEach
  void openJournal() {
    store = new RunStore(dir);
    journal =
        store.create(
            "20260102-030405-gates-0001",
            "gates",
            dev.orchestrator.state.TestRunSpecs.of(
                "p", "i", Map.of(), List.of(), Optional.empty(), 1, Optional.empty(), false));
  }

  @AfterEach
  void closeJournal() throws Exception {
    journal.close();
  }

  private GateRunner gates(ScriptedConnection connection) {
    return new GateRunner(
        journal,
        events::add,
        new TemplateEngine(),
        (host, endpoint) -> connection,
        Map.of(),
        ApprovalPolicy.WAIT_FOR_PERSON,
        Set.of(),
        new Redactor(),
        clock,
        sleeper);
  }

  private GateRecord recorded(String key) {
    return store.load(journal.runId()).gate(key).orElseThrow();
  }

  @Test
  void aNewSoakRecordsItsStartAsAFieldAndWaitsItsWholeDuration() {
    // given a wait gate never evaluated
    PlannedGate gate =
        new PlannedGate(
            new Gate.Wait("10m", AT), "prod/before/0", GateState.PENDING, "", Optional.empty());
    // when
    GateResult result = gates(new ScriptedConnection()).pass(gate, List.of());
    // then it waited ten minutes of the fake clock, and its waiting record held the start
    assertInstanceOf(GateResult.Passed.class, result);
    assertEquals(List.of(Duration.ofMinutes(10)), slept);
    assertEquals(GateState.PASSED, recorded("prod/before/0").state());
    Event.GateEvaluated waiting = (Event.GateEvaluated) events.get(0);
    assertEquals(GateState.WAITING, waiting.state());
    assertEquals("since " + T0, waiting.message());
  }

  @Test
  void aSoakStartedBeforeAPauseWaitsOnlyTheRestAndKeepsItsStart() {
    // given a wait gate whose soak started 4 minutes before now
    Instant started = T0.minus(Duration.ofMinutes(4));
    PlannedGate gate =
        new PlannedGate(
            new Gate.Wait("10m", AT),
            "prod/batch-1/0",
            GateState.WAITING,
            "since " + started,
            Optional.of(started));
    // when
    GateResult result = gates(new ScriptedConnection()).pass(gate, List.of());
    // then
    assertInstanceOf(GateResult.Passed.class, result);
    assertEquals(List.of(Duration.ofMinutes(6)), slept);
    Event.GateEvaluated waiting = (Event.GateEvaluated) events.get(0);
    assertEquals("since " + started, waiting.message());
  }

  @Test
  void theWaitingRecordOfASoakCarriesItsStart() {
    // given a soak interrupted while it waits (the controller stops)
    PlannedGate gate =
        new PlannedGate(
            new Gate.Wait("1h", AT), "prod/before/0", GateState.PENDING, "", Optional.empty());
    GateRunner runner =
        new GateRunner(
            journal,
            events::add,
            new TemplateEngine(),
            (host, endpoint) -> new ScriptedConnection(),
            Map.of(),
            ApprovalPolicy.WAIT_FOR_PERSON,
            Set.of(),
            new Redactor(),
            clock,
            d -> {
              throw new InterruptedException();
            });
    // when
    GateResult result = runner.pass(gate, List.of());
    Thread.interrupted(); // clear the flag the runner restored
    // then the journal says when the soak started, as a field
    assertInstanceOf(GateResult.Failed.class, result);
    GateRecord record = recorded("prod/before/0");
    assertEquals(GateState.WAITING, record.state());
    assertEquals(Optional.of(T0), record.waitingSince());
  }

  @Test
  void aHealthGateRetriesEveryIntervalUntilItsDeadlineOnTheClock() {
    // given a health check that keeps failing, timeout 60s, interval 20s
    ScriptedConnection host =
        new ScriptedConnection().on("check", "curl", ScriptedConnection.fail(7, "refused"));
    PlannedGate gate =
        new PlannedGate(
            new Gate.Health(
                Optional.empty(),
                Optional.of("curl -fs localhost"),
                200,
                Map.of(),
                Duration.ofSeconds(60),
                Duration.ofSeconds(20),
                AT),
            "prod/batch-1/0",
            GateState.PENDING,
            "",
            Optional.empty());
    // when
    GateResult result = gates(host).pass(gate, List.of(planned("web1")));
    // then it checked at 0s, 20s, 40s and 60s (80s would be past the deadline) and failed
    assertInstanceOf(GateResult.Failed.class, result);
    assertEquals(4, host.sent.size());
    assertEquals(Collections.nCopies(3, Duration.ofSeconds(20)), slept);
    assertEquals(GateState.FAILED, recorded("prod/batch-1/0").state());
    assertTrue(recorded("prod/batch-1/0").message().contains("exited 7"));
  }

  @Test
  void aHealthGatePassesOnceTheCheckSucceeds() {
    // given a check that fails once, then succeeds
    ScriptedConnection host =
        new ScriptedConnection()
            .on(
                "check",
                "curl",
                ScriptedConnection.fail(7, "refused"),
                ScriptedConnection.exit(0, "ok"));
    PlannedGate gate =
        new PlannedGate(
            new Gate.Health(
                Optional.empty(),
                Optional.of("curl -fs localhost"),
                200,
                Map.of(),
                Duration.ofMinutes(5),
                Duration.ofSeconds(10),
                AT),
            "prod/batch-1/0",
            GateState.PENDING,
            "",
            Optional.empty());
    // when
    GateResult result = gates(host).pass(gate, List.of(planned("web1")));
    // then
    assertInstanceOf(GateResult.Passed.class, result);
    assertEquals(List.of(Duration.ofSeconds(10)), slept);
    assertEquals(GateState.PASSED, recorded("prod/batch-1/0").state());
  }

  private static PlannedHost planned(String name) {
    return new PlannedHost(
        new Host(
            name,
            List.of(),
            Map.of(),
            new ConnectionSpec(ConnectionType.SSH, name, 22, "deploy", Optional.empty())),
        Map.of(),
        List.of(),
        List.of(),
        Set.of());
  }

  /** A clock that moves only when told. */
  private static final class FakeClock extends Clock {
    private Instant now;

    FakeClock(Instant start) {
      this.now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
