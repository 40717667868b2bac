package dev.orchestrator.state;

import dev.orchestrator.common.FileNames;
import dev.orchestrator.common.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where runs are kept: their info and spec, their journal (checkpoints, host records, gate
 * decisions, lease changes, overrides, status), their recorded event stream and their step logs.
 * The seam between the engine and its storage: {@link RunStore} keeps runs in a folder (the
 * default, embedded store); a database can implement the same contract (see {@code
 * StateStoreContract} in the tests, which every store must pass) without any file: nothing here
 * assumes a run folder except {@link #localDir}, which a store without one leaves empty.
 *
 * <p>Rules every store keeps: a run id is a {@link #RUN_ID}, checked before anything is read or
 * written; the journal's records are durable when {@link RunJournal}'s methods return (the
 * write-ahead rule: a step's RUNNING checkpoint before its command is sent, its result before the
 * next step); the latest checkpoint of a (host, step) wins on {@link #load}; a log is stored under
 * its {@link #logName}. Implementations are thread-safe.
 *
 * <p>A store may hold resources (the PostgreSQL store's connection pool): whoever opens one closes
 * it ({@link #close}) once done with it and with every journal it opened.
 */
public interface StateStore extends AutoCloseable {
  /**
   * The form of a run id: what {@link #newRunId} makes (letters, digits, {@code . _ -}, starting
   * with a letter or digit, at most 128 characters), so it is a plain folder name or key.
   */
  Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  /**
   * The form of a step log's stored name ({@link #logName}): {@code logs/HOST/STEP.ATTEMPT.log},
   * host and step each one {@link FileNames#segment} (never {@code .}, {@code ..} or containing
   * {@code /}).
   */
  Pattern LOG_NAME =
      Pattern.compile(
          "logs/[A-Za-z0-9_%~-][A-Za-z0-9._%~-]{0,199}/[A-Za-z0-9_%~-][A-Za-z0-9._%~-]{0,199}"
              + "\\.[0-9]{1,10}\\.log");

  /**
   * Makes a new run id, e.g. {@code 20261121-051207-nextcloud-update-3fa2}: sorts by time, reads
   * well in a terminal. Nothing is written.
   *
   * @param playbookName the playbook's name (part of the id)
   * @return a {@link #RUN_ID}
   */
  static String newRunId(String playbookName) {
    String slug =
        playbookName
            .toLowerCase(java.util.Locale.ROOT)
            .replaceAll("[^a-z0-9]+", "-")
            .replaceAll("(^-|-$)", "");
    if (slug.length() > 32) {
      slug = slug.substring(0, 32);
    }
    byte[] rnd = new byte[2];
    new SecureRandom().nextBytes(rnd);
    return DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneId.systemDefault())
            .format(Instant.now())
        + "-"
        + (slug.isEmpty() ? "run" : slug)
        + "-"
        + HexFormat.of().formatHex(rnd);
  }

  /**
   * Checks that a run id has the form of one ({@link #RUN_ID}).
   *
   * @return the run id
   * @throws InputException naming the id and the form
   */
  static String checkRunId(String runId) {
    if (runId == null || !RUN_ID.matcher(runId).matches()) {
      throw new InputException(
          dev.orchestrator.common.Echo.quote(runId) + " is not a run id",
          "a run id is letters, digits, '.', '_' and '-', e.g. 20261121-051207-nextcloud-update-3fa2;"
              + " 'orchestrator status' lists the runs");
    }
    return runId;
  }

  /**
   * Returns the stored name of a step attempt's log, the same in every store (checkpoints record
   * it): {@code logs/<host>/<step>.<attempt>.log}, the host and step encoded by {@link
   * FileNames#segment}, so the name is a {@link #LOG_NAME} whatever the host and step are.
   *
   * @param host the host's inventory name, not empty
   * @param stepId the step id as the engine uses it, not empty
   * @param attempt the 1-based attempt
   * @throws IllegalArgumentException if the host or step is empty or the attempt negative
   */
  static String logName(String host, String stepId, int attempt) {
    if (attempt < 0) {
      throw new IllegalArgumentException("attempt must be >= 0: " + attempt);
    }
    return "logs/"
        + FileNames.segment(host)
        + "/"
        + FileNames.segment(stepId)
        + "."
        + attempt
        + ".log";
  }

  /**
   * Checks that a name is a step log's stored name ({@link #LOG_NAME}) before a store reads or
   * writes it: a name read from a journal or a command line never reaches outside the run.
   *
   * @return the name
   * @throws InputException naming the name and the form
   */
  static String checkLogName(String name) {
    if (name == null || !LOG_NAME.matcher(name).matches()) {
      throw new InputException(
          "'" + name + "' is not the name of a step log",
          "a step log is named logs/HOST/STEP.ATTEMPT.log; 'orchestrator logs RUN_ID --host HOST'"
              + " prints a host's logs");
    }
    return name;
  }

  /**
   * Finds the stored name at the end of a log's location ({@link #logLocation}, as events and
   * status lines show it): the location itself when it is a name, else its last three segments when
   * they form one.
   *
   * @param location a location or a name, e.g. {@code .orchestrator/runs/R/logs/h/s.1.log}
   * @return the stored name, or empty when the location ends with none
   */
  static Optional<String> logNameIn(String location) {
    if (location == null) {
      return Optional.empty();
    }
    if (LOG_NAME.matcher(location).matches()) {
      return Optional.of(location);
    }
    int at = location.lastIndexOf("/logs/");
    String tail = at < 0 ? "" : location.substring(at + 1);
    return LOG_NAME.matcher(tail).matches() ? Optional.of(tail) : Optional.empty();
  }

  /**
   * Where the store is, for messages, e.g. {@code /home/ops/.orchestrator}.
   *
   * @return a description a user recognises; never a secret
   */
  String location();

  /**
   * Checks, writing nothing, that runs can be created in this store.
   *
   * @throws InputException saying what is unusable and what to do
   */
  void checkUsable();

  /**
   * Creates a run (status {@link RunStatus#RUNNING}) and opens its journal. The store is checked
   * first ({@link #checkUsable}), so an unusable one is reported before anything is written.
   *
   * @param id the run id, from {@link #newRunId}
   * @param playbookName the playbook's name
   * @param spec what the run was started with
   * @return the journal to record into; close it when done
   * @throws InputException if the id is not a {@link #RUN_ID} or the store cannot hold the run
   *     (nothing was written then)
   */
  RunJournal create(String id, String playbookName, RunSpec spec);

  /**
   * Opens an existing run's journal to continue it: what is recorded is added to what was.
   *
   * @throws InputException if the id is not a {@link #RUN_ID} or there is no such run
   */
  RunJournal open(String runId);

  /**
   * Loads a run: its info and the latest checkpoint of every (host, step), host record, gate record
   * and lease change, in the order they were first recorded.
   *
   * @throws InputException if the id is not a {@link #RUN_ID} or there is no such run (the hint
   *     names recent runs)
   */
  RunState load(String runId);

  /**
   * Returns every stored run's info, newest first. Unreadable runs are left out: {@link
   * #unreadableRuns} names them.
   */
  List<RunInfo> list();

  /**
   * Where and why stored runs cannot be read (a damaged {@code run.json}), for {@code status} to
   * name them rather than leave them out without a word; empty by default.
   */
  default List<String> unreadableRuns() {
    return List.of();
  }

  /**
   * Returns the run's recorded event stream ({@link RunJournal#appendEvent}), one serialised event
   * per element, in the order they were appended, every invocation of the run included. A line cut
   * short by a crash is returned as it is: the reader skips what it cannot parse.
   *
   * @return the lines; empty when none were recorded
   * @throws InputException if the id is not a {@link #RUN_ID}
   */
  List<String> events(String runId);

  /**
   * Returns the run's events from index {@code from} on (those after the first {@code from}), as
   * {@link #events(String)} orders them: what a follower has not seen yet. A store that can skip
   * without reading the rest (a database) overrides it.
   *
   * @param from how many events the caller has already seen, 0 or more
   * @throws InputException if the id is not a {@link #RUN_ID}
   */
  default List<String> events(String runId, int from) {
    List<String> all = events(runId);
    return from <= 0 ? all : all.subList(Math.min(from, all.size()), all.size());
  }

  /**
   * Describes a stored step log.
   *
   * @param runId the run
   * @param name the log's stored name ({@link #logName}, as in a checkpoint)
   * @return its size and last change, or empty when there is no such log
   * @throws InputException if the id is not a {@link #RUN_ID} or the name not a {@link #LOG_NAME}
   */
  Optional<StoredLog> log(String runId, String name);

  /**
   * Reads a stored step log from a byte offset on (what a running step added since the last look,
   * for {@code logs -f}).
   *
   * @param runId the run
   * @param name the log's stored name
   * @param offset the first byte to read, at least 0
   * @return the bytes from {@code offset} on, as stored when the call is made; close it
   * @throws InputException if the id is not a {@link #RUN_ID} or the name not a {@link #LOG_NAME}
   * @throws IOException if there is no such log or it cannot be read
   */
  InputStream readLog(String runId, String name, long offset) throws IOException;

  /**
   * Where a user finds a stored log, as events ({@code log_file}) and {@code status} show it; it
   * ends with the name ({@link #logNameIn} finds it again). Nothing is read.
   *
   * @throws InputException if the id is not a {@link #RUN_ID} or the name not a {@link #LOG_NAME}
   */
  String logLocation(String runId, String name);

  /**
   * Returns the run's folder on this machine, for what only makes sense as a local file (the HTML
   * report, {@code report.html}); nothing is read or written.
   *
   * @return the folder, or empty for a store that keeps runs elsewhere (a database)
   * @throws InputException if the id is not a {@link #RUN_ID}
   */
  Optional<Path> localDir(String runId);

  /**
   * Returns the store's shared side when several controllers may work on one run (the PostgreSQL
   * store), else empty (the file store: one controller per run).
   */
  default java.util.Optional<SharedRuns> shared() {
    return java.util.Optional.empty();
  }

  /**
   * Sets where the store says that it waits for its database (unreachable during a write) and that
   * it is back; the file store never waits.
   *
   * @param notice receives one line per change
   */
  default void onOutage(java.util.function.Consumer<String> notice) {}

  /**
   * Releases what the store holds (a database store's connections); the store is not used after.
   * The file store holds nothing open between calls: closing it does nothing.
   */
  @Override
  default void close() {}
}
