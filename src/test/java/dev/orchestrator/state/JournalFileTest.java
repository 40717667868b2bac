package dev.orchestrator.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.InputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's journal as the file store reads it: a line that is not UTF-8 is named with its line and
 * byte offset and skipped; a journal that is not a regular file (a FIFO) is refused, not waited on.
 */
public class JournalFileTest {
  @TempDir Path dir;

  private RunStore store() {
    return new RunStore(dir);
  }

  /** A run with one succeeded checkpoint; returns its journal file. */
  private Path runWithOneCheckpoint(RunStore store, String id) throws IOException {
    try (RunJournal j = store.create(id, "p", StateStoreContract.spec())) {
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
    return store.runDir(id).resolve(RunStore.JOURNAL);
  }

  @Test
  void aLatin1ByteIsNamedWithItsLineAndOffsetAndTheOtherLinesLoad() throws IOException {
    // given a journal whose second line was saved as Latin-1 ('é' as the one byte 0xE9)
    RunStore store = store();
    String id = RunStore.newRunId("p");
    Path journal = runWithOneCheckpoint(store, id);
    byte[] good = Files.readAllBytes(journal);
    String first = new String(good, StandardCharsets.UTF_8).lines().findFirst().orElseThrow();
    ByteArrayOutputStream edited = new ByteArrayOutputStream();
    edited.write(good);
    edited.write("{\"note\":\"caf".getBytes(StandardCharsets.US_ASCII));
    edited.write(0xE9);
    edited.write("\"}\n".getBytes(StandardCharsets.US_ASCII));
    edited.write((first + "\n").getBytes(StandardCharsets.UTF_8));
    Files.write(journal, edited.toByteArray());
    int lines = new String(good, StandardCharsets.UTF_8).lines().toList().size();
    // when it is loaded
    RunState state = store.load(id);
    // then that line is named (line, byte, offset, what to do), and the good ones are read
    assertEquals(1, state.tornLines());
    String u = state.unreadable().get(0);
    assertTrue(
        u.startsWith(
            journal
                + ":"
                + (lines + 1)
                + ": damaged: not valid UTF-8: byte 0xe9 at byte 13 of the line (offset "
                + (good.length + 12)
                + " in the file)"),
        u);
    assertTrue(u.contains("restore the file from a backup"), u);
    assertTrue(u.contains("iconv -f ISO-8859-1 -t UTF-8"), u);
    assertFalse(u.contains("Input length"), u);
    assertEquals(StepStatus.SUCCEEDED, state.checkpoint("h1", "s1").orElseThrow().status());
  }

  @Test
  void aLastLineCutInsideACharacterIsCutShortNotDamaged() throws IOException {
    // given a journal whose last line stops inside a two-byte character (a crash while writing)
    RunStore store = store();
    String id = RunStore.newRunId("p");
    Path journal = runWithOneCheckpoint(store, id);
    byte[] torn = "{\"note\":\"caf\u00e9\"}".getBytes(StandardCharsets.UTF_8);
    Files.write(
        journal, java.util.Arrays.copyOf(torn, 13), java.nio.file.StandardOpenOption.APPEND);
    // when it is loaded, then that line is the torn one
    RunState state = store.load(id);
    assertEquals(
        List.of(
            journal
                + ":"
                + Files.readAllLines(journal, StandardCharsets.ISO_8859_1).size()
                + ": cut short (the controller stopped while writing it)"),
        state.unreadable());
  }

  @Test
  void unreadableLinesAreNamedInLineOrder() throws IOException {
    // given a line of damaged JSON before a line that is not UTF-8
    RunStore store = store();
    String id = RunStore.newRunId("p");
    Path journal = runWithOneCheckpoint(store, id);
    byte[] good = Files.readAllBytes(journal);
    ByteArrayOutputStream edited = new ByteArrayOutputStream();
    edited.write(good);
    edited.write("{\"checkpoint\": garbage}\n".getBytes(StandardCharsets.US_ASCII));
    edited.write(new byte[] {'{', (byte) 0xFF, '}', '\n'});
    edited.write(good);
    Files.write(journal, edited.toByteArray());
    // when it is loaded, then the damaged lines are named in the journal's order
    List<String> unreadable = store.load(id).unreadable();
    assertEquals(2, unreadable.size(), unreadable.toString());
    assertTrue(unreadable.get(0).contains("damaged: ") && !unreadable.get(0).contains("UTF-8"));
    assertTrue(unreadable.get(1).contains("not valid UTF-8: byte 0xff"), unreadable.get(1));
  }

  @Test
  void aJournalThatIsAFifoIsRefusedNotWaitedOn() throws Exception {
    // given a run whose journal.jsonl is a FIFO with no writer
    RunStore store = store();
    String id = RunStore.newRunId("p");
    Path journal = runWithOneCheckpoint(store, id);
    Files.delete(journal);
    mkfifo(journal);
    // when it is loaded (as status RUN, resume and open do), then it is refused at once, named
    InputException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(20), () -> assertThrows(InputException.class, () -> store.load(id)));
    assertTrue(e.getMessage().startsWith(journal + " is not a regular file"), e.getMessage());
    assertTrue(e.hint().contains(store.runDir(id).toString()), e.hint());
    assertThrows(InputException.class, () -> store.open(id));
  }

  @Test
  void aJournalThatIsAFolderIsRefusedNamed() throws IOException {
    RunStore store = store();
    String id = RunStore.newRunId("p");
    Path journal = runWithOneCheckpoint(store, id);
    Files.delete(journal);
    Files.createDirectory(journal);
    InputException e = assertThrows(InputException.class, () -> store.load(id));
    assertTrue(e.getMessage().startsWith(journal + " is a folder"), e.getMessage());
  }

  @Test
  void aJournalLargerThanTheControllerCanReadIsRefusedBeforeItIsRead() throws IOException {
    // given a journal of 4 KiB and a controller that may read 1 KiB (an attack's 3 GB journal
    // ended in an OutOfMemoryError: the bound is a quarter of the heap)
    Path journal = dir.resolve("journal.jsonl");
    Files.writeString(journal, "{}\n".repeat(1365));

    // when read, then refused with its size and what to do, nothing read
    InputException e =
        assertThrows(
            InputException.class,
            () -> JournalFile.lines(journal, new java.util.HashMap<>(), 1024));
    assertTrue(
        e.getMessage().contains(journal + " is 4095 bytes, more than this controller"),
        e.getMessage());
    assertTrue(e.hint().contains("ORCHESTRATOR_JAVA_OPTS=-Xmx"), e.hint());
    assertEquals(1365, JournalFile.lines(journal, new java.util.HashMap<>(), 4096).size());
  }

  /** Makes a FIFO with {@code mkfifo}; the test is skipped only where there is none. */
  public static void mkfifo(Path path) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start();
    } catch (IOException e) {
      Assumptions.abort("no mkfifo on this machine: " + e.getMessage());
      return;
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), "mkfifo: " + out);
  }
}
