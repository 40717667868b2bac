package dev.orchestrator.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The database of a simulated Nextcloud instance, as its {@code config.php} names it: SQLite in the
 * data folder (the sandbox's default), or a MySQL/MariaDB or PostgreSQL server that the caller
 * runs. The sandbox's {@code occ upgrade} writes its migrations into it, so a backup and a restore
 * of the update playbook act on a real database.
 */
public sealed interface SandboxDatabase {
  /**
   * Nextcloud's database name when {@code dbname} is not set (ConnectionFactory::DEFAULT_DBNAME).
   */
  String DEFAULT_DBNAME = "owncloud";

  /**
   * The {@code config.php} entries (key → value, in order) that select this database.
   *
   * @return the entries; a value is written as a PHP string
   */
  Map<String, String> configEntries();

  /**
   * SQLite: {@code <datadirectory>/<dbname>.db}, in WAL mode as Nextcloud runs it.
   *
   * @param dbname the {@code dbname} entry; empty for none, so that Nextcloud's default {@code
   *     owncloud} applies
   */
  record Sqlite(Optional<String> dbname) implements SandboxDatabase {
    /**
     * @throws IllegalArgumentException if the name is blank or not a plain file name
     */
    public Sqlite {
      java.util.Objects.requireNonNull(dbname, "dbname");
      dbname.ifPresent(SandboxDatabase::requireName);
    }

    /** The database file's name in the data folder. */
    public String fileName() {
      return dbname.orElse(DEFAULT_DBNAME) + ".db";
    }

    @Override
    public Map<String, String> configEntries() {
      Map<String, String> entries = new LinkedHashMap<>();
      entries.put("dbtype", "sqlite3");
      dbname.ifPresent(n -> entries.put("dbname", n));
      return entries;
    }
  }

  /** The database servers Nextcloud supports besides SQLite. */
  enum ServerType {
    /** MySQL or MariaDB ({@code dbtype: mysql}). */
    MYSQL("mysql"),
    /** PostgreSQL ({@code dbtype: pgsql}). */
    PGSQL("pgsql");

    private final String dbtype;

    ServerType(String dbtype) {
      this.dbtype = dbtype;
    }

    /** The {@code dbtype} value in {@code config.php}. */
    public String dbtype() {
      return dbtype;
    }
  }

  /**
   * A database on a server the caller runs.
   *
   * @param type MySQL/MariaDB or PostgreSQL
   * @param dbhost as in {@code config.php}: {@code HOST}, {@code HOST:PORT}, {@code
   *     HOST:/path/to/socket} or, for PostgreSQL, a socket directory
   * @param dbname the database, which must exist
   * @param user the user Nextcloud connects as (owner of the tables)
   * @param password its password (any characters but a line break)
   */
  record Server(ServerType type, String dbhost, String dbname, String user, String password)
      implements SandboxDatabase {
    /**
     * @throws IllegalArgumentException for a blank or multi-line value
     */
    public Server {
      java.util.Objects.requireNonNull(type, "type");
      requireName(dbname);
      for (String v : List.of(dbhost, user, password)) {
        if (v.isEmpty() || v.contains("\n") || v.contains("\r")) {
          throw new IllegalArgumentException(
              "a database host, user or password must be one non-empty line");
        }
      }
    }

    @Override
    public Map<String, String> configEntries() {
      Map<String, String> entries = new LinkedHashMap<>();
      entries.put("dbtype", type.dbtype());
      entries.put("dbhost", dbhost);
      entries.put("dbname", dbname);
      entries.put("dbuser", user);
      entries.put("dbpassword", password);
      return entries;
    }

    /**
     * Runs SQL as {@link #user}, through the {@code mariadb}/{@code mysql} or {@code psql} client
     * (the password in the client's environment, not on its command line).
     *
     * @param sql one or more statements
     * @return what the client printed (tab-separated rows, no headers)
     * @throws IOException if the client is missing or fails
     */
    public String execute(String sql) throws IOException {
      // dbhost as Nextcloud splits it (lib/private/DB/ConnectionFactory.php,
      // splitHostFromPortAndSocket)
      String host = dbhost;
      String port = "";
      String socket = "";
      Matcher m = Pattern.compile("^(.*):([^\\]:]+)$").matcher(dbhost);
      if (m.matches()) {
        host = m.group(1);
        if (m.group(2).matches("[0-9]+")) {
          port = m.group(2);
        } else {
          socket = m.group(2);
        }
      }
      host = host.replaceFirst("^\\[(.*)]$", "$1");
      List<String> command = new ArrayList<>();
      Map<String, String> env = new LinkedHashMap<>();
      if (type == ServerType.MYSQL) {
        command.add(onPath("mariadb").or(() -> onPath("mysql")).orElse("mysql"));
        if (!host.isEmpty()) {
          command.add("--host=" + host);
        }
        if (!port.isEmpty()) {
          command.add("--port=" + port);
        }
        if (!socket.isEmpty()) {
          command.add("--socket=" + socket);
        }
        command.addAll(
            List.of("--user=" + user, "--batch", "--skip-column-names", "--execute=" + sql, "--"));
        command.add(dbname);
        env.put("MYSQL_PWD", password);
      } else {
        command.addAll(List.of("psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql));
        if (!socket.isEmpty() || !host.isEmpty()) {
          env.put("PGHOST", socket.isEmpty() ? host : socket);
        }
        if (!port.isEmpty()) {
          env.put("PGPORT", port);
        }
        env.put("PGUSER", user);
        env.put("PGPASSWORD", password);
        env.put("PGDATABASE", dbname);
      }
      return run(command, env);
    }
  }

  /**
   * The sandbox's tables with the rows of an instance installed at {@code version}.
   *
   * @param version the installed version, e.g. {@code 27.1.11.0}
   * @return SQL statements for SQLite, MySQL and PostgreSQL alike
   */
  static String schema(String version) {
    return "CREATE TABLE oc_migrations (app VARCHAR(64), version VARCHAR(64));"
        + " CREATE TABLE oc_users (uid VARCHAR(64));"
        + " INSERT INTO oc_migrations VALUES ('core', '"
        + version
        + "'); INSERT INTO oc_users VALUES ('admin');";
  }

  /**
   * Creates the schema of an instance at {@code version} in {@code dataDir}'s or the server's
   * database.
   */
  default void create(Path dataDir, String version) throws IOException {
    if (this instanceof Server s) {
      s.execute(schema(version));
    } else if (this instanceof Sqlite s) {
      Path file = dataDir.resolve(s.fileName());
      Files.deleteIfExists(file);
      run(
          List.of("sqlite3", file.toString(), "PRAGMA journal_mode=WAL; " + schema(version)),
          Map.of());
    }
  }

  private static void requireName(String name) {
    if (name.isEmpty() || name.contains(".") || name.contains("/") || name.contains("\n")) {
      throw new IllegalArgumentException(
          "a database name must be non-empty, without '.', '/' or a line break (Nextcloud refuses"
              + " dots in it): '"
              + name
              + "'");
    }
  }

  private static Optional<String> onPath(String command) {
    for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, command))) {
        return Optional.of(Path.of(d, command).toString());
      }
    }
    return Optional.empty();
  }

  private static String run(List<String> command, Map<String, String> env) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new IOException(
          command.get(0) + " could not be started (is it installed?): " + e.getMessage(), e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (p.waitFor() != 0) {
        throw new IOException(command.get(0) + " failed: " + out.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + command.get(0), e);
    }
    return out;
  }
}
