package dev.orchestrator.state.postgres;

import dev.orchestrator.state.SharedRuns;
import dev.orchestrator.state.StateStore;
import dev.orchestrator.state.WorkQueue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The shared side of the PostgreSQL store: work queues, and the runs that need a controller. */
final class PostgresSharedRuns implements SharedRuns {
  private final PostgresStateStore store;

  PostgresSharedRuns(PostgresStateStore store) {
    this.store = store;
  }

  @Override
  public WorkQueue queue(String runId, String controller) {
    return new PostgresWorkQueue(store, StateStore.checkRunId(runId), controller);
  }

  @Override
  public List<String> runsWithWork() {
    return runIds(
        "SELECT DISTINCT w.run_id FROM work_items w JOIN runs r ON r.id = w.run_id"
            + " WHERE r.status = 'RUNNING' AND (w.state = 'pending'"
            + " OR (w.state = 'claimed' AND w.expires_at < now())) ORDER BY 1");
  }

  @Override
  public List<String> orphanedRuns() {
    return runIds(
        "SELECT c.run_id FROM run_coordinators c JOIN runs r ON r.id = c.run_id"
            + " WHERE r.status = 'RUNNING' AND c.expires_at < now() ORDER BY 1");
  }

  private List<String> runIds(String sql) {
    List<String> out = new ArrayList<>();
    try (Connection c = store.database().getConnection();
        PreparedStatement s = c.prepareStatement(sql);
        ResultSet r = s.executeQuery()) {
      while (r.next()) {
        out.add(r.getString(1));
      }
      return out;
    } catch (SQLException e) {
      throw PostgresPool.unreachable(store.url(), e);
    }
  }
}
