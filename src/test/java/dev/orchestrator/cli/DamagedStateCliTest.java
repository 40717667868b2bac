package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A damaged or misplaced state store is the environment, not a bug: {@code status} and {@code logs}
 * name the file (and line) and end with exit 2, never exit 1, never "no runs" or nothing.
 */
class DamagedStateCliTest {
  @TempDir Path dir;
  @TempDir Path home;

  private Cli.Session cli;
  private String runId;

  @BeforeEach
  void aFinishedLocalRun() throws Exception {
    cli = Cli.withLocalHome(home);
    Files.writeString(dir.resolve("inv.yml"), "all:\n  hosts:\n    h1: {connection: local}\n");
    Files.writeString(dir.resolve("pb.yml"), "steps:\n  - {id: s, shell: \"echo hello\"}\n");
    Cli.Result run =
        cli.run(
            "run",
            dir.resolve("pb.yml").toString(),
            "-i",
            dir.resolve("inv.yml").toString(),
            "--state-dir",
            state().toString());
    assertEquals(0, run.exitCode(), run.out() + run.err());
    runId = run.runId();
  }

  private Path state() {
    return dir.resolve("state");
  }

  private Path info() {
    return state().resolve("runs").resolve(runId).resolve("run.json");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{", "", "{\"status\":\"WEIRD\"}"})
  void statusOfARunWithADamagedRunJsonNamesTheFileAndExits2(String content) throws Exception {
    // given the run's run.json cut short, empty, or with an unknown status
    Files.writeString(info(), content);
    // when its status is asked for
    Cli.Result r = cli.run("status", runId, "--state-dir", state().toString());
    // then the error names the file with line and column, exit 2, and says what to do
    assertEquals(2, r.exitCode(), r.out() + r.err());
    assertTrue(r.err().contains("error: " + info() + ":1:"), r.err());
    assertTrue(r.err().contains("hint: "), r.err());
    assertFalse(r.err().contains("internal error"), r.err());
  }

  @Test
  void statusNamesARunWhoseRunJsonIsDamagedInsteadOfLeavingItOutSilently() throws Exception {
    // given the only run's run.json with an unknown status
    Files.writeString(info(), "{\"status\":\"WEIRD\"}");
    // when the runs are listed
    Cli.Result r = cli.run("status", "--state-dir", state().toString());
    // then a warning names its file and line
    assertEquals(0, r.exitCode(), r.out() + r.err());
    assertTrue(r.err().contains("warning: " + info() + ":1:"), r.err());
  }

  @Test
  void statusOfAStateFolderThatIsAFileIsRefusedNotEmpty() throws Exception {
    // given a --state-dir that is a file (the tests run as root: a file stands for a folder that
    // cannot be read)
    Path file = Files.writeString(dir.resolve("file"), "x");
    // when the runs are listed
    Cli.Result r = cli.run("status", "--state-dir", file.toString());
    // then it is refused with exit 2, not "no runs"
    assertEquals(2, r.exitCode(), r.out() + r.err());
    assertTrue(r.err().contains(file + " is a file, not a folder"), r.err());
    assertFalse(r.out().contains("no runs"), r.out());
  }

  @Test
  void aDamagedJournalLineIsNamedByStatus() throws Exception {
    // given a journal line damaged in the middle of the journal
    Path journal = info().resolveSibling("journal.jsonl");
    java.util.List<String> lines = new java.util.ArrayList<>(Files.readAllLines(journal));
    lines.add(1, "{\"checkpoint\": garbage}");
    Files.write(journal, lines);
    // when the run's status is shown
    Cli.Result r = cli.run("status", runId, "--state-dir", state().toString());
    // then the line is named with its file and number
    assertEquals(0, r.exitCode(), r.out() + r.err());
    assertTrue(r.out().contains(journal + ":2: damaged"), r.out());
  }

  @Test
  void logsAfterTheLogsWereDeletedSaysSoWithExit2() throws Exception {
    // given the run's step logs deleted
    Path logs = info().resolveSibling("logs");
    try (java.util.stream.Stream<Path> all = Files.walk(logs)) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    // when the host's logs are asked for
    Cli.Result r = cli.run("logs", runId, "--host", "h1", "--state-dir", state().toString());
    // then it says they are missing, naming the file, exit 2
    assertEquals(2, r.exitCode(), r.out() + r.err());
    assertTrue(r.err().contains("the step logs of host 'h1' are missing: " + logs), r.err());
    assertTrue(r.err().contains("hint: they were deleted or moved"), r.err());
  }

  @Test
  void logsStillPrintsTheRunsLogs() throws Exception {
    // given the run's logs in place; when they are asked for; then they are printed, exit 0
    Cli.Result r = cli.run("logs", runId, "--host", "h1", "--state-dir", state().toString());
    assertEquals(0, r.exitCode(), r.out() + r.err());
    assertTrue(r.out().contains("hello"), r.out());
    assertFalse(r.err().contains("missing"), r.err());
  }

  @Test
  void resumeNamesADamagedJournalLine() throws Exception {
    // given a paused run whose journal has a damaged line
    Files.writeString(dir.resolve("fail"), "");
    Files.writeString(
        dir.resolve("pb.yml"),
        "steps:\n  - {id: s, shell: \"echo hello\"}\n  - {id: t, shell: \"test ! -e "
            + dir.resolve("fail")
            + "\"}\n");
    Cli.Result paused =
        cli.run(
            "run",
            dir.resolve("pb.yml").toString(),
            "-i",
            dir.resolve("inv.yml").toString(),
            "--state-dir",
            state().toString());
    assertEquals(3, paused.exitCode(), paused.out() + paused.err());
    runId = paused.runId();
    Path journal = info().resolveSibling("journal.jsonl");
    java.util.List<String> lines = new java.util.ArrayList<>(Files.readAllLines(journal));
    lines.add(1, "{\"checkpoint\": garbage}");
    Files.write(journal, lines);
    Files.delete(dir.resolve("fail"));
    // when it is resumed
    Cli.Result r = cli.run("resume", runId, "--state-dir", state().toString());
    // then it completes, and the damaged line is named on stderr
    assertEquals(0, r.exitCode(), r.out() + r.err());
    assertTrue(r.err().contains("warning: " + journal + ":2: damaged"), r.err());
  }

  @Test
  void statusOfARunWhoseJournalIsAFifoIsRefusedNotAHang() throws Exception {
    // given the run's journal.jsonl replaced by a FIFO nobody writes to
    Path journal = info().resolveSibling("journal.jsonl");
    Files.delete(journal);
    dev.orchestrator.state.JournalFileTest.mkfifo(journal);
    // when its status is asked for, then it is refused at once, named, exit 2
    Cli.Result r =
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
            java.time.Duration.ofSeconds(30),
            () -> cli.run("status", runId, "--state-dir", state().toString()));
    assertEquals(2, r.exitCode(), r.out() + r.err());
    assertTrue(r.err().contains("error: " + journal + " is not a regular file"), r.err());
    assertTrue(r.err().contains("hint: "), r.err());
  }

  @Test
  void statusOfARunWithALatin1JournalLineNamesItAndItsOffset() throws Exception {
    // given a line of the journal saved as Latin-1 by an editor
    Path journal = info().resolveSibling("journal.jsonl");
    long size = Files.size(journal);
    Files.write(
        journal,
        new byte[] {'{', '"', 'x', '"', ':', '"', (byte) 0xE9, '"', '}', '\n'},
        java.nio.file.StandardOpenOption.APPEND);
    Files.write(journal, new byte[] {'{', '}', '\n'}, java.nio.file.StandardOpenOption.APPEND);
    // when its status is asked for
    Cli.Result r = cli.run("status", runId, "--state-dir", state().toString());
    // then the line is named with where the byte is, not "Input length = 1" nor permissions
    assertEquals(0, r.exitCode(), r.out() + r.err());
    assertTrue(r.out().contains("not valid UTF-8: byte 0xe9"), r.out());
    assertTrue(r.out().contains("(offset " + (size + 6) + " in the file)"), r.out());
    assertFalse((r.out() + r.err()).contains("Input length"), r.out() + r.err());
    assertFalse((r.out() + r.err()).contains("readable for this user"), r.out() + r.err());
  }
}
