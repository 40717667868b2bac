package dev.orchestrator.state.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import dev.orchestrator.common.ErrorKind;
import dev.orchestrator.common.InputException;
import dev.orchestrator.common.OrchestratorException;
import dev.orchestrator.state.Checkpoint;
import dev.orchestrator.state.GateRecord;
import dev.orchestrator.state.HostRecord;
import dev.orchestrator.state.Json;
import dev.orchestrator.state.LeaseRecord;
import dev.orchestrator.state.RunInfo;
import dev.orchestrator.state.RunJournal;
import dev.orchestrator.state.RunSpec;
import dev.orchestrator.state.RunState;
import dev.orchestrator.state.RunStatus;
import dev.orchestrator.state.StateStore;
import dev.orchestrator.state.StoredLog;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A {@link StateStore} in a PostgreSQL database, shared by every controller that has its URL: runs
 * (their info, the spec included, as JSON), their journal (one row per record, committed before
 * {@link RunJournal}'s methods return: the write-ahead rule), their events and their step logs (in
 * chunks, so {@code logs -f} follows a step from any machine). The schema is created and migrated
 * by Flyway ({@code src/main/resources/db/migration}) when a store opens; Flyway's lock makes
 * controllers that start at once migrate it once. Connections come from a HikariCP pool, closed by
 * {@link #close}.
 *
 * <p>A run's state is the latest record of each (kind, host or gate, step), in the order each was
 * first recorded, as the file store's {@link StateStore#load} returns it. Names are never spliced
 * into SQL: every value is a statement parameter.
 *
 * <p>Why one class of over 400 lines: it is the {@link StateStore} contract for PostgreSQL, one
 * method per operation of the contract, each one SQL statement and its mapping; the journal, the
 * shared runs and the work queue are already classes of their own.
 */
public final class PostgresStateStore implements StateStore {
  static final ObjectMapper JSON = Json.mapper();

  private final DataSource database;
  private final PostgresUrl url;
  private final Clock clock;
  private final AutoCloseable owned;
  private final Outages outages;
  private java.util.concurrent.ScheduledExecutorService eventWriter; // guarded by this

  /**
   * A store over a pool that is migrated already.
   *
   * @param database the pool
   * @param url where it is (for messages and log locations)
   * @param clock the clock of {@link RunInfo#createdAt()}
   * @param owned closed by {@link #close} (the pool when the store made it), or a no-op
   */
  PostgresStateStore(DataSource database, PostgresUrl url, Clock clock, AutoCloseable owned) {
    this.database = Objects.requireNonNull(database, "database");
    this.url = Objects.requireNonNull(url, "url");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.owned = Objects.requireNonNull(owned, "owned");
    this.outages = new Outages(url.toString(), Outages.budget(System.getenv()));
  }

  /**
   * Connects to the database, creates or migrates its schema, and returns the store.
   *
   * @param url the database
   * @param env the environment: {@code PGPASSWORD} (else pgjdbc reads {@code PGPASSFILE} or {@code
   *     ~/.pgpass}), {@code PGUSER} when the URL names no user
   * @throws InputException when the database cannot be reached or refuses the login or the
   *     migration (nothing was written then), saying what to check
   */
  public static PostgresStateStore open(PostgresUrl url, Map<String, String> env) {
    return open(url, env, Clock.systemUTC());
  }

  /**
   * As {@link #open(PostgresUrl, Map)}, with the clock of new runs' creation times.
   *
   * @throws InputException as there
   */
  public static PostgresStateStore open(PostgresUrl url, Map<String, String> env, Clock clock) {
    HikariDataSource pool = PostgresPool.open(url, env);
    try {
      PostgresPool.migrate(pool, url);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    return new PostgresStateStore(pool, url, clock, pool);
  }

  /** {@inheritDoc} Several controllers share this store's runs. */
  @Override
  public Optional<dev.orchestrator.state.SharedRuns> shared() {
    return Optional.of(new PostgresSharedRuns(this));
  }

  /** Returns the URL, e.g. {@code postgresql://ops@db:5432/orchestrator}; never a password. */
  @Override
  public String location() {
    return url.toString();
  }

  /**
   * {@inheritDoc}
   *
   * <p>The schema is there and this user may add runs to it.
   */
  @Override
  public void checkUsable() {
    try (Connection c = database.getConnection();
        PreparedStatement s =
            c.prepareStatement("SELECT has_table_privilege(current_user, 'runs', 'INSERT')");
        ResultSet r = s.executeQuery()) {
      if (!r.next() || !r.getBoolean(1)) {
        throw new InputException(
            "the user of " + url + " may not add runs to it",
            "grant it INSERT, UPDATE and SELECT on the state tables, or use the database's owner");
      }
    } catch (SQLException e) {
      throw PostgresPool.unreachable(url, e);
    }
  }

  @Override
  public RunJournal create(String id, String playbookName, RunSpec spec) {
    StateStore.checkRunId(id);
    checkUsable();
    Instant now = clock.instant();
    RunInfo info =
        new RunInfo(
            id, playbookName, spec, RunStatus.RUNNING, "", now, now, ProcessHandle.current().pid());
    try (Connection c = database.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO runs (id, playbook_name, status, created_at, updated_at, info)"
                    + " VALUES (?, ?, ?, ?, ?, ?::json) ON CONFLICT (id) DO NOTHING")) {
      s.setString(1, id);
      s.setString(2, playbookName);
      s.setString(3, info.status().name());
      s.setTimestamp(4, Timestamp.from(now));
      s.setTimestamp(5, Timestamp.from(now));
      s.setString(6, json(info));
      if (s.executeUpdate() != 1) {
        throw new InputException(
            "a run '" + id + "' is in the state store " + location() + " already",
            "start the run again: it gets a new id");
      }
    } catch (SQLException e) {
      throw new InputException(
          "cannot create the run in the state store " + location() + ": " + e.getMessage(),
          "check that the database accepts writes from this user");
    }
    return new PostgresRunJournal(this, info);
  }

  @Override
  public RunJournal open(String runId) {
    return new PostgresRunJournal(this, load(runId).info());
  }

  /**
   * {@inheritDoc}
   *
   * <p>A record this version cannot read (a newer version's) is skipped and counted as a torn line.
   */
  @Override
  public RunState load(String runId) {
    StateStore.checkRunId(runId);
    try (Connection c = database.getConnection()) {
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ); // one snapshot
      try {
        Optional<RunInfo> info = info(c, runId);
        if (info.isEmpty()) {
          c.rollback();
          throw noSuchRun(runId);
        }
        Map<String, Map<String, Checkpoint>> checkpoints = new LinkedHashMap<>();
        Map<String, HostRecord> hosts = new LinkedHashMap<>();
        Map<String, GateRecord> gates = new LinkedHashMap<>();
        Map<String, LeaseRecord> leases = new LinkedHashMap<>();
        int unreadable = 0;
        try (PreparedStatement s =
            c.prepareStatement(
                "SELECT kind, entry::text FROM ("
                    + " SELECT kind, entry,"
                    + "  min(seq) OVER (PARTITION BY kind, subject, step) AS first,"
                    + "  row_number() OVER (PARTITION BY kind, subject, step ORDER BY seq DESC)"
                    + "   AS latest"
                    + " FROM journal WHERE run_id = ? AND kind <> 'override') j"
                    + " WHERE latest = 1 ORDER BY first")) {
          s.setString(1, runId);
          try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
              String entry = r.getString(2);
              try {
                switch (JournalKind.of(r.getString(1))) {
                  case CHECKPOINT -> {
                    Checkpoint cp = JSON.readValue(entry, Checkpoint.class);
                    checkpoints
                        .computeIfAbsent(cp.host(), h -> new LinkedHashMap<>())
                        .put(cp.stepId(), cp);
                  }
                  case HOST -> {
                    HostRecord h = JSON.readValue(entry, HostRecord.class);
                    hosts.put(h.host(), h);
                  }
                  case GATE -> {
                    GateRecord g = JSON.readValue(entry, GateRecord.class);
                    gates.put(g.gate(), g);
                  }
                  case LEASE -> {
                    LeaseRecord l = JSON.readValue(entry, LeaseRecord.class);
                    leases.put(l.host(), l);
                  }
                  case OVERRIDE -> {
                    // in the run's spec already
                  }
                }
              } catch (JsonProcessingException | IllegalArgumentException e) {
                unreadable++;
              }
            }
          }
        }
        c.commit();
        return new RunState(info.get(), checkpoints, hosts, gates, leases, unreadable);
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw readFailure("run " + runId, e);
    }
  }

  private Optional<RunInfo> info(Connection c, String runId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT info::text FROM runs WHERE id = ?")) {
      s.setString(1, runId);
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          return Optional.empty();
        }
        try {
          return Optional.of(JSON.readValue(r.getString(1), RunInfo.class));
        } catch (JsonProcessingException e) {
          throw new OrchestratorException(
              ErrorKind.BUG,
              "cannot read run " + runId + " from " + location() + ": " + e.getOriginalMessage(),
              "its row in the runs table is not a run's info: was it edited by hand?",
              e);
        }
      }
    }
  }

  private InputException noSuchRun(String runId) {
    List<String> known = list().stream().map(RunInfo::id).limit(5).toList();
    return new dev.orchestrator.common.NotFoundException(
        "there is no run '" + runId + "' in the state store " + location(),
        known.isEmpty()
            ? "no runs are stored there; pass --state if the runs are elsewhere"
            : "recent runs: " + String.join(", ", known) + " (see: orchestrator status)");
  }

  @Override
  public List<RunInfo> list() {
    List<RunInfo> out = new ArrayList<>();
    try (Connection c = database.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT info::text FROM runs");
        ResultSet r = s.executeQuery()) {
      while (r.next()) {
        try {
          out.add(JSON.readValue(r.getString(1), RunInfo.class));
        } catch (JsonProcessingException e) {
          // a row that is not a run's info is left out, as an unreadable run.json is
        }
      }
    } catch (SQLException e) {
      throw readFailure("the runs", e);
    }
    out.sort(Comparator.comparing(RunInfo::createdAt).thenComparing(RunInfo::id).reversed());
    return out;
  }

  @Override
  public List<String> events(String runId) {
    return events(runId, 0);
  }

  @Override
  public List<String> events(String runId, int from) {
    StateStore.checkRunId(runId);
    List<String> out = new ArrayList<>();
    try (Connection c = database.getConnection();
        PreparedStatement s =
            c.prepareStatement("SELECT line FROM events WHERE run_id = ? ORDER BY seq OFFSET ?")) {
      s.setString(1, runId);
      s.setInt(2, Math.max(0, from));
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(r.getString(1));
        }
      }
    } catch (SQLException e) {
      throw readFailure("the events of run " + runId, e);
    }
    return out;
  }

  @Override
  public Optional<StoredLog> log(String runId, String name) {
    StateStore.checkRunId(runId);
    StateStore.checkLogName(name);
    try (Connection c = database.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT size, modified_at FROM step_logs WHERE run_id = ? AND name = ?")) {
      s.setString(1, runId);
      s.setString(2, name);
      try (ResultSet r = s.executeQuery()) {
        return r.next()
            ? Optional.of(new StoredLog(name, r.getLong(1), r.getTimestamp(2).toInstant()))
            : Optional.empty();
      }
    } catch (SQLException e) {
      throw readFailure("the log " + name + " of run " + runId, e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>The bytes are read at once (a step log is small); the stream holds no connection.
   */
  @Override
  public InputStream readLog(String runId, String name, long offset) throws IOException {
    StateStore.checkRunId(runId);
    StateStore.checkLogName(name);
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be >= 0: " + offset);
    }
    return StepLogRows.read(database, runId, name, offset, logLocation(runId, name));
  }

  /**
   * Returns {@code <URL without its parameters>/runs/<run>/<name>}: not a file, but it names the
   * store, the run and the log ({@code orchestrator logs} prints it).
   */
  @Override
  public String logLocation(String runId, String name) {
    StateStore.checkRunId(runId);
    StateStore.checkLogName(name);
    String where = location();
    int q = where.indexOf('?');
    return (q < 0 ? where : where.substring(0, q)) + "/runs/" + runId + "/" + name;
  }

  /** Returns empty: runs are in the database, not in a folder of this machine. */
  @Override
  public Optional<Path> localDir(String runId) {
    StateStore.checkRunId(runId);
    return Optional.empty();
  }

  /** Closes the connection pool when the store opened it. */
  @Override
  public void close() {
    synchronized (this) {
      if (eventWriter != null) {
        eventWriter.shutdownNow();
      }
    }
    try {
      owned.close();
    } catch (Exception e) {
      // closing a pool only fails on a broken connection, which is gone with it
    }
  }

  /** {@inheritDoc} Said when a write starts waiting for the database, and when it is back. */
  @Override
  public void onOutage(java.util.function.Consumer<String> notice) {
    outages.noticesTo(notice);
  }

  /**
   * The thread that sends the journals' events in batches; made on first use, closed with the
   * store.
   */
  synchronized java.util.concurrent.ScheduledExecutorService eventWriter() {
    if (eventWriter == null) {
      eventWriter =
          java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "state-event-writer");
                t.setDaemon(true);
                return t;
              });
    }
    return eventWriter;
  }

  Outages outages() {
    return outages;
  }

  PostgresUrl url() {
    return url;
  }

  DataSource database() {
    return database;
  }

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a state record is always serialisable", e);
    }
  }

  private OrchestratorException readFailure(String what, SQLException e) {
    return new OrchestratorException(
        ErrorKind.BUG,
        "cannot read " + what + " from the state store " + location() + ": " + e.getMessage(),
        "check that the database server runs and accepts this machine",
        e);
  }
}
