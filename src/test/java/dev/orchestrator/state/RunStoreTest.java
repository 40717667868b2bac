package dev.orchestrator.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunStoreTest {
  @TempDir Path dir;

  private static RunSpec spec() {
    return new RunSpec(
        "/pb.yml",
        "/inv.yml",
        Map.of("a", "1"),
        List.of("db_password"),
        Optional.empty(),
        5,
        Optional.empty(),
        false);
  }

  @Test
  void checkpointsSurviveAReload() throws IOException {
    RunStore store = new RunStore(dir);
    String id = RunStore.newRunId("Nextcloud update!");
    assertTrue(id.matches("\\d{8}-\\d{6}-nextcloud-update-[0-9a-f]{4}"), id);
    try (RunJournal j = store.create(id, "Nextcloud update!", spec())) {
      Instant t = Instant.now();
      j.record(new Checkpoint("h1", "s1", StepStatus.RUNNING, 1, t, null, null, "", Map.of(), ""));
      j.record(
          new Checkpoint(
              "h1",
              "s1",
              StepStatus.SUCCEEDED,
              1,
              t,
              t,
              0,
              "",
              Map.of("rc", 0),
              "logs/h1/s1.1.log"));
      j.record(
          new Checkpoint("h1", "s2", StepStatus.FAILED, 1, t, t, 5, "exit code 5", Map.of(), ""));
      j.record(new HostRecord("h2", HostState.UNREACHABLE, "connection refused", t));
      j.status(RunStatus.PAUSED, "1 host paused");
    }
    RunState state = store.load(id);
    assertEquals(RunStatus.PAUSED, state.info().status());
    assertEquals(StepStatus.SUCCEEDED, state.checkpoint("h1", "s1").orElseThrow().status());
    assertEquals(Map.of("rc", 0), state.checkpoint("h1", "s1").orElseThrow().registered());
    assertEquals(5, state.checkpoint("h1", "s2").orElseThrow().exitCode());
    assertEquals(HostState.UNREACHABLE, state.hostRecords().get("h2").state());
    assertEquals(List.of("db_password"), state.info().spec().secretVarNames());
    assertEquals(id, store.list().get(0).id());
  }

  @Test
  void manyHostsRecordingAtOnceLoseNoCheckpoint() throws Exception {
    // given 16 hosts' pipelines recording at the same time (their fsyncs are shared)
    RunStore store = new RunStore(dir);
    String id = RunStore.newRunId("p");
    int hosts = 16;
    int steps = 100;
    try (RunJournal j = store.create(id, "p", spec())) {
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(hosts);
      List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
      for (int h = 0; h < hosts; h++) {
        String host = "h" + h;
        done.add(
            pool.submit(
                () -> {
                  for (int s = 0; s < steps; s++) {
                    Instant t = Instant.now();
                    j.record(
                        new Checkpoint(
                            host, "s" + s, StepStatus.SUCCEEDED, 1, t, t, 0, "", Map.of(), ""));
                  }
                }));
      }
      for (java.util.concurrent.Future<?> f : done) {
        f.get();
      }
      pool.shutdown();
    }
    // then every record is there, whole, in the journal
    RunState state = store.load(id);
    for (int h = 0; h < hosts; h++) {
      assertEquals(steps, state.checkpoints("h" + h).size(), "host h" + h);
    }
    assertEquals(
        hosts * steps,
        Files.readAllLines(dir.resolve("runs").resolve(id).resolve(RunStore.JOURNAL)).size());
  }

  @Test
  void aTornLastLineFromACrashIsSkipped() throws IOException {
    RunStore store = new RunStore(dir);
    String id = RunStore.newRunId("p");
    try (RunJournal j = store.create(id, "p", spec())) {
      j.record(
          new Checkpoint(
              "h1",
              "s1",
              StepStatus.SUCCEEDED,
              1,
              Instant.now(),
              Instant.now(),
              0,
              "",
              Map.of(),
              ""));
    }
    Files.writeString(
        dir.resolve("runs").resolve(id).resolve("journal.jsonl"),
        "{\"checkpoint\":{\"host\":\"h1\",\"st",
        StandardOpenOption.APPEND);
    RunState state = store.load(id);
    assertEquals(1, state.tornLines());
    assertEquals(StepStatus.SUCCEEDED, state.checkpoint("h1", "s1").orElseThrow().status());
  }

  @Test
  void unknownRunIsAnInputErrorListingRecentRuns() {
    RunStore store = new RunStore(dir);
    String id = RunStore.newRunId("p");
    try (RunJournal j = store.create(id, "p", spec())) {
      assertEquals(id, j.runId());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    InputException e = assertThrows(InputException.class, () -> store.load("nope"));
    assertTrue(e.getMessage().contains("there is no run 'nope'"), e.getMessage());
    assertTrue(e.hint().contains(id), e.hint());
  }

  @Test
  void stateFilesAreReadableByTheirOwnerOnly() throws IOException {
    RunStore store = new RunStore(dir.resolve("state"));
    String id = RunStore.newRunId("p");
    Path log;
    try (RunJournal j = store.create(id, "p", spec())) {
      j.record(
          new Checkpoint(
              "h1",
              "s1",
              StepStatus.SUCCEEDED,
              1,
              Instant.now(),
              Instant.now(),
              0,
              "",
              Map.of(),
              ""));
      log = j.logFile("h1", "s1", 1);
      PrivateFiles.openNew(log).close(); // as a step's log is created
    }
    Path run = dir.resolve("state/runs").resolve(id);
    assertEquals("rwx------", perms(dir.resolve("state")));
    assertEquals("rwx------", perms(run));
    assertEquals("rw-------", perms(run.resolve("run.json")));
    assertEquals("rw-------", perms(run.resolve("journal.jsonl")));
    assertEquals("rwx------", perms(log.getParent()));
    assertEquals("rw-------", perms(log));
  }

  private static String perms(Path p) throws IOException {
    return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
