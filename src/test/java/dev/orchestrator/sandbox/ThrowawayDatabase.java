package dev.orchestrator.sandbox;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A database server of Debian's packages started for one test in a temp folder, and stopped (its
 * folder deleted) on {@link #close}: MariaDB ({@code mariadb-server}) on a free loopback port, or
 * PostgreSQL ({@code postgresql}) on a unix socket, run as {@code nobody} when the tests run as
 * root (PostgreSQL refuses root). Outside CI a test skips when the server is not installed; in CI
 * ({@code CI=true}) it fails, so that CI never passes without running them.
 */
public abstract sealed class ThrowawayDatabase implements AutoCloseable {
  protected final Path dir;

  private ThrowawayDatabase(Path dir) {
    this.dir = dir;
  }

  /**
   * Creates a database owned by a new user with a password, as an admin does for Nextcloud (the
   * admin manual's "Database configuration"), and returns it as the sandbox's config names it.
   *
   * @throws IOException if the server refuses
   */
  public abstract SandboxDatabase.Server createNextcloudDatabase(
      String dbname, String user, String password) throws IOException;

  /** Starts a MariaDB server, or skips (outside CI) / fails (in CI) when it is not installed. */
  public static MariaDb mariaDb() throws IOException {
    Optional<Path> server = firstExecutable("/usr/sbin/mariadbd", "/usr/sbin/mysqld");
    Optional<Path> install =
        firstExecutable("/usr/bin/mariadb-install-db", "/usr/bin/mysql_install_db");
    Optional<Path> client = firstExecutable("/usr/bin/mariadb", "/usr/bin/mysql");
    requireInstalled(
        "MariaDB (mariadbd, mariadb-install-db, mariadb)",
        "mariadb-server mariadb-client",
        server.isPresent() && install.isPresent() && client.isPresent());
    return new MariaDb(
        Files.createTempDirectory("orchestrator-mariadb"),
        server.orElseThrow(),
        install.orElseThrow(),
        client.orElseThrow());
  }

  /** Starts a PostgreSQL server, or skips (outside CI) / fails (in CI) when it is not installed. */
  public static Postgres postgres() throws IOException {
    return new Postgres(Files.createTempDirectory("orchestrator-postgres"), postgresBin(), false);
  }

  /**
   * Starts a PostgreSQL server that also listens on 127.0.0.1 (a free port, {@link
   * Postgres#port()}), for clients that speak TCP only (pgjdbc), or skips / fails as {@link
   * #postgres()} does.
   */
  public static Postgres postgresOnLoopback() throws IOException {
    return new Postgres(Files.createTempDirectory("orchestrator-postgres"), postgresBin(), true);
  }

  /** The newest installed PostgreSQL's bin folder, or skips / fails when there is none. */
  private static Path postgresBin() throws IOException {
    Optional<Path> bin = Optional.empty();
    Path lib = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(lib)) {
      try (Stream<Path> versions = Files.list(lib)) {
        bin =
            versions
                .map(v -> v.resolve("bin"))
                .filter(b -> Files.isExecutable(b.resolve("initdb")))
                .filter(b -> Files.isExecutable(b.resolve("pg_ctl")))
                .max(Comparator.comparing(b -> versionOf(b.getParent())));
      }
    }
    requireInstalled(
        "PostgreSQL (/usr/lib/postgresql/*/bin/initdb, pg_ctl) and psql",
        "postgresql postgresql-client",
        bin.isPresent() && firstExecutable("/usr/bin/psql").isPresent());
    return bin.orElseThrow();
  }

  private static int versionOf(Path dir) {
    try {
      return Integer.parseInt(dir.getFileName().toString());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static void requireInstalled(String what, String packages, boolean installed) {
    if (installed) {
      return;
    }
    String message =
        what + " is not installed: apt-get install " + packages + " (.ci/run installs them)";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      Assertions.fail("in CI the database tests must run: " + message);
    }
    Assumptions.abort("skipped: " + message);
  }

  private static Optional<Path> firstExecutable(String... paths) {
    return Stream.of(paths).map(Path::of).filter(Files::isExecutable).findFirst();
  }

  private static boolean root() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** Runs a command to its end; its output on failure in the exception. */
  static String run(List<String> command, Map<String, String> env) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (p.waitFor() != 0) {
        throw new IOException(String.join(" ", command.subList(0, 1)) + " failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    return out;
  }

  /** The command, as {@code nobody} when the tests run as root. */
  static List<String> unprivileged(List<String> command) {
    if (!root()) {
      return command;
    }
    List<String> c = new ArrayList<>(List.of("runuser", "-u", "nobody", "--"));
    c.addAll(command);
    return c;
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /**
   * A MariaDB server on 127.0.0.1 (a free port) with a root user without password on its socket.
   */
  public static final class MariaDb extends ThrowawayDatabase {
    private final Path client;
    private final Process server;
    private final int port;

    private MariaDb(Path dir, Path serverBinary, Path install, Path client) throws IOException {
      super(dir);
      this.client = client;
      List<String> user = root() ? List.of("--user=root") : List.of();
      List<String> init =
          new ArrayList<>(
              List.of(
                  install.toString(),
                  "--no-defaults",
                  "--datadir=" + dir.resolve("data"),
                  "--auth-root-authentication-method=normal",
                  "--skip-test-db"));
      init.addAll(user);
      run(init, Map.of());
      Process started = null;
      int bound = 0;
      String log = "";
      // a port free a moment ago can be taken before the server binds it: then another one
      for (int attempt = 0; attempt < 5 && started == null; attempt++) {
        try (java.net.ServerSocket probe =
            new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
          bound = probe.getLocalPort();
        }
        List<String> command =
            new ArrayList<>(
                List.of(
                    serverBinary.toString(),
                    "--no-defaults",
                    "--datadir=" + dir.resolve("data"),
                    "--socket=" + socket(),
                    "--port=" + bound,
                    "--bind-address=127.0.0.1",
                    "--skip-name-resolve",
                    "--pid-file=" + dir.resolve("mariadb.pid"),
                    "--log-error=" + dir.resolve("error.log"),
                    "--innodb-buffer-pool-size=16M"));
        command.addAll(user);
        Process p =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile())
                .start();
        if (awaitReady(p)) {
          started = p;
        } else {
          p.destroyForcibly();
          log =
              Files.exists(dir.resolve("error.log"))
                  ? Files.readString(dir.resolve("error.log"))
                  : "";
          if (!log.contains("already in use")) {
            break;
          }
        }
      }
      if (started == null) {
        deleteTree(dir);
        throw new IOException("MariaDB did not start: " + log);
      }
      this.server = started;
      this.port = bound;
    }

    private Path socket() {
      return dir.resolve("mysqld.sock");
    }

    /** Waits (up to a minute) until the server answers on its socket, or has died. */
    private boolean awaitReady(Process p) throws IOException {
      AtomicBoolean answered = new AtomicBoolean();
      try {
        await("MariaDB to answer on its socket")
            .atMost(Duration.ofMinutes(1))
            .pollInterval(Duration.ofMillis(100))
            .until(
                () -> {
                  if (!p.isAlive()) {
                    return true;
                  }
                  try {
                    admin("SELECT 1");
                    answered.set(true);
                    return true;
                  } catch (IOException notYet) {
                    return false;
                  }
                });
      } catch (ConditionTimeoutException timedOut) {
        return false;
      }
      return answered.get();
    }

    /** Runs SQL as MariaDB's root on the socket. */
    public String admin(String sql) throws IOException {
      return run(
          List.of(
              client.toString(),
              "--no-defaults",
              "--socket=" + socket(),
              "--user=root",
              "--batch",
              "--skip-column-names",
              "--execute=" + sql),
          Map.of());
    }

    @Override
    public SandboxDatabase.Server createNextcloudDatabase(
        String dbname, String user, String password) throws IOException {
      String literal = "'" + password.replace("\\", "\\\\").replace("'", "\\'") + "'";
      admin(
          "CREATE DATABASE `"
              + dbname
              + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci;"
              + " CREATE USER '"
              + user
              + "'@'127.0.0.1' IDENTIFIED BY "
              + literal
              + "; GRANT ALL PRIVILEGES ON `"
              + dbname
              + "`.* TO '"
              + user
              + "'@'127.0.0.1';");
      return new SandboxDatabase.Server(
          SandboxDatabase.ServerType.MYSQL, "127.0.0.1:" + port, dbname, user, password);
    }

    @Override
    public void close() throws IOException {
      server.destroy();
      try {
        if (!server.waitFor(1, java.util.concurrent.TimeUnit.MINUTES)) {
          server.destroyForcibly().waitFor();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      deleteTree(dir);
    }
  }

  /**
   * A PostgreSQL server on a unix socket in its folder (port 5432), or also on 127.0.0.1 at a free
   * port ({@link ThrowawayDatabase#postgresOnLoopback}); password authentication for everyone.
   */
  public static final class Postgres extends ThrowawayDatabase {
    private static final String SUPERUSER = "postgres";
    private final Path bin;
    private final String superPassword = "super-" + Long.toHexString(System.nanoTime());
    private final boolean loopback;
    private int port = 5432;
    private boolean portChosen; // a loopback server keeps its port across restarts

    private Postgres(Path dir, Path bin, boolean loopback) throws IOException {
      super(dir);
      this.bin = bin;
      this.loopback = loopback;
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.writeString(dir.resolve("superuser.pw"), superPassword + "\n");
      if (root()) {
        java.nio.file.attribute.UserPrincipal nobody =
            dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Files.setOwner(dir, nobody);
        Files.setOwner(dir.resolve("superuser.pw"), nobody);
      }
      try {
        run(
            unprivileged(
                List.of(
                    bin.resolve("initdb").toString(),
                    "-D",
                    dir.resolve("data").toString(),
                    "-U",
                    SUPERUSER,
                    "--pwfile=" + dir.resolve("superuser.pw"),
                    "--auth-local=scram-sha-256",
                    "--auth-host=scram-sha-256",
                    "--no-locale",
                    "-E",
                    "UTF8",
                    "--no-sync")),
            Map.of());
        start();
      } catch (IOException e) {
        deleteTree(dir);
        throw e;
      }
    }

    /**
     * Starts the server (again, after {@link #stop}) on the same port; on loopback, a port free a
     * moment ago may be taken before the server binds it: then the first start tries another.
     *
     * @throws IOException if it does not start
     */
    public void start() throws IOException {
      if (!loopback) {
        pgCtl("-o", "-k " + dir + " -c listen_addresses= -p 5432 -F", "start");
        return;
      }
      boolean first = !portChosen;
      IOException last = null;
      for (int attempt = 0; attempt < (first ? 5 : 1); attempt++) {
        if (first) {
          try (java.net.ServerSocket probe =
              new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
          }
        }
        try {
          pgCtl("-o", "-k " + dir + " -c listen_addresses=127.0.0.1 -p " + port + " -F", "start");
          portChosen = true;
          return;
        } catch (IOException e) {
          last = e;
        }
      }
      throw last;
    }

    /**
     * Stops the server (fast shutdown: open connections are cut), keeping its data for {@link
     * #start}.
     */
    public void stop() throws IOException {
      pgCtl("-m", "fast", "stop");
    }

    private void pgCtl(String... args) throws IOException {
      List<String> command =
          new ArrayList<>(
              List.of(
                  bin.resolve("pg_ctl").toString(),
                  "-D",
                  dir.resolve("data").toString(),
                  "-l",
                  dir.resolve("server.log").toString(),
                  "-w",
                  "-t",
                  "60"));
      command.addAll(List.of(args));
      run(unprivileged(command), Map.of());
    }

    /** The TCP port on 127.0.0.1 (loopback servers), or 5432 for the socket's name. */
    public int port() {
      return port;
    }

    /** Runs SQL as the superuser in a database. */
    public String admin(String database, String sql) throws IOException {
      return run(
          List.of("psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql),
          Map.of(
              "PGHOST", dir.toString(),
              "PGPORT", Integer.toString(port),
              "PGUSER", SUPERUSER,
              "PGPASSWORD", superPassword,
              "PGDATABASE", database));
    }

    /**
     * Creates a login role with a password and a database it owns (as the README's set-up does).
     *
     * @throws IOException if the server refuses
     */
    public void createDatabase(String dbname, String user, String password) throws IOException {
      admin(
          "postgres",
          "CREATE ROLE \"" + user + "\" LOGIN PASSWORD '" + password.replace("'", "''") + "'");
      admin("postgres", "CREATE DATABASE \"" + dbname + "\" OWNER \"" + user + "\"");
    }

    @Override
    public SandboxDatabase.Server createNextcloudDatabase(
        String dbname, String user, String password) throws IOException {
      // the admin manual's setup: a login role without CREATEDB, owner of its database
      createDatabase(dbname, user, password);
      return new SandboxDatabase.Server(
          SandboxDatabase.ServerType.PGSQL, dir.toString(), dbname, user, password);
    }

    @Override
    public void close() throws IOException {
      try {
        stop();
      } finally {
        deleteTree(dir);
      }
    }
  }
}
