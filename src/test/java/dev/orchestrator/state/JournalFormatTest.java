package dev.orchestrator.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal's line format: a journal written by the previous version (every kind's key on every
 * line, the unused ones null; {@code src/test/resources/journals/previous-version}, written by the
 * previous jar) loads into the same state, and this version writes each record with the same field
 * names and values, as a one-key object the previous version reads too.
 */
class JournalFormatTest {
  private static final String OLD_RUN = "20260102-030405-old-run-0001";
  private static final Path FIXTURE = Path.of("src/test/resources/journals/previous-version");

  @TempDir Path dir;

  private RunStore storeWithOldRun() throws IOException {
    Path run = dir.resolve("runs").resolve(OLD_RUN);
    Files.createDirectories(run);
    for (String f : List.of(RunStore.INFO, RunStore.JOURNAL)) {
      Files.copy(FIXTURE.resolve(f), run.resolve(f));
    }
    return new RunStore(dir);
  }

  @Test
  void aJournalOfThePreviousVersionLoadsIdentically() throws IOException {
    // given a run folder written by the previous version
    RunStore store = storeWithOldRun();
    // when
    RunState state = store.load(OLD_RUN);
    // then every kind of line is read, the latest of each key wins, nothing counts as torn
    assertEquals(0, state.tornLines());
    assertEquals(RunStatus.RUNNING, state.info().status());
    assertEquals(Optional.of("/etc/ssh/known"), state.info().spec().knownHosts());
    Checkpoint nc1 = state.checkpoint("nc1", "backup").orElseThrow();
    assertEquals(StepStatus.SUCCEEDED, nc1.status());
    assertEquals(Map.of("rc", 0, "stdout", "ok"), nc1.registered());
    assertEquals("abc123", nc1.stepHash());
    assertEquals(false, nc1.changed(), "not recorded before handlers: notifies nothing");
    Checkpoint nc2 = state.checkpoint("nc2", "backup").orElseThrow();
    assertEquals(StepStatus.FAILED, nc2.status());
    assertEquals(2, nc2.attempt());
    assertEquals(3, nc2.exitCode());
    assertEquals("exit code 3", nc2.message());
    assertEquals(HostState.UNREACHABLE, state.hostRecords().get("nc3").state());
    assertEquals("connection refused", state.hostRecords().get("nc3").message());
    assertEquals(HostState.DONE, state.hostRecords().get("nc1").state());
    assertEquals(HostState.ROLLED_BACK, state.hostRecords().get("nc4").state());
    assertEquals(GateState.APPROVED, state.gate("production/before/0").orElseThrow().state());
    assertEquals(
        "approved by alice@ctl", state.gate("production/before/0").orElseThrow().message());
    assertEquals(GateState.FAILED, state.gate("qa/batch-1/0").orElseThrow().state());
    assertEquals(GateState.REJECTED, state.gate("canary/before/0").orElseThrow().state());
    assertEquals(LeaseState.RELEASED, state.leases().get("nc1").state());
    assertEquals("the host is done", state.leases().get("nc1").message());
    assertEquals(LeaseState.PAUSED, state.leases().get("nc2").state());
    assertEquals(LeaseState.UNRELEASED, state.leases().get("nc3").state());
    assertEquals(LeaseState.LOST, state.leases().get("nc5").state());
  }

  @Test
  void everyLineIsRewrittenWithTheSameFieldsAsAOneKeyObject() throws IOException {
    List<String> old = Files.readAllLines(FIXTURE.resolve(RunStore.JOURNAL));
    assertEquals(16, old.size()); // 3 checkpoints, 3 host, 4 gate, 5 lease records, 1 override
    for (String line : old) {
      // given a line of the previous version
      ObjectNode tree = (ObjectNode) Json.MAPPER.readTree(line);
      // when it is read and written again
      JournalEntry entry = Json.MAPPER.readValue(line, JournalEntry.class);
      JsonNode written =
          Json.MAPPER.readTree(Json.MAPPER.writerFor(JournalEntry.class).writeValueAsString(entry));
      // then only the null keys are gone: same kind, same field names, same values
      ObjectNode expected = tree.deepCopy();
      expected.properties().removeIf(f -> f.getValue().isNull());
      assertEquals(1, expected.size(), line);
      assertEquals(expected, written, line);
      assertTrue(
          Set.of("checkpoint", "host", "gate", "lease", "override")
              .contains(written.fieldNames().next()));
    }
  }

  @Test
  void whatThisVersionWritesLoadsBack() throws IOException {
    // given a journal written by this version, one record of each kind
    RunStore store = new RunStore(dir);
    Instant t = Instant.parse("2026-01-02T03:04:05Z");
    RunSpec spec =
        TestRunSpecs.of(
            "/pb.yml",
            "/inv.yml",
            Map.of(),
            List.of(),
            Optional.empty(),
            1,
            Optional.empty(),
            false);
    try (RunJournal j = store.create("20260102-030405-new-0001", "new", spec)) {
      j.record(
          TestCheckpoints.of(
              "h", "s", StepStatus.SKIPPED, 1, t, t, null, "when: false", Map.of(), ""));
      j.record(new HostRecord("h", HostState.ROLLED_BACK, "rolled back", t));
      j.record(new GateRecord("all/before/0", GateState.WAITING, "since " + t, t));
      j.recordLease(new LeaseRecord("h", LeaseState.UNRELEASED, "unlock it", t));
      j.override(
          spec.withOverrides(Optional.of("/k"), false, false, List.of(), List.of()),
          List.of(new SpecOverride("--known-hosts", "(default)", "/k", "me@here", t)));
    }
    // when
    RunState state = store.load("20260102-030405-new-0001");
    List<String> lines =
        Files.readAllLines(
            store.runDir("20260102-030405-new-0001").resolve(RunStore.JOURNAL),
            StandardCharsets.UTF_8);
    // then
    assertEquals(0, state.tornLines());
    assertEquals(StepStatus.SKIPPED, state.checkpoint("h", "s").orElseThrow().status());
    assertEquals(HostState.ROLLED_BACK, state.hostRecords().get("h").state());
    assertEquals(GateState.WAITING, state.gate("all/before/0").orElseThrow().state());
    assertEquals(
        new LeaseRecord("h", LeaseState.UNRELEASED, "unlock it", t), state.leases().get("h"));
    assertEquals(
        "{\"host\":{\"host\":\"h\",\"state\":\"rolled-back\",\"message\":\"rolled back\","
            + "\"at\":\"2026-01-02T03:04:05Z\"}}",
        lines.get(1));
    assertEquals(
        "{\"lease\":{\"host\":\"h\",\"state\":\"unreleased\",\"message\":\"unlock it\","
            + "\"at\":\"2026-01-02T03:04:05Z\"}}",
        lines.get(3));
    assertTrue(
        lines.get(4).startsWith("{\"override\":{\"option\":\"--known-hosts\""), lines.get(4));
  }

  @Test
  void aLineOfANewerKindIsSkippedAndATornOneCounted() throws IOException {
    // given the previous version's journal, then a kind this version does not know, a line with
    // two records (never written by any version) and a line cut short by a crash
    RunStore store = storeWithOldRun();
    Path journal = store.runDir(OLD_RUN).resolve(RunStore.JOURNAL);
    Files.writeString(
        journal,
        "{\"future\":{\"x\":1}}\n"
            + "{\"host\":{\"host\":\"nc9\",\"state\":\"done\",\"message\":\"\",\"at\":\"2026-01-02T03:04:05Z\"},"
            + "\"gate\":{\"gate\":\"g\",\"state\":\"passed\",\"message\":\"\",\"at\":\"2026-01-02T03:04:05Z\"}}\n"
            + "{\"checkpoint\":{\"host\":\"nc1\",\"stepId\":\"upg",
        java.nio.file.StandardOpenOption.APPEND);
    // when
    RunState state = store.load(OLD_RUN);
    // then
    assertEquals(2, state.tornLines());
    assertNull(state.hostRecords().get("nc9"));
    assertEquals(StepStatus.SUCCEEDED, state.checkpoint("nc1", "backup").orElseThrow().status());
    assertNull(Json.MAPPER.readValue("{\"future\":{\"x\":1}}", JournalEntry.class));
    assertInstanceOf(
        JournalEntry.GateEntry.class,
        Json.MAPPER.readValue(
            "{\"checkpoint\":null,\"gate\":{\"gate\":\"g\",\"state\":\"passed\",\"message\":\"\","
                + "\"at\":\"2026-01-02T03:04:05Z\"},\"unknown\":7}",
            JournalEntry.class));
  }
}
