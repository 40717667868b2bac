package dev.orchestrator.state.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A run's recorded event stream on its way to PostgreSQL: appended lines are sent in batches, at
 * most {@link #DELAY} after being appended, by the store's event writer (one transaction per batch,
 * committed without waiting for the server's disk, in the order appended), so that no host's
 * pipeline waits for its events. {@link #send} sends what is left (the recorder's close, the
 * journal's). A batch the database refuses past the outage budget is dropped: the stream is then
 * short of it; the journal, which resume relies on, is written and waited for separately.
 */
final class PostgresEvents {
  /** How long an appended event may wait to be sent with the next ones. */
  static final Duration DELAY = Duration.ofMillis(50);

  private final PostgresStateStore store;
  private final String runId;
  private final List<String> unsent = new ArrayList<>(); // guarded by itself
  private boolean scheduled; // guarded by unsent
  private final Object sender = new Object();

  PostgresEvents(PostgresStateStore store, String runId) {
    this.store = store;
    this.runId = runId;
  }

  /**
   * Appends one event line, sent soon.
   *
   * @throws IllegalArgumentException for a line with a line break
   */
  void append(String line) {
    if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("an event is one line");
    }
    synchronized (unsent) {
      unsent.add(line);
      if (!scheduled) {
        scheduled = true;
        store.eventWriter().schedule(this::send, DELAY.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
  }

  /** Sends the lines appended so far, in order; one sender at a time. */
  void send() {
    synchronized (sender) {
      List<String> batch;
      synchronized (unsent) {
        batch = new ArrayList<>(unsent);
        unsent.clear();
        scheduled = false;
      }
      if (batch.isEmpty()) {
        return;
      }
      try {
        store
            .outages()
            .write(
                "events of run " + runId,
                () -> {
                  try (Connection c = store.database().getConnection()) {
                    PostgresRunJournal.relaxed(
                        c,
                        () -> {
                          try (PreparedStatement s =
                              c.prepareStatement(
                                  "INSERT INTO events (run_id, line) VALUES (?, ?)")) {
                            for (String line : batch) {
                              s.setString(1, runId);
                              s.setString(2, line);
                              s.addBatch();
                            }
                            s.executeBatch();
                          }
                        });
                  }
                  return null;
                });
      } catch (RuntimeException e) {
        // the recorded stream is short of this batch (see the class comment)
      }
    }
  }
}
