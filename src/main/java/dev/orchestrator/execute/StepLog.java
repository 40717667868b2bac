package dev.orchestrator.execute;

import dev.orchestrator.common.Secrets;
import dev.orchestrator.transport.ExecResult;
import dev.orchestrator.transport.OutputListener;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One step attempt's log file, written while the step runs so that {@code orchestrator logs -f}
 * follows it: the command, then each output line with its arrival time and stream, then the exit
 * code and duration. Secret values are masked. Also recognizes the progress lines of the step line
 * protocol ({@code ::progress DONE/TOTAL [MESSAGE]} or {@code ::progress PERCENT% [MESSAGE]},
 * README "Steps that report") and hands them on. A log that cannot be written is skipped: the
 * checkpoint is what matters.
 *
 * <pre>
 * $ the command
 * [2026-11-21T08:50:01.123Z] out: a line of stdout
 * [2026-11-21T08:50:01.130Z] err: a line of stderr
 * --- exit code 0, 12 ms
 * </pre>
 */
final class StepLog implements OutputListener, AutoCloseable {
  /** A step's stdout line that reports progress. */
  static final Pattern PROGRESS =
      Pattern.compile("^::progress\\s+(\\d{1,18})\\s*(?:/\\s*(\\d{1,18})|(%))(?:\\s+(.*))?$");

  /**
   * A progress report parsed from a line.
   *
   * @param done how much is done
   * @param total the whole (100 for a percentage)
   * @param message what the step is doing, or empty
   */
  record Progress(long done, long total, String message) {}

  private final Writer out;
  private final Set<String> secrets;
  private final Consumer<Progress> progress;

  private StepLog(Writer out, Set<String> secrets, Consumer<Progress> progress) {
    this.out = out;
    this.secrets = secrets;
    this.progress = progress;
  }

  /**
   * Opens the log and writes the command.
   *
   * @param log opens the log's stream, e.g. {@code () -> journal.openLog(name)} (the store creates
   *     it readable by its owner only, replacing an older one); a log that cannot be opened is
   *     skipped
   * @param progress receives the step's progress reports
   */
  static StepLog open(
      LogOpener log, String command, Set<String> secrets, Consumer<Progress> progress) {
    Writer w = null;
    try {
      w =
          new java.io.OutputStreamWriter(
              new java.io.BufferedOutputStream(log.open()), StandardCharsets.UTF_8);
      w.write(Secrets.redact("$ " + command, secrets) + "\n");
      w.flush();
    } catch (IOException e) {
      w = null;
    }
    return new StepLog(w, secrets, progress);
  }

  /** Opens a step log's stream ({@link dev.orchestrator.state.RunJournal#openLog}). */
  @FunctionalInterface
  interface LogOpener {
    /**
     * Opens the stream.
     *
     * @throws IOException if it cannot be opened
     */
    OutputStream open() throws IOException;
  }

  /** Parses a progress line, or empty when {@code line} is not one. */
  static Optional<Progress> progress(String line) {
    Matcher m = PROGRESS.matcher(line);
    if (!m.matches()) {
      return Optional.empty();
    }
    long done = Long.parseLong(m.group(1));
    long total = m.group(3) != null ? 100 : Long.parseLong(m.group(2));
    return Optional.of(new Progress(done, total, m.group(4) == null ? "" : m.group(4).strip()));
  }

  /**
   * A line's arrival time, UTC, always with milliseconds ({@code 2026-11-23T18:32:57.000Z}): {@link
   * Instant#toString} drops a zero fraction, which made one line in a thousand a different shape.
   */
  private static final java.time.format.DateTimeFormatter TIMESTAMP =
      java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
          .withZone(java.time.ZoneOffset.UTC);

  @Override
  public void line(Stream stream, String line) {
    if (stream == Stream.STDOUT && line.startsWith("::progress")) {
      progress(line).ifPresent(progress);
    }
    write(
        "["
            + TIMESTAMP.format(Instant.now())
            + "] "
            + (stream == Stream.STDOUT ? "out" : "err")
            + ": "
            + Secrets.redact(line, secrets)
            + "\n");
  }

  /** Writes the lines of a result that did not stream (a re-attached or uploaded step). */
  void replay(ExecResult result) {
    result.stdout().lines().forEach(l -> line(Stream.STDOUT, l));
    result.stderr().lines().forEach(l -> line(Stream.STDERR, l));
  }

  /** Writes the end: exit code (or timeout) and duration. */
  void finish(ExecResult result) {
    write(
        "--- exit code "
            + result.exitCode()
            + (result.timedOut() ? " (timed out)" : "")
            + ", "
            + result.duration().toMillis()
            + " ms\n");
  }

  private synchronized void write(String text) {
    if (out == null) {
      return;
    }
    try {
      out.write(text);
      out.flush();
    } catch (IOException e) {
      // The checkpoint is what matters; a short log shows where writing stopped.
    }
  }

  @Override
  public synchronized void close() {
    if (out != null) {
      try {
        out.close();
      } catch (IOException e) {
        // nothing more to keep
      }
    }
  }
}
