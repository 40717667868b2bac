package dev.orchestrator.app;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How SSH hosts are reached. A new run stores them; on a stored run the ones given override the
 * stored ones (a known_hosts file replaces the stored one, a flag that is set wins), and the
 * override is recorded in the run's journal.
 *
 * @param knownHosts the known_hosts file; empty: {@code ~/.ssh/known_hosts}, or on a stored run the
 *     one it was started with
 * @param acceptNewHostKeys whether the keys of hosts not yet in known_hosts are recorded
 * @param execPerStep whether every step opens its own SSH exec channel instead of sharing one
 *     long-lived shell per host
 * @param defaults {@code -u} and {@code --private-key}: the user and key where the inventory names
 *     none (on a stored run: each one given replaces the stored one)
 */
public record ConnectionSettings(
    Optional<Path> knownHosts,
    boolean acceptNewHostKeys,
    boolean execPerStep,
    dev.orchestrator.inventory.ConnectionDefaults defaults) {
  /** Validates the fields. */
  public ConnectionSettings {
    Objects.requireNonNull(knownHosts, "knownHosts");
    Objects.requireNonNull(defaults, "defaults");
  }

  /** The settings without {@code -u} or {@code --private-key}. */
  public ConnectionSettings(
      Optional<Path> knownHosts, boolean acceptNewHostKeys, boolean execPerStep) {
    this(
        knownHosts,
        acceptNewHostKeys,
        execPerStep,
        dev.orchestrator.inventory.ConnectionDefaults.NONE);
  }

  /** Nothing given: the defaults, or a stored run's settings. */
  public static ConnectionSettings none() {
    return new ConnectionSettings(Optional.empty(), false, false);
  }
}
