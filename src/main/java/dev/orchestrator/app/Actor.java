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

  /** The operating system's user running this process, on this machine. */
  public static Actor local() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "localhost";
    }
    return new Actor(System.getProperty("user.name", "unknown"), "cli", host);
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
