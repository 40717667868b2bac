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

/**
 * The file store: the {@link StateStoreContract} every store passes, and what is its own (the
 * layout on disk, the fsync'd journal's torn last line, 0600/0700 permissions, the state folder's
 * checks, journals written by earlier versions).
 */
class RunStoreTest extends StateStoreContract {
  @TempDir Path dir;

  /** The temporary folders of the contract's stores (jqwik properties get no {@code @TempDir}). */
  private final List<Path> temporary = new java.util.ArrayList<>();

  @Override
  protected StateStore newStore(java.time.Clock clock) {
    try {
      Path parent = Files.createTempDirectory("runstore-contract");
      temporary.add(parent);
      return new RunStore(parent.resolve("state"), clock);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  protected StateStore reopen(StateStore store) {
    return new RunStore(((RunStore) store).root());
  }

  @org.junit.jupiter.api.AfterEach
  @net.jqwik.api.lifecycle.AfterTry
  void removeTemporaryFolders() throws IOException {
    for (Path parent : temporary) {
      try (java.util.stream.Stream<Path> all = Files.walk(parent)) {
        for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    temporary.clear();
  }

  @Test
  void checkpointsSurviveAReload() throws IOException {
    RunStore store = new RunStore(dir);
    String id = RunStore.newRunId("Nextcloud update!");
    assertTrue(id.matches("\\d{8}-\\d{6}-nextcloud-update-[0-9a-f]{4}"), id);
    try (RunJournal j = store.create(id, "Nextcloud update!", spec())) {
      Instant t = Instant.now();
      j.record(
          TestCheckpoints.of("h1", "s1", StepStatus.RUNNING, 1, t, null, null, "", Map.of(), ""));
      j.record(
          TestCheckpoints.of(
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
          TestCheckpoints.of(
              "h1", "s2", StepStatus.FAILED, 1, t, t, 5, "exit code 5", Map.of(), ""));
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
                        TestCheckpoints.of(
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
          TestCheckpoints.of(
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
          TestCheckpoints.of(
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
      j.openLog(j.logName("h1", "s1", 1)).close(); // as a step's log is created
    }
    Path run = dir.resolve("state/runs").resolve(id);
    log = run.resolve("logs/h1/s1.1.log");
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

  @Test
  void aRunIsKeptInTodaysLayoutEveryFilePrivate() throws IOException {
    // given a run that recorded a checkpoint, an event and a step log
    RunStore store = new RunStore(dir.resolve("state"));
    String id = RunStore.newRunId("p");
    try (RunJournal j = store.create(id, "p", spec())) {
      j.record(
          TestCheckpoints.of(
              "web/1", "s1", StepStatus.RUNNING, 1, Instant.now(), null, null, "", Map.of(), ""));
      j.appendEvent("{\"event\":\"run_started\"}");
      try (var out = j.openLog(j.logName("web/1", "s1", 1))) {
        out.write('x');
      }
      // then each is where earlier versions put it, and the report's folder is the run's
      Path run = dir.resolve("state/runs").resolve(id);
      assertEquals(Optional.of(run), store.localDir(id));
      assertEquals(
          run.resolve("logs/web%2F1/s1.1.log").toString(), j.logLocation("logs/web%2F1/s1.1.log"));
      assertEquals(
          List.of("{\"event\":\"run_started\"}"), Files.readAllLines(run.resolve("events.jsonl")));
      assertEquals(1, Files.readAllLines(run.resolve("journal.jsonl")).size());
      assertEquals("x", Files.readString(run.resolve("logs/web%2F1/s1.1.log")));
      assertEquals("rw-------", perms(run.resolve("events.jsonl")));
      assertEquals("rw-------", perms(run.resolve("logs/web%2F1/s1.1.log")));
      assertEquals("rwx------", perms(run.resolve("logs/web%2F1")));
    }
  }

  @Test
  void aRunWrittenByThePreviousVersionLoads() throws IOException {
    // given run.json and journal.jsonl as the previous version wrote them
    String id = "20261121-051207-nextcloud-update-3fa2";
    Path run = Files.createDirectories(dir.resolve("runs").resolve(id));
    Files.writeString(
        run.resolve("run.json"),
        """
        {"id":"%s","playbookName":"Nextcloud update","spec":{"playbook":"/pb.yml",
        "inventory":"/inv.yml","extraVars":{"a":"1"},"secretVarNames":[],"limit":null,"forks":5,
        "knownHosts":null,"acceptNewHostKeys":false,"tags":[],"skipTags":[],
        "includeExpensive":false,"varsFiles":[],"secretsFiles":[],"sshExecPerStep":false},
        "status":"PAUSED","reason":"1 host paused","createdAt":"2026-11-21T05:12:07Z",
        "updatedAt":"2026-11-21T05:13:00Z","controllerPid":4242}
        """
            .formatted(id));
    Files.writeString(
        run.resolve("journal.jsonl"),
        """
        {"checkpoint":{"host":"h1","stepId":"s1","status":"SUCCEEDED","attempt":1,"startedAt":"2026-11-21T05:12:08Z","endedAt":"2026-11-21T05:12:09Z","exitCode":0,"message":"","registered":{"rc":0},"logFile":"logs/h1/s1.1.log","stepHash":"abc"},"host":null,"gate":null,"lease":null,"override":null}
        {"checkpoint":null,"host":{"host":"h2","state":"unreachable","message":"refused","at":"2026-11-21T05:12:09Z"},"gate":null,"lease":null,"override":null}
        {"checkpoint":null,"host":null,"gate":{"gate":"prod/before/0","state":"approved","message":"by o@h","at":"2026-11-21T05:12:10Z"},"lease":null,"override":null}
        {"checkpoint":null,"host":null,"gate":null,"lease":{"host":"h1","state":"paused","message":"paused","at":"2026-11-21T05:12:11Z"},"override":null}
        """);
    // when it is loaded, then everything is there
    RunState state = new RunStore(dir).load(id);
    assertEquals(RunStatus.PAUSED, state.info().status());
    assertEquals("abc", state.checkpoint("h1", "s1").orElseThrow().stepHash());
    assertEquals("logs/h1/s1.1.log", state.checkpoint("h1", "s1").orElseThrow().logFile());
    assertEquals(HostState.UNREACHABLE, state.hostRecords().get("h2").state());
    assertEquals(GateState.APPROVED, state.gate("prod/before/0").orElseThrow().state());
    assertEquals(LeaseState.PAUSED, state.leases().get("h1").state());
    assertEquals(0, state.tornLines());
  }

  @net.jqwik.api.Property(tries = 100)
  void anythingThatIsNotARunIdWritesNothingInTheStateFolder(
      @net.jqwik.api.ForAll("notRunIds") String id) throws IOException {
    // given a state folder that does not exist yet
    RunStore store = (RunStore) newStore();
    // when a run is created with an invalid id
    assertThrows(InputException.class, () -> store.create(id, "p", spec()));
    // then no file or folder was made
    assertTrue(!Files.exists(store.root()), "nothing written for " + id);
  }

  @Test
  void aStateFolderThatIsAFileIsRefusedBeforeAnyWrite() throws IOException {
    // given a --state-dir that names a file
    Path file = Files.writeString(dir.resolve("state"), "not a folder");
    RunStore store = new RunStore(file);
    // when a run is created, then the error names the file and what to do, and the file is as it
    // was
    InputException e =
        assertThrows(InputException.class, () -> store.create(RunStore.newRunId("p"), "p", spec()));
    assertTrue(e.getMessage().contains("is a file, not a folder"), e.getMessage());
    assertTrue(e.hint().contains("--state-dir"), e.hint());
    assertEquals("not a folder", Files.readString(file));
  }

  /** A stored run whose {@code run.json} is then replaced by {@code content}. */
  private String runWithInfo(RunStore store, String content) throws IOException {
    String id = RunStore.newRunId("p");
    store.create(id, "p", spec()).close();
    Path info = store.runDir(id).resolve(RunStore.INFO);
    Files.writeString(info, content);
    return id;
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {"{", "", "{\n  \"status\": \"WEIRD\"\n}"})
  void aDamagedRunJsonIsAnInputErrorNamingTheFileAndLine(String content) throws IOException {
    // given a run whose run.json is cut short, empty, or holds an unknown status
    RunStore store = new RunStore(dir);
    String id = runWithInfo(store, content);
    Path info = store.runDir(id).resolve(RunStore.INFO);
    // when it is loaded
    InputException e = assertThrows(InputException.class, () -> store.load(id));
    // then the error names the file, its line and column, and what to do
    assertTrue(e.getMessage().startsWith(info + ":"), e.getMessage());
    assertTrue(
        e.getMessage().matches("(?s).*run\\.json:\\d+:\\d+: not a run's info: .*"), e.getMessage());
    assertTrue(e.hint().contains("restore it from a backup"), e.hint());
  }

  @Test
  void aDamagedRunJsonIsNamedByTheListingNotLeftOutSilently() throws IOException {
    // given a good run and a run whose run.json holds an unknown status
    RunStore store = new RunStore(dir);
    String good = RunStore.newRunId("p");
    store.create(good, "p", spec()).close();
    String bad = runWithInfo(store, "{\"id\": \"x\",\n \"status\": \"WEIRD\"}");
    // when the runs are listed
    List<RunInfo> runs = store.list();
    List<String> unreadable = store.unreadableRuns();
    // then the good one is listed and the bad one named with its file and line
    assertEquals(List.of(good), runs.stream().map(RunInfo::id).toList());
    assertEquals(1, unreadable.size(), unreadable.toString());
    assertTrue(
        unreadable.get(0).startsWith(store.runDir(bad).resolve(RunStore.INFO) + ":2:"),
        unreadable.toString());
  }

  @Test
  void aStateFolderThatIsAFileIsNotAnEmptyStore() throws IOException {
    // given a --state-dir that is a file (as root, permissions cannot make a folder unreadable)
    Path file = Files.writeString(dir.resolve("state"), "not a folder");
    // when its runs are listed
    InputException e = assertThrows(InputException.class, () -> new RunStore(file).list());
    // then it is refused, not read as "no runs"
    assertTrue(e.getMessage().contains("is a file, not a folder"), e.getMessage());
    assertTrue(e.hint().contains("--state-dir"), e.hint());
  }

  @Test
  void aRunsFolderThatIsAFileIsNotAnEmptyStore() throws IOException {
    // given a state folder whose runs/ is a file
    Files.writeString(dir.resolve("runs"), "");
    // when its runs are listed; then it is refused
    InputException e = assertThrows(InputException.class, () -> new RunStore(dir).list());
    assertTrue(e.getMessage().contains(dir.resolve("runs") + " is a file"), e.getMessage());
  }

  @Test
  void aDamagedJournalLineIsNamedWithItsFileAndLine() throws IOException {
    // given a run whose journal has a damaged line between two good ones and a torn last line
    RunStore store = new RunStore(dir);
    String id = RunStore.newRunId("p");
    Checkpoint done =
        TestCheckpoints.of(
            "h1", "s1", StepStatus.SUCCEEDED, 1, Instant.now(), Instant.now(), 0, "", Map.of(), "");
    try (RunJournal j = store.create(id, "p", spec())) {
      j.record(done);
    }
    Path journal = store.runDir(id).resolve(RunStore.JOURNAL);
    List<String> lines = new java.util.ArrayList<>(Files.readAllLines(journal));
    lines.add("{\"checkpoint\": garbage}");
    lines.add(lines.get(0));
    lines.add("{\"checkpoint\":{\"host\":\"h1\",\"st");
    Files.write(journal, lines);
    // when it is loaded
    RunState state = store.load(id);
    // then both unreadable lines are named, each with its line number
    assertEquals(2, state.tornLines());
    int damaged = lines.size() - 2;
    assertTrue(
        state.unreadable().get(0).startsWith(journal + ":" + damaged + ": damaged: "),
        state.unreadable().toString());
    assertEquals(
        journal + ":" + lines.size() + ": cut short (the controller stopped while writing it)",
        state.unreadable().get(1));
  }
}
