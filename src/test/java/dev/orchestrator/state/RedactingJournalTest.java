package dev.orchestrator.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.orchestrator.common.Redactor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue #13: one redacting journal masks every record any producer writes. */
class RedactingJournalTest {
  private static final String SECRET = "hunter2-s3cret";

  @Test
  void everyTextAnyProducerRecordsIsMasked(@TempDir Path dir) throws Exception {
    // given a run whose journal is wrapped with the run's secrets, one learnt late (derived)
    RunStore store = new RunStore(dir);
    String id = RunStore.newRunId("pb");
    Redactor redactor = new Redactor();
    redactor.addAll(Set.of("first-value"));
    Instant t = Instant.parse("2026-11-23T10:00:00Z");
    try (RunJournal journal =
        RedactingJournal.around(store.create(id, "pb", StateStoreContract.spec()), redactor)) {
      redactor.addAll(Set.of(SECRET));
      // when every kind of record carries the secret
      journal.record(
          new Checkpoint(
              "h1",
              "s1",
              StepStatus.FAILED,
              1,
              t,
              t,
              1,
              "exit code 1: " + SECRET,
              Map.of("stdout", "x " + SECRET, "stdout_lines", List.of(SECRET)),
              "",
              "hash"));
      journal.record(new HostRecord("h1", HostState.UNREACHABLE, "no " + SECRET, t));
      journal.record(new GateRecord("g/0", GateState.FAILED, "503 " + SECRET, t));
      journal.recordLease("h1", LeaseState.PAUSED, "kept " + SECRET);
      journal.status(RunStatus.PAUSED, "h1 failed: " + SECRET);
    }
    // then nothing the store holds has it, and the records are otherwise as written
    RunState state = store.load(id);
    Checkpoint c = state.checkpoint("h1", "s1").orElseThrow();
    assertEquals("exit code 1: ********", c.message());
    assertEquals("x ********", c.registered().get("stdout"));
    assertEquals(List.of("********"), c.registered().get("stdout_lines"));
    assertEquals("hash", c.stepHash());
    assertEquals("no ********", state.hostRecords().get("h1").message());
    assertEquals(HostState.UNREACHABLE, state.hostRecords().get("h1").state());
    assertEquals("503 ********", state.gate("g/0").orElseThrow().message());
    assertEquals("kept ********", state.leases().get("h1").message());
    assertEquals("h1 failed: ********", state.info().reason());
    try (var files = Files.walk(store.runDir(id))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertFalse(Files.readString(f, StandardCharsets.UTF_8).contains(SECRET), f.toString());
      }
    }
  }

  @Test
  void wrappingTwiceWithTheSameSecretsIsOneWrapper(@TempDir Path dir) throws Exception {
    Redactor redactor = new Redactor();
    RunStore store = new RunStore(dir);
    try (RunJournal journal =
        RedactingJournal.around(
            store.create(RunStore.newRunId("pb"), "pb", StateStoreContract.spec()), redactor)) {
      assertEquals(journal, RedactingJournal.around(journal, redactor));
    }
  }
}
