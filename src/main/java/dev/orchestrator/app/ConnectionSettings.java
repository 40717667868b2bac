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
 * @param privilege {@code -b}, {@code --become-user}, {@code --become-method}: defaults of an
 *     Ansible play's {@code become*} keywords (on a stored run: when any is given, they replace the
 *     stored ones)
 */
public record ConnectionSettings(
    Optional<Path> knownHosts,
    boolean acceptNewHostKeys,
    boolean execPerStep,
    dev.orchestrator.inventory.ConnectionDefaults defaults,
    dev.orchestrator.common.Privilege privilege) {
  /** Validates the fields. */
  public ConnectionSettings {
    Objects.requireNonNull(knownHosts, "knownHosts");
    Objects.requireNonNull(defaults, "defaults");
    Objects.requireNonNull(privilege, "privilege");
  }

  /** The settings without privilege escalation options. */
  public ConnectionSettings(
      Optional<Path> knownHosts,
      boolean acceptNewHostKeys,
      boolean execPerStep,
      dev.orchestrator.inventory.ConnectionDefaults defaults) {
    this(
        knownHosts,
        acceptNewHostKeys,
        execPerStep,
        defaults,
        dev.orchestrator.common.Privilege.NONE);
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
