package dev.orchestrator.state.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.orchestrator.common.InputException;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Connecting to a PostgreSQL state store: the HikariCP pool (credentials from the environment or
 * {@code ~/.pgpass}, never from the URL) and the Flyway migration of its schema.
 */
final class PostgresPool {
  /** The pool's size: hosts' pipelines record at once; more wait for a connection. */
  static final int POOL_SIZE = 8;

  private PostgresPool() {}

  /**
   * Opens a connection pool to the database, one connection made at once to check it.
   *
   * @throws InputException when the first connection fails
   */
  static HikariDataSource open(PostgresUrl url, Map<String, String> env) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("orchestrator-state");
    config.setJdbcUrl(url.jdbcUrl());
    config.setUsername(
        url.user()
            .or(() -> Optional.ofNullable(env.get("PGUSER")).filter(u -> !u.isEmpty()))
            .orElse(System.getProperty("user.name")));
    String password = env.get("PGPASSWORD");
    if (password != null && !password.isEmpty()) {
      config.setPassword(password); // in memory only; never in a URL, a message or a run
    }
    url.parameters().forEach(config::addDataSourceProperty);
    if (!url.parameters().containsKey("ApplicationName")) {
      config.addDataSourceProperty("ApplicationName", "orchestrator");
    }
    config.setMaximumPoolSize(POOL_SIZE);
    config.setMinimumIdle(1);
    config.setConnectionTimeout(10_000);
    config.setAutoCommit(true);
    try {
      return new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw unreachable(url, e);
    }
  }

  /**
   * Creates or migrates the schema to this version's; a no-op when it is current.
   *
   * @throws InputException when the migration fails (e.g. the user may not create tables)
   */
  static void migrate(DataSource database, PostgresUrl url) {
    if (current(database)) {
      return; // every command opens the store: Flyway (its start costs ~0.3 s) only when needed
    }
    try {
      Flyway.configure()
          .dataSource(database)
          .locations("classpath:db/migration")
          .table("orchestrator_schema_history")
          .load()
          .migrate();
    } catch (RuntimeException e) {
      throw new InputException(
          "cannot create or update the state schema in " + url + ": " + rootMessage(e),
          "the database's user must own it (createdb -O USER DB); this version's schema may be"
              + " newer than the program's: use a newer orchestrator then");
    }
  }

  /**
   * The newest migration (the highest {@code V<n>__} of {@code db/migration}); {@code
   * PostgresPoolTest} checks that it is.
   */
  static final int SCHEMA_VERSION = 2;

  /** Whether the schema is this version's already (any error: let Flyway decide). */
  static boolean current(DataSource database) {
    try (java.sql.Connection c = database.getConnection();
        java.sql.PreparedStatement s =
            c.prepareStatement(
                "SELECT max(version::integer) FROM orchestrator_schema_history"
                    + " WHERE success AND version IS NOT NULL")) {
      try (java.sql.ResultSet r = s.executeQuery()) {
        return r.next() && r.getInt(1) == SCHEMA_VERSION;
      }
    } catch (java.sql.SQLException | RuntimeException e) {
      return false;
    }
  }

  static InputException unreachable(PostgresUrl url, Exception e) {
    return new InputException(
        "cannot connect to the state database " + url + ": " + rootMessage(e),
        "check that the server runs and accepts this machine, the user, and the password in"
            + " PGPASSWORD or ~/.pgpass (HOST:PORT:DATABASE:USER:PASSWORD, mode 0600)");
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
