package dev.orchestrator.state.postgres;

import dev.orchestrator.common.ErrorKind;
import dev.orchestrator.common.InputException;
import dev.orchestrator.common.OrchestratorException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What the PostgreSQL store does while its database is unreachable (a restart, a failover, a
 * network cut): every write a run makes is retried, with a growing wait (0.1 s to 2 s), until the
 * database answers or the outage budget is spent. Meanwhile the caller waits, so no command is sent
 * to a host whose RUNNING checkpoint is not committed (the write-ahead rule holds through the
 * outage). A write whose commit went unanswered may be written again: a run's state is the latest
 * record per key, so a record written twice changes nothing. Once the budget is spent: {@link
 * ErrorKind#STATE_UNAVAILABLE}, saying how to continue. Only losses of the connection are retried
 * (SQLSTATE class 08, 57P01-57P03, a pool that cannot connect); any other error fails at once.
 */
final class Outages {
  /** The environment variable of the outage budget, in seconds (default 300). */
  static final String BUDGET_VARIABLE = "ORCHESTRATOR_DB_OUTAGE";

  static final Duration DEFAULT_BUDGET = Duration.ofMinutes(5);

  /** A statement, or a few in one connection, that may be retried. */
  @FunctionalInterface
  interface Sql<T> {
    T run() throws SQLException;
  }

  private final String location;
  private final Duration budget;
  private volatile Consumer<String> notices = m -> {};

  /**
   * @param location the database, for messages (never a password)
   * @param budget how long writes wait for the database in all, per write
   */
  Outages(String location, Duration budget) {
    this.location = Objects.requireNonNull(location);
    this.budget = Objects.requireNonNull(budget);
  }

  /**
   * The budget from {@value #BUDGET_VARIABLE}, else {@link #DEFAULT_BUDGET}.
   *
   * @throws InputException when it is not a number of seconds from 0 to 86400
   */
  static Duration budget(java.util.Map<String, String> env) {
    String v = env.get(BUDGET_VARIABLE);
    if (v == null || v.isBlank()) {
      return DEFAULT_BUDGET;
    }
    try {
      double s = Double.parseDouble(v.strip());
      if (s >= 0 && s <= 86_400) {
        return Duration.ofMillis(Math.round(s * 1000));
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new InputException(
        BUDGET_VARIABLE + "='" + v + "' is not a number of seconds between 0 and 86400",
        "set it to e.g. 300 (the default), or unset it");
  }

  /** Where notices go: one when a write starts waiting, one when the database is back. */
  void noticesTo(Consumer<String> sink) {
    notices = Objects.requireNonNull(sink);
  }

  /**
   * Runs {@code sql}, again while the database is unreachable, within the budget.
   *
   * @param what what is written, for messages, e.g. "the checkpoint of h1/upgrade"
   * @throws OrchestratorException {@link ErrorKind#STATE_UNAVAILABLE} once the budget is spent;
   *     {@link ErrorKind#BUG} for any other database error
   */
  <T> T write(String what, Sql<T> sql) {
    long deadline = System.nanoTime() + budget.toNanos();
    long wait = 100;
    boolean waiting = false;
    while (true) {
      try {
        T result = sql.run();
        if (waiting) {
          notices.accept("the state database " + location + " is back: continuing");
        }
        return result;
      } catch (SQLException e) {
        if (!lost(e)) {
          throw new OrchestratorException(
              ErrorKind.BUG,
              "cannot write " + what + " to the state store " + location + ": " + e.getMessage(),
              "check that the database accepts writes from this user; the run can be resumed"
                  + " once it does",
              e);
        }
        if (System.nanoTime() + wait * 1_000_000 > deadline) {
          throw new OrchestratorException(
              ErrorKind.STATE_UNAVAILABLE,
              "the state database "
                  + location
                  + " stayed unreachable for "
                  + budget.toSeconds()
                  + " s while writing "
                  + what
                  + " ("
                  + PostgresPool.rootMessage(e)
                  + "); no further command was sent",
              "once it is back, continue the run from any machine with: orchestrator resume"
                  + " RUN_ID (see: orchestrator status); a longer wait: "
                  + BUDGET_VARIABLE
                  + "=SECONDS",
              e);
        }
        if (!waiting) {
          waiting = true;
          notices.accept(
              "the state database "
                  + location
                  + " is unreachable ("
                  + PostgresPool.rootMessage(e)
                  + "): waiting up to "
                  + budget.toSeconds()
                  + " s for it; no command is sent meanwhile");
        }
        try {
          Thread.sleep(wait);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new OrchestratorException(
              ErrorKind.STATE_UNAVAILABLE,
              "interrupted while waiting for the state database " + location,
              "continue the run with: orchestrator resume RUN_ID",
              ie);
        }
        wait = Math.min(wait * 2, 2000);
      }
    }
  }

  /** Whether the error is the connection's loss, not the statement's. */
  static boolean lost(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientConnectionException || t instanceof SQLRecoverableException) {
        return true;
      }
      if (t instanceof SQLException s && s.getSQLState() != null) {
        String state = s.getSQLState();
        if (state.startsWith("08")
            || state.equals("57P01")
            || state.equals("57P02")
            || state.equals("57P03")) {
          return true;
        }
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
