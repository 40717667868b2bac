package dev.orchestrator.state.postgres;

import dev.orchestrator.state.Checkpoint;
import dev.orchestrator.state.GateRecord;
import dev.orchestrator.state.HostRecord;
import dev.orchestrator.state.LeaseRecord;
import dev.orchestrator.state.RunInfo;
import dev.orchestrator.state.RunJournal;
import dev.orchestrator.state.RunSpec;
import dev.orchestrator.state.RunStatus;
import dev.orchestrator.state.SpecOverride;
import dev.orchestrator.state.StateStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.List;

/**
 * The PostgreSQL store's {@link RunJournal}: every record is one row, inserted in its own
 * transaction, committed (with the server's synchronous commit) before the method returns: the
 * write-ahead rule. The run's status and spec are updated in its {@code runs} row; an override and
 * the new spec are committed together. Events and log chunks are committed without waiting for the
 * server's disk ({@code synchronous_commit = off}): the journal, not they, is what resume relies
 * on, and a server crash loses at most their last fraction of a second. Thread-safe.
 */
final class PostgresRunJournal implements RunJournal {
  /** A step log's bytes are sent at every flush, or when this many wait unflushed. */
  static final int CHUNK = 64 * 1024;

  private final PostgresStateStore store;
  private RunInfo info; // guarded by this
  private final PostgresEvents events;

  PostgresRunJournal(PostgresStateStore store, RunInfo info) {
    this.store = store;
    this.info = info;
    this.events = new PostgresEvents(store, info.id());
  }

  @Override
  public synchronized RunInfo info() {
    return info;
  }

  @Override
  public StateStore store() {
    return store;
  }

  @Override
  public void record(Checkpoint checkpoint) {
    insert(JournalKind.CHECKPOINT, checkpoint.host(), checkpoint.stepId(), checkpoint);
  }

  @Override
  public void record(HostRecord record) {
    insert(JournalKind.HOST, record.host(), "", record);
  }

  @Override
  public void record(GateRecord record) {
    insert(JournalKind.GATE, record.gate(), "", record);
  }

  @Override
  public void recordLease(LeaseRecord lease) {
    insert(JournalKind.LEASE, lease.host(), "", lease);
  }

  private void insert(JournalKind kind, String subject, String step, Object record) {
    store
        .outages()
        .write(
            "a " + kind.column() + " record of run " + runId(),
            () -> {
              try (Connection c = store.database().getConnection()) {
                insert(c, kind, subject, step, record);
              }
              return null;
            });
  }

  private void insert(Connection c, JournalKind kind, String subject, String step, Object record)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO journal (run_id, kind, subject, step, entry) VALUES (?, ?, ?, ?, ?::json)")) {
      s.setString(1, runId());
      s.setString(2, kind.column());
      s.setString(3, JournalKind.key(subject));
      s.setString(4, JournalKind.key(step));
      s.setString(5, PostgresStateStore.json(record));
      s.executeUpdate();
    }
  }

  @Override
  public synchronized void override(RunSpec spec, List<SpecOverride> overrides) {
    if (overrides.isEmpty()) {
      return;
    }
    RunInfo changed = info.withSpec(spec);
    store
        .outages()
        .write(
            "the overrides of run " + runId(),
            () -> {
              try (Connection c = store.database().getConnection()) {
                c.setAutoCommit(false);
                try {
                  for (SpecOverride o : overrides) {
                    insert(c, JournalKind.OVERRIDE, o.option(), "", o);
                  }
                  update(c, changed);
                  c.commit();
                } catch (SQLException | RuntimeException e) {
                  c.rollback();
                  throw e;
                } finally {
                  c.setAutoCommit(true);
                }
              }
              return null;
            });
    info = changed;
  }

  @Override
  public synchronized void status(RunStatus status, String reason) {
    RunInfo changed = info.withStatus(status, reason);
    store
        .outages()
        .write(
            "the status of run " + runId(),
            () -> {
              try (Connection c = store.database().getConnection()) {
                update(c, changed);
              }
              return null;
            });
    info = changed;
  }

  private static void update(Connection c, RunInfo info) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE runs SET status = ?, updated_at = ?, info = ?::json WHERE id = ?")) {
      s.setString(1, info.status().name());
      s.setTimestamp(2, Timestamp.from(info.updatedAt()));
      s.setString(3, PostgresStateStore.json(info));
      s.setString(4, info.id());
      if (s.executeUpdate() != 1) {
        throw new SQLException("the run " + info.id() + " is no longer in the runs table");
      }
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Events are sent in batches, shortly after being appended ({@link PostgresEvents}), so that
   * no pipeline waits for them; {@link #flushEvents} and {@link #close} send what is left.
   */
  @Override
  public void appendEvent(String line) {
    events.append(line);
  }

  @Override
  public void flushEvents() {
    events.send();
  }

  /** SQL work that may throw. */
  @FunctionalInterface
  interface Work {
    void run() throws SQLException;
  }

  /** Runs work in a transaction committed without waiting for the server's disk. */
  static void relaxed(Connection c, Work work) throws SQLException {
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      s.execute("SET LOCAL synchronous_commit TO OFF");
      work.run();
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>An older log of the same name is deleted; the new one is empty, readable at once.
   */
  @Override
  public OutputStream openLog(String name) throws IOException {
    StateStore.checkLogName(name);
    try (Connection c = store.database().getConnection()) {
      relaxed(
          c,
          () -> {
            try (PreparedStatement delete =
                    c.prepareStatement("DELETE FROM step_logs WHERE run_id = ? AND name = ?");
                PreparedStatement insert =
                    c.prepareStatement(
                        "INSERT INTO step_logs (run_id, name, size, modified_at)"
                            + " VALUES (?, ?, 0, now())")) {
              delete.setString(1, runId());
              delete.setString(2, name);
              delete.executeUpdate();
              insert.setString(1, runId());
              insert.setString(2, name);
              insert.executeUpdate();
            }
          });
    } catch (SQLException e) {
      throw new IOException("cannot open the log " + name + " in " + store.location(), e);
    }
    return new LogStream(name);
  }

  /** A step log being written: bytes are buffered and sent as a chunk at every flush. */
  private final class LogStream extends OutputStream {
    private final String name;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private long size;
    private boolean closed;

    LogStream(String name) {
      this.name = name;
    }

    @Override
    public synchronized void write(int b) throws IOException {
      open();
      pending.write(b);
      if (pending.size() >= CHUNK) {
        flush();
      }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
      open();
      pending.write(b, off, len);
      if (pending.size() >= CHUNK) {
        flush();
      }
    }

    private void open() throws IOException {
      if (closed) {
        throw new IOException("the log " + name + " is closed");
      }
    }

    @Override
    public synchronized void flush() throws IOException {
      if (pending.size() == 0) {
        return;
      }
      byte[] data = pending.toByteArray();
      try {
        store
            .outages()
            .write(
                "the log " + name,
                () -> {
                  try (Connection c = store.database().getConnection()) {
                    relaxed(
                        c,
                        () -> {
                          try (PreparedStatement chunk =
                                  c.prepareStatement(
                                      "INSERT INTO step_log_chunks (run_id, name, start, data)"
                                          + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING");
                              PreparedStatement grow =
                                  c.prepareStatement(
                                      "UPDATE step_logs SET size = ?, modified_at = now()"
                                          + " WHERE run_id = ? AND name = ?")) {
                            chunk.setString(1, runId());
                            chunk.setString(2, name);
                            chunk.setLong(3, size);
                            chunk.setBytes(4, data);
                            chunk.executeUpdate();
                            grow.setLong(1, size + data.length);
                            grow.setString(2, runId());
                            grow.setString(3, name);
                            grow.executeUpdate();
                          }
                        });
                  }
                  return null;
                });
      } catch (RuntimeException e) {
        throw new IOException("cannot write the log " + name + " in " + store.location(), e);
      }
      size += data.length;
      pending.reset();
    }

    @Override
    public synchronized void close() throws IOException {
      if (closed) {
        return;
      }
      try {
        flush();
      } finally {
        closed = true;
      }
    }
  }

  /** Nothing to release: every call returns its connection to the store's pool. */
  @Override
  public void close() {
    events.send();
  }
}
