package dev.orchestrator.state.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.orchestrator.common.ErrorKind;
import dev.orchestrator.common.OrchestratorException;
import dev.orchestrator.state.WorkQueue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A run's {@link WorkQueue} in PostgreSQL (tables {@code run_coordinators} and {@code work_items},
 * migration V2). Claims lock rows with {@code SELECT … FOR UPDATE SKIP LOCKED}, so controllers
 * claiming at the same moment never wait for each other nor claim one host twice; every lease is
 * {@code now() + TTL} on the database's clock, compared with the database's {@code now()}.
 */
final class PostgresWorkQueue implements WorkQueue {
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

  private final PostgresStateStore store;
  private final String runId;
  private final String controller;

  PostgresWorkQueue(PostgresStateStore store, String runId, String controller) {
    this.store = Objects.requireNonNull(store, "store");
    this.runId = Objects.requireNonNull(runId, "runId");
    this.controller = Objects.requireNonNull(controller, "controller");
  }

  @Override
  public String runId() {
    return runId;
  }

  @Override
  public String controller() {
    return controller;
  }

  @Override
  public Optional<String> takeCoordination(Duration ttl) {
    String sql =
        "INSERT INTO run_coordinators (run_id, controller, renewed_at, expires_at)"
            + " VALUES (?, ?, now(), now() + ? * interval '1 millisecond')"
            + " ON CONFLICT (run_id) DO UPDATE SET controller = EXCLUDED.controller,"
            + " renewed_at = now(), expires_at = EXCLUDED.expires_at"
            + " WHERE run_coordinators.controller = EXCLUDED.controller"
            + " OR run_coordinators.expires_at < now()";
    try (Connection c = store.database().getConnection()) {
      try (PreparedStatement s = c.prepareStatement(sql)) {
        s.setString(1, runId);
        s.setString(2, controller);
        s.setLong(3, ttl.toMillis());
        if (s.executeUpdate() == 1) {
          return Optional.empty();
        }
      }
      Optional<String> holder = otherCoordinator(c);
      return holder.isPresent() ? holder : takeCoordination(ttl); // released or expired meanwhile
    } catch (SQLException e) {
      throw failure("take the coordination of run " + runId, e);
    }
  }

  @Override
  public Optional<String> otherCoordinator() {
    try (Connection c = store.database().getConnection()) {
      return otherCoordinator(c);
    } catch (SQLException e) {
      throw failure("read who coordinates run " + runId, e);
    }
  }

  private Optional<String> otherCoordinator(Connection c) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT controller, expires_at, extract(epoch FROM now() - renewed_at)::bigint"
                + " FROM run_coordinators WHERE run_id = ? AND controller <> ?"
                + " AND expires_at >= now()")) {
      s.setString(1, runId);
      s.setString(2, controller);
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          return Optional.empty();
        }
        return Optional.of(
            "controller "
                + r.getString(1)
                + " (last heartbeat "
                + r.getLong(3)
                + " s ago; its lease expires at "
                + r.getTimestamp(2).toInstant()
                + " unless renewed)");
      }
    }
  }

  @Override
  public boolean renewCoordination(Duration ttl) {
    return update(
            "UPDATE run_coordinators SET renewed_at = now(),"
                + " expires_at = now() + ? * interval '1 millisecond'"
                + " WHERE run_id = ? AND controller = ?",
            ttl.toMillis(),
            runId,
            controller)
        == 1;
  }

  @Override
  public void releaseCoordination() {
    update("DELETE FROM run_coordinators WHERE run_id = ? AND controller = ?", runId, controller);
  }

  @Override
  public long publish(List<String> hosts, Set<String> rerun) {
    String sql =
        "INSERT INTO work_items (run_id, host, pass, state, claims, rerun, ord)"
            + " VALUES (?, ?, ?, 'pending', 0, ?::json, ?)"
            + " ON CONFLICT (run_id, host) DO UPDATE SET pass = EXCLUDED.pass, ord = EXCLUDED.ord,"
            + " rerun = EXCLUDED.rerun,"
            // a host another controller still works on under a live lease stays its own
            + " state = CASE WHEN work_items.state = 'claimed' AND work_items.expires_at >= now()"
            + " THEN 'claimed' ELSE 'pending' END,"
            + " claims = CASE WHEN work_items.state = 'claimed' AND work_items.expires_at >= now()"
            + " THEN work_items.claims ELSE 0 END,"
            + " outcome = NULL";
    String rerunJson;
    try {
      rerunJson = PostgresStateStore.JSON.writeValueAsString(List.copyOf(rerun));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    return store
        .outages()
        .write(
            "the hosts of a batch of run " + runId,
            () -> {
              try (Connection c = store.database().getConnection()) {
                c.setAutoCommit(false);
                try {
                  long pass;
                  try (PreparedStatement s = c.prepareStatement("SELECT nextval('work_passes')");
                      ResultSet r = s.executeQuery()) {
                    r.next();
                    pass = r.getLong(1);
                  }
                  try (PreparedStatement s = c.prepareStatement(sql)) {
                    int ord = 0;
                    for (String host : hosts) {
                      s.setString(1, runId);
                      s.setString(2, host);
                      s.setLong(3, pass);
                      s.setString(4, rerunJson);
                      s.setInt(5, ord++);
                      s.addBatch();
                    }
                    s.executeBatch();
                  }
                  c.commit();
                  return pass;
                } catch (SQLException | RuntimeException e) {
                  c.rollback();
                  throw e;
                } finally {
                  c.setAutoCommit(true);
                }
              }
            });
  }

  @Override
  public List<Claim> claim(int max, Duration ttl) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1: " + max);
    }
    String sql =
        "UPDATE work_items w SET state = 'claimed', claimed_by = ?, claims = w.claims + 1,"
            + " expires_at = now() + ? * interval '1 millisecond'"
            + " FROM (SELECT host FROM work_items WHERE run_id = ?"
            + " AND (state = 'pending' OR (state = 'claimed' AND expires_at < now()))"
            + " ORDER BY pass, ord LIMIT ? FOR UPDATE SKIP LOCKED) free"
            + " WHERE w.run_id = ? AND w.host = free.host"
            + " RETURNING w.host, w.claims, w.rerun, w.ord";
    List<Object[]> rows =
        store
            .outages()
            .write(
                "a claim on run " + runId,
                () -> {
                  List<Object[]> found = new ArrayList<>();
                  try (Connection c = store.database().getConnection();
                      PreparedStatement s = c.prepareStatement(sql)) {
                    s.setString(1, controller);
                    s.setLong(2, ttl.toMillis());
                    s.setString(3, runId);
                    s.setInt(4, max);
                    s.setString(5, runId);
                    try (ResultSet r = s.executeQuery()) {
                      while (r.next()) {
                        found.add(
                            new Object[] {
                              r.getString(1), r.getInt(2), r.getString(3), r.getInt(4)
                            });
                      }
                    }
                  }
                  return found;
                });
    rows.sort((x, y) -> Integer.compare((Integer) x[3], (Integer) y[3]));
    List<Claim> out = new ArrayList<>();
    for (Object[] row : rows) {
      try {
        List<String> rerun = PostgresStateStore.JSON.readValue((String) row[2], STRINGS);
        out.add(new Claim((String) row[0], (Integer) row[1] == 1, new LinkedHashSet<>(rerun)));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("a work item's rerun list is not a JSON list", e);
      }
    }
    return out;
  }

  @Override
  public Set<String> renew(Collection<String> hosts, Duration ttl) {
    Set<String> lost = new HashSet<>(hosts);
    if (hosts.isEmpty()) {
      return lost;
    }
    try (Connection c = store.database().getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "UPDATE work_items SET expires_at = now() + ? * interval '1 millisecond'"
                    + " WHERE run_id = ? AND host = ANY (?) AND state = 'claimed'"
                    + " AND claimed_by = ? RETURNING host")) {
      s.setLong(1, ttl.toMillis());
      s.setString(2, runId);
      s.setArray(3, c.createArrayOf("text", hosts.toArray()));
      s.setString(4, controller);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          lost.remove(r.getString(1));
        }
      }
      return lost;
    } catch (SQLException e) {
      throw failure("renew the claims on run " + runId, e);
    }
  }

  @Override
  public boolean complete(String host, String outcome) {
    return update(
            "UPDATE work_items SET state = 'done', outcome = ?::json, expires_at = NULL"
                + " WHERE run_id = ? AND host = ? AND state = 'claimed' AND claimed_by = ?",
            outcome,
            runId,
            host,
            controller)
        == 1;
  }

  @Override
  public void releaseAll() {
    update(
        "UPDATE work_items SET state = 'pending', claimed_by = NULL, expires_at = NULL,"
            + " claims = greatest(claims - 1, 0)"
            + " WHERE run_id = ? AND state = 'claimed' AND claimed_by = ?",
        runId,
        controller);
  }

  @Override
  public void release(String host) {
    update(
        "UPDATE work_items SET state = 'pending', claimed_by = NULL, expires_at = NULL,"
            + " claims = greatest(claims - 1, 0)"
            + " WHERE run_id = ? AND host = ? AND state = 'claimed' AND claimed_by = ?",
        runId,
        host,
        controller);
  }

  @Override
  public Map<String, String> outcomes(long pass) {
    return store
        .outages()
        .write(
            "the outcomes of run " + runId,
            () -> {
              Map<String, String> out = new LinkedHashMap<>();
              try (Connection c = store.database().getConnection();
                  PreparedStatement s =
                      c.prepareStatement(
                          "SELECT host, outcome FROM work_items WHERE run_id = ? AND pass = ?"
                              + " AND state = 'done' ORDER BY ord")) {
                s.setString(1, runId);
                s.setLong(2, pass);
                try (ResultSet r = s.executeQuery()) {
                  while (r.next()) {
                    out.put(r.getString(1), r.getString(2));
                  }
                }
              }
              return out;
            });
  }

  private int update(String sql, Object... values) {
    return store
        .outages()
        .write(
            "the shared state of run " + runId,
            () -> {
              try (Connection c = store.database().getConnection();
                  PreparedStatement s = c.prepareStatement(sql)) {
                for (int i = 0; i < values.length; i++) {
                  s.setObject(i + 1, values[i]);
                }
                return s.executeUpdate();
              }
            });
  }

  private OrchestratorException failure(String what, Exception e) {
    return new OrchestratorException(
        ErrorKind.BUG,
        "cannot " + what + " in " + store.location() + ": " + PostgresPool.rootMessage(e),
        "check that the database server runs and accepts this user; the run can be resumed once"
            + " it does",
        e);
  }
}
