package dev.orchestrator.app;

import java.util.Objects;

/**
 * Who acts on a run, for the record and for approval gates' rules: a user name, the way in and
 * where from.
 *
 * @param name the user: the operating system's user for the CLI, the users file's name for the web
 *     console; compared with a run's starter for {@code distinct_from_starter}
 * @param via {@code cli} or {@code web console}
 * @param from the machine ({@code cli}) or the remote address (web console)
 */
public record Actor(String name, String via, String from) {
  /** Validates the fields. */
  public Actor {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(via, "via");
    Objects.requireNonNull(from, "from");
    if (name.isBlank()) {
      throw new IllegalArgumentException("an actor has a name");
    }
  }

  /**
   * The operating system's user running this process, on this machine: the name of the process's
   * real user id ({@link #osUser}), never the {@code user.name} property, which anyone starting the
   * JVM sets ({@code -Duser.name=alice}).
   */
  public static Actor local() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "localhost";
    }
    return new Actor(osUser(), "cli", host);
  }

  /**
   * The name of this process's real user id, as the system's user database (passwd, or NSS: LDAP,
   * sssd) gives it; {@code uid-N} for an id without a name (a container's arbitrary user).
   *
   * <p>{@code com.sun.security.auth.module.UnixSystem} (JDK module {@code jdk.security.auth}) asks
   * the C library ({@code getuid}, {@code getpwuid_r}) in-process: no system property, environment
   * variable or {@code PATH} lookup ({@code id -un} would be one) can change its answer, and it
   * costs no child process. On a system without it (not Unix) the property is the only name there
   * is.
   */
  public static String osUser() {
    try {
      var unix = new com.sun.security.auth.module.UnixSystem();
      String name = unix.getUsername();
      return name == null || name.isBlank() ? "uid-" + unix.getUid() : name;
    } catch (LinkageError | RuntimeException e) {
      return System.getProperty("user.name", "unknown");
    }
  }

  /** A user of the web console, from a remote address. */
  public static Actor web(String user, String remoteAddress) {
    return new Actor(user, "web console", remoteAddress);
  }

  /**
   * How records show it: {@code ops@laptop} for the CLI (as before), {@code alice (web console,
   * from 10.0.0.5)} for the web console.
   */
  public String describe() {
    return via.equals("cli") ? name + "@" + from : name + " (" + via + ", from " + from + ")";
  }
}
