package dev.orchestrator.app;

import dev.orchestrator.common.InputException;
import dev.orchestrator.state.RunStore;
import dev.orchestrator.state.StateStore;
import dev.orchestrator.state.postgres.PostgresStateStore;
import dev.orchestrator.state.postgres.PostgresUrl;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where runs are kept, as {@code --state-dir} and {@code --state} (or {@code ORCHESTRATOR_STATE})
 * say: the one place the service builds its {@link StateStore} from.
 *
 * @param folder the state folder on this machine: with no database it holds the runs (the embedded
 *     file store); with one it is the controller's local cache: downloaded artifacts and the HTML
 *     reports ({@code <folder>/reports/<run>/report.html}), which only make sense as local files
 * @param database the PostgreSQL database holding the runs, or empty for the folder
 */
public record StateLocation(Path folder, Optional<PostgresUrl> database) {
  /**
   * Stores opened on databases, one per URL for the life of the process (pools are costly). Not
   * closed by a shutdown hook: hooks run at once, and a run's hook must still record its pause; the
   * connections end with the process.
   */
  private static final Map<PostgresUrl, StateStore> OPENED = new ConcurrentHashMap<>();

  /** Validates the fields. */
  public StateLocation {
    Objects.requireNonNull(folder, "folder");
    Objects.requireNonNull(database, "database");
  }

  /** Runs in a folder (the file store). */
  public static StateLocation folder(Path folder) {
    return new StateLocation(folder, Optional.empty());
  }

  /**
   * A value that starts with a URL scheme ({@code SCHEME:}, RFC 3986: a letter, then letters,
   * digits, {@code +}, {@code -} or {@code .}).
   */
  private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*):");

  /**
   * Reads {@code --state}: a {@code postgresql://} (or {@code postgres://}) URL, or a folder (as
   * {@code --state-dir}). Any other value starting with {@code SCHEME:} ({@code
   * jdbc:postgresql://...}, {@code mysql://...}, {@code file:///...}, also {@code a:b}) is refused
   * as a mistyped URL rather than becoming a folder named like it: a folder whose name has a colon
   * is written {@code ./a:b}.
   *
   * @param folder {@code --state-dir}: the runs' folder, or the local cache with a database
   * @param state {@code --state} (or {@code ORCHESTRATOR_STATE}) if given: empty for the folder
   * @throws dev.orchestrator.common.InputException for a URL that is not one or holds a password,
   *     or a blank value ({@code --state ""}: taken as unset, it silently kept the runs in {@code
   *     folder} where the operator meant another store)
   */
  public static StateLocation of(Path folder, Optional<String> state) {
    if (state.isEmpty()) {
      return folder(folder);
    }
    String value = state.get().strip();
    if (value.isEmpty()) {
      throw new InputException(
          "--state is empty",
          "give postgresql://USER@HOST:PORT/DB for the shared store or a folder, or leave --state"
              + " out to keep the runs in --state-dir ("
              + folder
              + ")");
    }
    Matcher scheme = SCHEME.matcher(value);
    if (!scheme.find()) {
      return folder(Path.of(value));
    }
    String name = scheme.group(1).toLowerCase(Locale.ROOT);
    if (!name.equals("postgresql") && !name.equals("postgres")) {
      throw new InputException(
          "--state "
              + withoutPassword(value)
              + " starts with '"
              + scheme.group(1)
              + ":', which is not a state store orchestrator knows",
          "give postgresql://USER@HOST:PORT/DB (or postgres://...; no 'jdbc:' prefix, the password"
              + " in PGPASSWORD or ~/.pgpass) for the shared store, or a folder; a folder whose"
              + " name has a colon is written with ./ in front (./a:b), or given with --state-dir");
    }
    return new StateLocation(folder, Optional.of(PostgresUrl.parse(value)));
  }

  /** The value with a password between {@code //USER:} and {@code @} masked. */
  private static String withoutPassword(String value) {
    return value.replaceFirst("//([^/@:]*):[^/@]*@", "//$1:***@");
  }

  /**
   * The store: a {@link RunStore} over the folder, or the database's store (connected, its schema
   * migrated, on first use in this process; credentials from {@code PGPASSWORD} or {@code
   * ~/.pgpass}).
   *
   * @throws dev.orchestrator.common.InputException when the database cannot be reached
   */
  StateStore store() {
    if (database.isEmpty()) {
      return new RunStore(folder);
    }
    return OPENED.computeIfAbsent(
        database.get(), url -> PostgresStateStore.open(url, System.getenv()));
  }

  /**
   * The folder a run's HTML report is written to: the run's own folder in the file store, else
   * {@code <folder>/reports/<run>}.
   */
  Path reportDir(StateStore store, String runId) {
    return store
        .localDir(runId)
        .orElseGet(
            () ->
                folder
                    .resolve("reports")
                    .resolve(dev.orchestrator.common.FileNames.segment(runId)));
  }

  /** Where the runs are, as messages name it: the folder, or the database's URL. */
  public String describe() {
    return database.map(PostgresUrl::toString).orElse(folder.toString());
  }
}
