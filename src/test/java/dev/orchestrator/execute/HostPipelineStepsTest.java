package dev.orchestrator.execute;

import static dev.orchestrator.execute.ScriptedConnection.broken;
import static dev.orchestrator.execute.ScriptedConnection.exit;
import static dev.orchestrator.execute.ScriptedConnection.fail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestrator.artifact.ArtifactKey;
import dev.orchestrator.artifact.FetchedArtifact;
import dev.orchestrator.common.Redactor;
import dev.orchestrator.inventory.Inventory;
import dev.orchestrator.inventory.InventoryLoader;
import dev.orchestrator.plan.Plan;
import dev.orchestrator.plan.PlanInputs;
import dev.orchestrator.plan.PlannedHost;
import dev.orchestrator.plan.Planner;
import dev.orchestrator.playbook.Playbook;
import dev.orchestrator.playbook.PlaybookLoader;
import dev.orchestrator.report.Event;
import dev.orchestrator.state.RunJournal;
import dev.orchestrator.state.RunStore;
import dev.orchestrator.state.TestRunSpecs;
import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.transport.ExecResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every transition of a step attempt, on one host, over a {@link ScriptedConnection}: no process,
 * no network, no sleep (the retry delay goes to a recording {@link Sleeper}). Each test asserts the
 * checkpoints and host records written, in order (the journal's lines), the events emitted, and
 * what was sent to the host.
 */
class HostPipelineStepsTest {
  @TempDir Path dir;
  private RunStore store;
  private RunJournal journal;
  private final TemplateEngine templates = new TemplateEngine();
  private final List<Event> events = new CopyOnWriteArrayList<>();
  private final List<Duration> slept = new ArrayList<>();
  private final Redactor redactor = new Redactor();
  private Map<ArtifactKey, FetchedArtifact> artifacts = Map.of();
  private Optional<HostPipeline.Leases> leases = Optional.empty();
  private AtomicBoolean stop = new AtomicBoolean(false);
  private Map<String, Object> extraVars = Map.of();

  @BeforeEach
  void open() throws Exception {
    store = new RunStore(dir.resolve("state"));
    journal =
        store.create(
            "r1",
            "t",
            TestRunSpecs.of(
                "p", "i", Map.of(), List.of(), Optional.empty(), 1, Optional.empty(), false));
    Files.writeString(dir.resolve("inv.yml"), "all:\n  hosts:\n    h1: {connection: local}\n");
  }

  @AfterEach
  void close() throws Exception {
    journal.close();
  }

  // ------------------------------------------------------------------------------- harness

  private PlannedHost plan(String steps, boolean resume) throws Exception {
    Files.writeString(dir.resolve("pb.yml"), "hosts: all\n" + steps);
    Playbook pb = new PlaybookLoader().load(dir.resolve("pb.yml"));
    Inventory inv = InventoryLoader.load(dir.resolve("inv.yml"));
    Plan plan =
        new Planner(templates)
            .plan(
                PlanInputs.of(pb, inv)
                    .vars(extraVars)
                    .state(resume ? Optional.of(store.load("r1")) : Optional.empty())
                    .build());
    return plan.hosts().findFirst().orElseThrow();
  }

  private HostOutcome run(String steps, ScriptedConnection host) throws Exception {
    return pipeline(plan(steps, false), host, false).run();
  }

  private HostOutcome resume(String steps, ScriptedConnection host) throws Exception {
    return pipeline(plan(steps, true), host, false).run();
  }

  private HostPipeline pipeline(
      PlannedHost planned, ScriptedConnection host, boolean stopOthersOnFailure) {
    return new HostPipeline(
        planned,
        new PipelineServices(
            (name, spec) -> host,
            journal,
            events::add,
            templates,
            redactor,
            java.util.Set.of(),
            artifacts,
            (id, vars) -> new ArtifactKey(id, "https://example.org/" + id, "abc"),
            leases,
            slept::add),
        false,
        stop,
        stopOthersOnFailure);
  }

  /** The journal's lines so far: {@code STEP STATUS ATTEMPT [MESSAGE]} or {@code host STATE}. */
  private List<String> journal() {
    try {
      return journalLines();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private List<String> journalLines() throws java.io.IOException {
    List<String> out = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    for (String line :
        Files.readAllLines(store.root().resolve("runs/r1").resolve("journal.jsonl"))) {
      JsonNode entry = json.readTree(line);
      JsonNode c = entry.path("checkpoint");
      JsonNode h = entry.path("host");
      if (c.isObject()) {
        String message = c.path("message").asText("");
        out.add(
            c.path("stepId").asText()
                + " "
                + c.path("status").asText()
                + " "
                + c.path("attempt").asInt()
                + (message.isEmpty() ? "" : " " + message));
      } else if (h.isObject()) {
        out.add("host " + h.path("state").asText());
      }
    }
    return out;
  }

  /** The events so far, one short line each (progress left out). */
  private List<String> events() {
    List<String> out = new ArrayList<>();
    for (Event e : events) {
      if (e instanceof Event.StepStarted s) {
        out.add("started " + s.step() + " " + s.attempt());
      } else if (e instanceof Event.StepFinished f) {
        out.add(
            f.status().label()
                + " "
                + f.step()
                + (f.message().isEmpty() ? "" : ": " + f.message()));
      } else if (e instanceof Event.StepWarning w) {
        out.add("warning " + w.step() + ": " + w.message());
      } else if (e instanceof Event.HostFinished h) {
        out.add("host " + h.state().label() + (h.message().isEmpty() ? "" : ": " + h.message()));
      }
    }
    return out;
  }

  /** A reply that first checks the step's RUNNING checkpoint is in the journal (write-ahead). */
  private ScriptedConnection.Reply afterRunning(
      String step, int attempt, ScriptedConnection.Reply r) {
    return command -> {
      List<String> written = journal();
      assertEquals(
          step + " RUNNING " + attempt,
          written.get(written.size() - 1),
          "RUNNING is durable before the command is sent");
      return r.answer(command);
    };
  }

  // ------------------------------------------------------------------------------- the tests

  @Test
  void succeeded() throws Exception {
    // given
    ScriptedConnection host =
        new ScriptedConnection().on("a", "echo a", afterRunning("a", 1, exit(0, "a\n")));
    // when
    HostOutcome outcome = run("steps:\n  - {id: a, shell: echo a}\n", host);
    // then
    assertEquals(new HostOutcome.Done("h1"), outcome);
    assertEquals(List.of("a RUNNING 1", "a SUCCEEDED 1", "host done"), journal());
    assertEquals(List.of("started a 1", "succeeded a", "host done"), events());
    assertEquals(List.of("a"), host.sent);
  }

  @Test
  void skippedByWhen() throws Exception {
    ScriptedConnection host = new ScriptedConnection();
    HostOutcome outcome = run("steps:\n  - {id: a, shell: echo a, when: 1 == 2}\n", host);
    assertEquals(new HostOutcome.Done("h1"), outcome);
    assertEquals(List.of("a SKIPPED 0 when: 1 == 2 is false", "host done"), journal());
    assertEquals(List.of("skipped a: when: 1 == 2 is false", "host done"), events());
    assertEquals(List.of(), host.sent, "nothing is sent for a skipped step");
  }

  @Test
  void skippedByCreates() throws Exception {
    ScriptedConnection host = new ScriptedConnection().on("probe", "test -e ", exit(0, ""));
    HostOutcome outcome = run("steps:\n  - {id: a, shell: echo a, creates: /srv/x}\n", host);
    assertEquals(new HostOutcome.Done("h1"), outcome);
    assertEquals(List.of("a SKIPPED 0 creates: /srv/x exists", "host done"), journal());
    assertEquals(List.of("skipped a: creates: /srv/x exists", "host done"), events());
    assertEquals(List.of("probe"), host.sent);
  }

  @Test
  void failed() throws Exception {
    ScriptedConnection host =
        new ScriptedConnection().on("a", "echo a", afterRunning("a", 1, fail(3, "boom\n")));
    HostOutcome outcome =
        run("steps:\n  - {id: a, shell: echo a}\n  - {id: b, shell: echo b}\n", host);
    assertEquals(new HostOutcome.Paused("h1", "a", "exit code 3: boom"), outcome);
    assertEquals(List.of("a RUNNING 1", "a FAILED 1 exit code 3: boom"), journal());
    assertEquals(
        List.of("started a 1", "failed a: exit code 3: boom", "host paused: exit code 3: boom"),
        events());
    assertEquals(List.of("a"), host.sent, "the next step is not sent");
  }

  @Test
  void retryingThenSucceeded() throws Exception {
    ScriptedConnection host =
        new ScriptedConnection()
            .on(
                "a",
                "echo a",
                afterRunning("a", 1, fail(1, "not yet\n")),
                afterRunning("a", 2, exit(0, "ok\n")));
    HostOutcome outcome = run("steps:\n  - {id: a, shell: echo a, retries: 2, delay: 7}\n", host);
    assertEquals(new HostOutcome.Done("h1"), outcome);
    assertEquals(
        List.of(
            "a RUNNING 1",
            "a FAILED 1 exit code 1: not yet (will retry)",
            "a RUNNING 2",
            "a SUCCEEDED 2",
            "host done"),
        journal());
    assertEquals(
        List.of(
            "started a 1",
            "retrying a: retry 1 of 2 in 7s",
            "started a 2",
            "succeeded a",
            "host done"),
        events());
    assertEquals(List.of(Duration.ofSeconds(7)), slept, "the delay, without sleeping");
  }

  @Test
  void retryingThenFailed() throws Exception {
    ScriptedConnection host = new ScriptedConnection().on("a", "echo a", fail(1, "no\n"));
    HostOutcome outcome = run("steps:\n  - {id: a, shell: echo a, retries: 1, delay: 0}\n", host);
    assertEquals(new HostOutcome.Paused("h1", "a", "exit code 1: no"), outcome);
    assertEquals(
        List.of(
            "a RUNNING 1",
            "a FAILED 1 exit code 1: no (will retry)",
            "a RUNNING 2",
            "a FAILED 2 exit code 1: no"),
        journal());
    assertEquals(
        List.of(
            "started a 1",
            "retrying a: retry 1 of 1 in 0s",
            "started a 2",
            "failed a: exit code 1: no",
            "host paused: exit code 1: no"),
        events());
  }

  @Test
  void lostWhenTheConnectionBreaksMidStep() throws Exception {
    ScriptedConnection host = new ScriptedConnection().on("a", "echo a", broken("reset by peer"));
    HostOutcome outcome = run("steps:\n  - {id: a, shell: echo a}\n", host);
    String why =
        "connection lost during step a (attempt 1): reset by peer; resume asks you whether it finished";
    assertEquals(new HostOutcome.Unreachable("h1", why), outcome);
    assertEquals(List.of("a RUNNING 1", "host unreachable"), journal(), "the step stays RUNNING");
    assertEquals(List.of("started a 1", "lost a: " + why, "host unreachable: " + why), events());
  }

  @Test
  void inDoubtWhenANonIdempotentStepWasRunning() throws Exception {
    // given a step left RUNNING by a lost connection
    String steps = "steps:\n  - {id: a, shell: echo a}\n";
    run(steps, new ScriptedConnection().on("a", "echo a", broken("gone")));
    events.clear();
    // when the run resumes
    ScriptedConnection host = new ScriptedConnection();
    HostOutcome outcome = resume(steps, host);
    // then the host pauses without running it
    assertInstanceOf(HostOutcome.Paused.class, outcome);
    String why = ((HostOutcome.Paused) outcome).message();
    assertTrue(why.startsWith("step a (attempt 1) was running when the controller stopped"), why);
    assertTrue(why.contains("resume --assume-done a --host h1"), why);
    assertEquals(List.of("in doubt a: " + why, "host paused: " + why), events());
    assertEquals(List.of("a RUNNING 1", "host unreachable"), journal(), "nothing more recorded");
    assertEquals(List.of(), host.sent);
  }

  @Test
  void anIdempotentStepRunAgainAfterAnInterruptionCountsAsChanged() throws Exception {
    // given an idempotent step whose changed_when says "unchanged" for what it prints once done,
    // left RUNNING by a lost connection (the interrupted attempt may have made the change)
    String steps =
        "steps:\n"
            + "  - {id: a, shell: echo done, idempotent: true, register: r,"
            + " changed_when: \"'done' not in r.stdout\"}\n"
            + "  - {id: b, shell: echo after, when: r.changed}\n";
    run(steps, new ScriptedConnection().on("a", "echo done", broken("gone")));
    events.clear();
    // when the run resumes and the step finds its work done
    ScriptedConnection host =
        new ScriptedConnection()
            .on("a", "echo done", exit(0, "done\n"))
            .on("b", "echo after", exit(0, "after\n"));
    HostOutcome outcome = resume(steps, host);
    // then it counts as changed, so what depends on a change still runs
    assertInstanceOf(HostOutcome.Done.class, outcome);
    assertTrue(
        events.stream()
            .anyMatch(
                e -> e instanceof Event.StepFinished f && f.step().equals("a") && f.changed()),
        events().toString());
    assertTrue(events().contains("started b 1"), events().toString());
  }

  private static final String DETACHED = "steps:\n  - {id: a, shell: echo a, detached: true}\n";

  /** A detached step left RUNNING (attempt 1) by a lost connection; events cleared. */
  private void detachedLeftRunning() throws Exception {
    run(DETACHED, new ScriptedConnection().on("detached", "setsid", broken("gone")));
    events.clear();
  }

  @Test
  void detachedReattachFindsTheResult() throws Exception {
    detachedLeftRunning();
    ScriptedConnection host =
        new ScriptedConnection()
            .on("reattach", CommandBuilder.NOT_STARTED, exit(0, "finished meanwhile\n"))
            .on("cleanup", "rm -rf ", exit(0, ""));
    HostOutcome outcome = resume(DETACHED, host);
    assertEquals(new HostOutcome.Done("h1"), outcome);
    assertEquals(
        List.of("a RUNNING 1", "host unreachable", "a SUCCEEDED 1", "host done"),
        journal(),
        "the re-attached attempt is not recorded RUNNING again");
    assertEquals(List.of("started a 1", "succeeded a", "host done"), events());
    assertEquals(List.of("reattach", "cleanup"), host.sent);
  }

  @Test
  void detachedNotStartedRunsAsANewAttempt() throws Exception {
    detachedLeftRunning();
    ScriptedConnection host =
        new ScriptedConnection()
            .on(
                "reattach",
                CommandBuilder.NOT_STARTED,
                exit(253, CommandBuilder.NOT_STARTED + "\n"))
            .on("detached", "setsid", afterRunning("a", 2, exit(0, "a\n")))
            .on("cleanup", "rm -rf ", exit(0, ""));
    HostOutcome outcome = resume(DETACHED, host);
    assertEquals(new HostOutcome.Done("h1"), outcome);
    assertEquals(
        List.of("a RUNNING 1", "host unreachable", "a RUNNING 2", "a SUCCEEDED 2", "host done"),
        journal());
    assertEquals(List.of("reattach", "detached", "cleanup"), host.sent);
  }

  @Test
  void detachedWithoutARecordIsInDoubt() throws Exception {
    detachedLeftRunning();
    ScriptedConnection host =
        new ScriptedConnection()
            .on("reattach", CommandBuilder.NOT_STARTED, exit(254, CommandBuilder.NO_RECORD + "\n"));
    HostOutcome outcome = resume(DETACHED, host);
    String why = ((HostOutcome.Paused) outcome).message();
    assertTrue(why.contains("(no record of it on the host)"), why);
    assertEquals(List.of("in doubt a: " + why, "host paused: " + why), events());
    assertEquals(List.of("reattach"), host.sent);
  }

  // ------------------------------------------------------------------------------- uploads

  private static final String UPLOAD =
      """
      artifacts:
        - {id: rel, url: "https://example.org/rel", sha256: abc}
      steps:
        - {id: up, upload: {artifact: rel, dest: /srv/rel.tar}}
      """;

  private void fetched(String sha) throws Exception {
    Path file = Files.writeString(dir.resolve("rel.tar"), "release");
    artifacts =
        Map.of(
            new ArtifactKey("rel", "https://example.org/rel", "abc"),
            new FetchedArtifact("rel", file, sha, 7, "https://example.org/rel"));
  }

  @Test
  void uploadAlreadyPresentIsNotSentAgain() throws Exception {
    fetched("f00d");
    ScriptedConnection host = new ScriptedConnection().on("sum", "sha256sum ", exit(0, "f00d\n"));
    HostOutcome outcome = run(UPLOAD, host);
    assertEquals(new HostOutcome.Done("h1"), outcome);
    assertEquals(List.of("up RUNNING 1", "up SUCCEEDED 1", "host done"), journal());
    assertEquals(List.of("sum"), host.sent, "no put");
    String log =
        Files.readString(
            store
                .root()
                .resolve("runs/r1")
                .resolve(store.load("r1").checkpoint("h1", "up").orElseThrow().logFile()));
    assertTrue(
        log.contains(
            "/srv/rel.tar already holds rel|https://example.org/rel|abc (sha256 f00d): not sent again"),
        log);
  }

  @Test
  void uploadIsSentAndChecked() throws Exception {
    fetched("f00d");
    ScriptedConnection host =
        new ScriptedConnection()
            .on("sum", "sha256sum ", exit(0, "\n"), exit(0, "f00d\n"))
            .on("mkdir", "mkdir -p ", exit(0, ""));
    HostOutcome outcome = run(UPLOAD, host);
    assertEquals(new HostOutcome.Done("h1"), outcome);
    assertEquals(List.of("up RUNNING 1", "up SUCCEEDED 1", "host done"), journal());
    assertEquals(List.of("sum", "mkdir", "put /srv/rel.tar", "sum"), host.sent);
    assertTrue(
        events.stream()
            .anyMatch(
                e ->
                    e instanceof Event.StepProgress p
                        && p.unit() == dev.orchestrator.report.ProgressUnit.BYTES
                        && p.done() == 7
                        && p.message().equals("uploading rel")),
        events.toString());
  }

  @Test
  void uploadWithAChecksumMismatchFails() throws Exception {
    fetched("f00d");
    ScriptedConnection host =
        new ScriptedConnection()
            .on("sum", "sha256sum ", exit(0, "\n"), exit(0, "bad\n"))
            .on("mkdir", "mkdir -p ", exit(0, ""));
    HostOutcome outcome = run(UPLOAD, host);
    String why =
        "exit code 1: after the upload /srv/rel.tar has sha256 'bad', expected f00d (disk full?)";
    assertEquals(new HostOutcome.Paused("h1", "up", why), outcome);
    assertEquals(List.of("up RUNNING 1", "up FAILED 1 " + why), journal());
  }

  // ------------------------------------------------------------------------------- halts

  @Test
  void haltedByALostLease() throws Exception {
    // given a lease that renewals find taken by another run while step a runs
    List<Runnable> renewals = new ArrayList<>();
    ScheduledThreadPoolExecutor scheduler =
        new ScheduledThreadPoolExecutor(1) {
          @Override
          public ScheduledFuture<?> scheduleAtFixedRate(
              Runnable command, long initialDelay, long period, TimeUnit unit) {
            renewals.add(command);
            return super.schedule(() -> {}, 1, TimeUnit.DAYS);
          }
        };
    LeaseCommands commands =
        new LeaseCommands() {
          @Override
          public String resume(String runId) {
            return "resume " + runId;
          }

          @Override
          public String abort(String runId) {
            return "abort " + runId;
          }

          @Override
          public String unlock(String host) {
            return "unlock " + host;
          }
        };
    LeaseKeeper keeper =
        new LeaseKeeper(
            new HostLease("r1", "ctl", 1, "", Duration.ofMinutes(10), commands),
            Duration.ofMinutes(10),
            scheduler,
            false,
            journal,
            events::add,
            commands,
            "resume r1");
    leases = Optional.of(new HostPipeline.Leases(keeper, Optional::empty));
    ScriptedConnection host =
        new ScriptedConnection()
            .on("take", "set -C", exit(0, "acquired\n"))
            .on("renew", "echo written", exit(0, "lost run=other host=h1\n"))
            .on(
                "a",
                "echo a",
                c -> {
                  renewals.forEach(Runnable::run); // the renewal runs while the step does
                  return new ExecResult(0, "", "", Duration.ZERO, false);
                });
    try {
      // when
      HostOutcome outcome =
          run("steps:\n  - {id: a, shell: echo a}\n  - {id: b, shell: echo b}\n", host);
      // then
      HostOutcome.Paused paused = assertInstanceOf(HostOutcome.Paused.class, outcome);
      assertEquals("b", paused.step());
      assertTrue(
          paused.message().startsWith("stopped before step b: this run lost its lease on h1"),
          paused.message());
      assertEquals(List.of("take", "a", "renew"), host.sent, "b is never sent");
      assertEquals(List.of("a RUNNING 1", "a SUCCEEDED 1"), journal());
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void stoppedByAnyErrorsFatal() throws Exception {
    // given another host of the batch failed
    stop.set(true);
    ScriptedConnection host = new ScriptedConnection();
    // when
    HostOutcome outcome = run("steps:\n  - {id: a, shell: echo a}\n", host);
    // then
    String why = "stopped before step a: another host of the batch failed (any_errors_fatal)";
    assertEquals(new HostOutcome.Paused("h1", "a", why), outcome);
    assertEquals(List.of("host paused: " + why), events());
    assertEquals(List.of(), host.sent);
  }

  @Test
  void aFailureStopsTheBatchUnderAnyErrorsFatal() throws Exception {
    ScriptedConnection host = new ScriptedConnection().on("a", "echo a", fail(1, ""));
    pipeline(plan("steps:\n  - {id: a, shell: echo a}\n", false), host, true).run();
    assertTrue(stop.get());
  }

  // ------------------------------------------------------------------------------- rollback

  private static final String ROLLBACK =
      """
      rollback_on_failure: true
      steps:
        - {id: prepare, shell: echo prepare}
        - {id: install, shell: echo install, rollback_from: true}
        - {id: migrate, shell: echo migrate}
      rollback:
        - {id: restore, shell: echo restore}
        - {id: online, shell: echo online}
      """;

  @Test
  void rollbackSucceeded() throws Exception {
    ScriptedConnection host =
        new ScriptedConnection()
            .on("migrate", "echo migrate", fail(1, "schema\n"))
            .on("step", "echo ", exit(0, ""));
    HostOutcome outcome = run(ROLLBACK, host);
    HostOutcome.Paused paused = assertInstanceOf(HostOutcome.Paused.class, outcome);
    assertEquals("migrate", paused.step());
    assertEquals(
        "exit code 1: schema; rolled back to the previous version. Fix the cause; resume then"
            + " starts this host's update over",
        paused.message());
    assertEquals(
        List.of(
            "prepare RUNNING 1",
            "prepare SUCCEEDED 1",
            "install RUNNING 1",
            "install SUCCEEDED 1",
            "migrate RUNNING 1",
            "migrate FAILED 1 exit code 1: schema",
            "restore RUNNING 1",
            "restore SUCCEEDED 1",
            "online RUNNING 1",
            "online SUCCEEDED 1",
            "prepare PENDING 0 reset after the rollback of migrate",
            "install PENDING 0 reset after the rollback of migrate",
            "migrate PENDING 1 reset after the rollback of migrate",
            "restore PENDING 1 rolled back after migrate failed",
            "online PENDING 1 rolled back after migrate failed",
            "host rolled-back"),
        journal());
    assertEquals(List.of("step", "step", "migrate", "step", "step"), host.sent);
  }

  /** The update fails at migrate, then the rollback fails at restore. */
  private HostOutcome rollbackFails() throws Exception {
    ScriptedConnection host =
        new ScriptedConnection()
            .on("migrate", "echo migrate", fail(1, "schema\n"))
            .on("restore", "echo restore", fail(2, "no backup\n"))
            .on("step", "echo ", exit(0, ""));
    return run(ROLLBACK, host);
  }

  @Test
  void rollbackFailed() throws Exception {
    HostOutcome outcome = rollbackFails();
    HostOutcome.Paused paused = assertInstanceOf(HostOutcome.Paused.class, outcome);
    assertEquals("restore", paused.step());
    assertEquals(
        "exit code 1: schema; then the rollback failed at restore: exit code 2: no backup. Fix"
            + " that, then resume: it retries restore and the rest of the rollback, and the host"
            + " stays paused, rolled back (or abort --rollback)",
        paused.message());
    List<String> written = journal();
    assertEquals("restore FAILED 1 exit code 2: no backup", written.get(written.size() - 1));
    assertEquals("host paused: " + paused.message(), events().get(events().size() - 1));
  }

  @Test
  void finishRollbackOnResume() throws Exception {
    // given a rollback that failed at restore
    rollbackFails();
    int before = journal().size();
    events.clear();
    // when the run resumes and restore now works
    ScriptedConnection host = new ScriptedConnection().on("step", "echo ", exit(0, ""));
    HostOutcome outcome = resume(ROLLBACK, host);
    // then the rollback finishes (restore again, then online) and the host stays rolled back
    HostOutcome.Paused paused = assertInstanceOf(HostOutcome.Paused.class, outcome);
    assertEquals("migrate", paused.step());
    assertTrue(paused.message().contains("rolled back to the previous version"), paused.message());
    assertEquals(
        List.of(
            "restore RUNNING 2",
            "restore SUCCEEDED 2",
            "online RUNNING 1",
            "online SUCCEEDED 1",
            "prepare PENDING 1 reset after the rollback of migrate",
            "install PENDING 1 reset after the rollback of migrate",
            "migrate PENDING 1 reset after the rollback of migrate",
            "restore PENDING 2 rolled back after migrate failed",
            "online PENDING 1 rolled back after migrate failed",
            "host rolled-back"),
        journal().subList(before, journal().size()));
    assertEquals(List.of("step", "step"), host.sent, "the update itself does not go on");
  }

  // ------------------------------------------------------------------------------- secrets

  @Test
  void derivedSecretsReachNeitherEventsNorJournal() throws Exception {
    // given a step whose command and output hold a value derived from a secret
    extraVars = Map.of("db_password", "hunter2secret");
    String derived = "HUNTER2SECRET";
    ScriptedConnection host =
        new ScriptedConnection()
            .on(
                "a",
                "echo ",
                c ->
                    new ExecResult(
                        3,
                        "::warning saw " + derived + "\n",
                        "bad " + derived + "\n",
                        Duration.ZERO,
                        false));
    // when
    HostOutcome outcome =
        run("steps:\n  - {id: a, shell: \"echo {{ db_password | upper }}\", register: r}\n", host);
    // then
    assertEquals(new HostOutcome.Paused("h1", "a", "exit code 3: bad ********"), outcome);
    String everything =
        String.join("\n", journal())
            + Files.readString(store.root().resolve("runs/r1").resolve("journal.jsonl"))
            + events;
    assertTrue(!everything.contains(derived), everything);
    assertTrue(events().contains("warning a: saw ********"), events().toString());
  }
}
