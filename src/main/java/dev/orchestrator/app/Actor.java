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
    return osUser(
        () -> {
          var unix = new com.sun.security.auth.module.UnixSystem();
          return new String[] {unix.getUsername(), Long.toString(unix.getUid())};
        },
        java.nio.file.Files.exists(java.nio.file.Path.of("/proc/self/status")));
  }

  /**
   * {@link #osUser} from a source of the real user's name and id. Where that source is missing on a
   * Unix system (the JVM started with {@code --limit-modules} leaving {@code jdk.security.auth}
   * out, or a trimmed runtime), the {@code user.name} property is no answer: whoever starts the JVM
   * sets it, and an attack on issue 22's fix approved a four-eyes gate as {@code mallory} that way.
   * So the identity is refused instead.
   *
   * @param unix the real user's name and uid, as {@code UnixSystem} gives them
   * @param unixSystem whether this is a Unix system ({@code /proc/self/status} exists)
   * @throws InputException on a Unix system whose JVM cannot tell its real user
   */
  static String osUser(java.util.function.Supplier<String[]> unix, boolean unixSystem) {
    try {
      String[] user = unix.get();
      return user[0] == null || user[0].isBlank() ? "uid-" + user[1] : user[0];
    } catch (LinkageError | RuntimeException e) {
      if (unixSystem) {
        throw new dev.orchestrator.common.InputException(
            "cannot tell which operating-system user runs orchestrator: the JDK module"
                + " jdk.security.auth is not available ("
                + e
                + "), and the user.name property is no identity (anyone starting Java sets it)",
            "run orchestrator on a full JDK 17, without --limit-modules in ORCHESTRATOR_JAVA_OPTS"
                + " or JAVA_TOOL_OPTIONS");
      }
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
