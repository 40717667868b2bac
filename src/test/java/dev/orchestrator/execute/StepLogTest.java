package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.transport.ExecResult;
import dev.orchestrator.transport.OutputListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StepLogTest {
  @TempDir Path dir;

  @Test
  void progressLinesFollowTheDocumentedProtocol() {
    assertEquals(
        Optional.of(new StepLog.Progress(3, 10, "copying apps")),
        StepLog.progress("::progress 3/10 copying apps"));
    assertEquals(
        Optional.of(new StepLog.Progress(3, 10, "")), StepLog.progress("::progress 3 / 10"));
    assertEquals(
        Optional.of(new StepLog.Progress(45, 100, "db")), StepLog.progress("::progress 45% db"));
    assertEquals(Optional.empty(), StepLog.progress("::progress"));
    assertEquals(Optional.empty(), StepLog.progress("::progress three/ten"));
    assertEquals(Optional.empty(), StepLog.progress("progress 3/10"));
  }

  @Test
  void theLogHasTheCommandTimestampedLinesAndTheEndWithSecretsMasked() throws Exception {
    // given a log for a step whose output contains a secret
    Path file = Files.createFile(dir.resolve("s.1.log"));
    List<StepLog.Progress> progress = new ArrayList<>();
    try (StepLog log =
        StepLog.open(
            () -> Files.newOutputStream(file),
            "deploy --token s3cret",
            Set.of("s3cret"),
            progress::add)) {
      // when lines arrive on both streams, one of them a progress report
      log.line(OutputListener.Stream.STDOUT, "::progress 1/2 half");
      log.line(OutputListener.Stream.STDERR, "warning: token s3cret expires");
      log.finish(new ExecResult(0, "", "", Duration.ofMillis(42), false));
    }
    // then the file tells it in order, masked, and the progress was handed on
    List<String> lines = Files.readAllLines(file);
    assertEquals("$ deploy --token ********", lines.get(0));
    assertTrue(
        lines
            .get(1)
            .matches(
                "\\[\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z] out: ::progress 1/2 half"),
        lines.get(1));
    assertTrue(lines.get(2).endsWith("] err: warning: token ******** expires"), lines.get(2));
    assertEquals("--- exit code 0, 42 ms", lines.get(3));
    assertEquals(List.of(new StepLog.Progress(1, 2, "half")), progress);
  }
}
