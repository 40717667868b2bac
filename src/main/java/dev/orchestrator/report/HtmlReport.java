package dev.orchestrator.report;

import dev.orchestrator.state.StateStore;
import dev.orchestrator.state.StoredLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The run report: one self-contained HTML file ({@code report.html} in the run's folder; inline
 * CSS, no script, no network) rendered from the run's recorded event stream ({@code events.jsonl},
 * every invocation of the run) and its step logs. It shows a timeline per host (a Gantt chart of
 * step attempts coloured by outcome, with stage and batch starts and gate waits), a table of hosts
 * with their final state and counts, and each step's log behind a click ({@code <details>}).
 *
 * <p>The events are read back typed ({@link EventJson#read}) and folded by {@link ReportModel}; the
 * page is the Pebble template {@code report/templates/report.peb} (its CSS in {@code style.peb}),
 * autoescaped ({@link Templates}). A line that cannot be read (torn by a crash) and an event or a
 * state this version does not know (a newer version's) are left out; the rest tells the story.
 */
public final class HtmlReport {
  /** The recorded event stream, in the run's folder. */
  public static final String EVENTS = "events.jsonl";

  /** The report, in the run's folder. */
  public static final String FILE = "report.html";

  /** A step's log is embedded up to 64 KiB; the rest is in the log file. */
  static final int MAX_LOG_BYTES = 64 * 1024;

  private static final Templates TEMPLATES = new Templates("report/templates");

  private HtmlReport() {}

  /**
   * Writes {@code report.html} into the run's folder on this machine ({@link StateStore#localDir}),
   * rendered from the run's recorded events and step logs as the store holds them.
   *
   * @param store the state store holding the run
   * @param runId the run
   * @return the report file
   * @throws IOException if the store keeps no folder on this machine, or the report cannot be
   *     written
   * @throws dev.orchestrator.common.InputException if the run id is not one
   */
  public static Path write(StateStore store, String runId) throws IOException {
    Path dir =
        store
            .localDir(runId)
            .orElseThrow(
                () ->
                    new IOException(
                        "the state store "
                            + store.location()
                            + " keeps no folder on this machine to write "
                            + FILE
                            + " into"));
    return write(store, runId, dir);
  }

  /**
   * Writes {@code report.html} into a folder of this machine (for a store that keeps runs
   * elsewhere, e.g. a database), rendered from the run's recorded events and step logs.
   *
   * @param store the state store holding the run
   * @param runId the run
   * @param dir the existing folder to write it into
   * @return the report file
   * @throws IOException if the report cannot be written
   * @throws dev.orchestrator.common.InputException if the run id is not one
   */
  public static Path write(StateStore store, String runId, Path dir) throws IOException {
    List<Event> list = new ArrayList<>();
    for (String line : store.events(runId)) {
      try {
        EventJson.read(line).ifPresent(list::add);
      } catch (IOException unreadable) {
        // a line torn by a crash, or a state of a newer version: the rest still tells the story
      }
    }
    Path out = dir.resolve(FILE);
    Path tmp = dir.resolve(FILE + ".tmp");
    // 0600 like every file of the state folder: the report holds every step's output.
    try (var channel = dev.orchestrator.state.PrivateFiles.openNew(tmp)) {
      java.nio.ByteBuffer bytes =
          java.nio.ByteBuffer.wrap(
              render(runId, list, location -> log(store, runId, location))
                  .getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
    }
    Files.move(
        tmp,
        out,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return out;
  }

  /**
   * Renders the page from the run's events ({@link ReportModel}) with the template {@code
   * report/templates/report.peb}.
   *
   * @param logs a step log's text as the page shows it, by the location its event names
   */
  static String render(
      String runId, List<Event> events, java.util.function.Function<String, String> logs) {
    return TEMPLATES.render("report", ReportModel.of(events).page(runId, logs, Instant.now()));
  }

  /**
   * A step log's text for the page: its first {@link #MAX_LOG_BYTES}, read from the store by the
   * stored name at the end of the location the event names ({@link StateStore#logNameIn}).
   */
  private static String log(StateStore store, String runId, String location) {
    if (location.isEmpty()) {
      return "(no output recorded)";
    }
    Optional<String> name = StateStore.logNameIn(location);
    if (name.isEmpty()) {
      return "(log " + location + " not readable: not a step log of run " + runId + ")";
    }
    String where = store.logLocation(runId, name.get());
    try (java.io.InputStream in = store.readLog(runId, name.get(), 0)) {
      // only what the report shows is read: a step's log may be gigabytes
      byte[] head = in.readNBytes(MAX_LOG_BYTES);
      long size =
          head.length < MAX_LOG_BYTES
              ? head.length // read to its end: no need to ask the store its size
              : store.log(runId, name.get()).map(StoredLog::size).orElse((long) head.length);
      String text = new String(head, StandardCharsets.UTF_8);
      return size <= head.length
          ? text
          : text + "\n[… " + (size - head.length) + " more bytes in " + where + "]";
    } catch (IOException e) {
      return "(log " + where + " not readable: " + e.getMessage() + ")";
    }
  }
}
