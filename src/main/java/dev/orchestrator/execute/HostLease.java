package dev.orchestrator.execute;

import dev.orchestrator.template.ShellQuote;
import dev.orchestrator.transport.Connection;
import dev.orchestrator.transport.ExecResult;
import dev.orchestrator.transport.TransportException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A run's lease on a host: the file {@code ~/.orchestrator/lock} on the host, created atomically
 * (noclobber), holding {@code run=… controller=… pid=… acquired=… heartbeat=… ttl=… state=…} (times
 * in epoch seconds of the host's clock). The holder renews the heartbeat while it works; a lease
 * whose heartbeat is older than its TTL is stale. A paused run keeps its lease, marked paused.
 * Nothing is locked forever: a stale lease is taken over when its holder is provably gone, and
 * {@code orchestrator unlock} releases any lease (design.md, "Leases, not locks").
 */
public final class HostLease {
  /** The lock file, relative to the host user's home. */
  static final String PATH = ".orchestrator/lock";

  private final String runId;
  private final String controller;
  private final long pid;
  private final Duration ttl;

  HostLease(String runId, String controller, long pid, Duration ttl) {
    this.runId = runId;
    this.controller = controller;
    this.pid = pid;
    this.ttl = ttl;
  }

  /** The outcome of trying to take a host's lease. */
  sealed interface Result {
    /** The lease is ours (new, ours from an earlier invocation, or a stale one taken over). */
    record Acquired(String note) implements Result {}

    /** Another run holds it. */
    record Refused(String message) implements Result {}
  }

  private String line(String state) {
    return "run="
        + runId
        + " controller="
        + controller
        + " pid="
        + pid
        + " acquired=$now heartbeat=$now ttl="
        + ttl.toSeconds()
        + " state="
        + state;
  }

  /**
   * Takes the lease: atomically creates the lock, or takes it over when it is ours, or stale with
   * its holder provably gone (same controller machine, dead pid), or stale with {@code takeOver}.
   */
  Result acquire(Connection c, String host, boolean takeOver) throws TransportException {
    String create =
        "[ -d \"$HOME/.orchestrator\" ] || mkdir -p \"$HOME/.orchestrator\" || exit 70; "
            + "now=$(date +%s); set -C; "
            + "if { echo \""
            + line("active")
            + "\" > \"$HOME/"
            + PATH
            + "\"; } 2>/dev/null; then echo acquired; exit 0; fi; "
            + "echo \"held now=$now $(cat \"$HOME/"
            + PATH
            + "\")\"";
    ExecResult r = c.exec(create, Optional.of(Duration.ofSeconds(30)));
    String out = r.stdout().strip();
    if (out.equals("acquired")) {
      return new Result.Acquired("");
    }
    Map<String, String> holder = parse(out);
    long now = number(holder.get("now"));
    long heartbeat = number(holder.get("heartbeat"));
    long holderTtl = number(holder.get("ttl"));
    String holderRun = holder.getOrDefault("run", "?");
    String state = holder.getOrDefault("state", "active");
    if (holderRun.equals(runId)) {
      write(c, "active", true);
      return new Result.Acquired("");
    }
    boolean stale = state.equals("active") && now - heartbeat > holderTtl;
    String since = java.time.Instant.ofEpochSecond(number(holder.get("acquired"))).toString();
    String who =
        "run "
            + holderRun
            + " (controller "
            + holder.getOrDefault("controller", "?")
            + ", pid "
            + holder.getOrDefault("pid", "?")
            + ", since "
            + since
            + ", last heartbeat "
            + (now - heartbeat)
            + " s ago, "
            + state
            + ")";
    if (stale) {
      boolean holderGone =
          holder.getOrDefault("controller", "").equals(controller)
              && ProcessHandle.of(number(holder.get("pid"))).map(p -> !p.isAlive()).orElse(true);
      if (holderGone || takeOver) {
        write(c, "active", true);
        return new Result.Acquired(
            "took over the stale lease of "
                + who
                + (holderGone ? ": its controller process is gone" : ": --take-over"));
      }
      return new Result.Refused(
          host
              + " is leased by "
              + who
              + ", whose heartbeat is older than its TTL ("
              + holderTtl
              + " s) but whose controller is another machine: "
              + "make sure that run is not working on it, then rerun with --take-over, or release it with: orchestrator unlock "
              + host
              + " -i INVENTORY");
    }
    return new Result.Refused(
        host
            + " is leased by "
            + who
            + ": continue that run with: orchestrator resume "
            + holderRun
            + ", or stop it with: orchestrator abort "
            + holderRun
            + ", or release the host with: orchestrator unlock "
            + host
            + " -i INVENTORY");
  }

  /**
   * Renews the heartbeat (active) or marks the lease paused. Without {@code force} it only touches
   * a lease that is still ours (an operator may have unlocked the host and another run taken it).
   */
  void write(Connection c, String state, boolean force) throws TransportException {
    c.exec(
        "now=$(date +%s); f=\"$HOME/"
            + PATH
            + "\"; "
            + "if [ -f \"$f\" ] && grep -q "
            + ShellQuote.quote("^run=" + runId + " ")
            + " \"$f\"; then acquired=$(sed -n 's/.* acquired=\\([0-9]*\\).*/\\1/p' \"$f\"); "
            + "echo \""
            + line(state).replace("acquired=$now", "acquired=${acquired:-$now}")
            + "\" > \"$f.tmp\" && mv \"$f.tmp\" \"$f\"; "
            + (force
                ? "else mkdir -p \"$HOME/.orchestrator\" && echo \"" + line(state) + "\" > \"$f\"; "
                : "")
            + "fi",
        Optional.of(Duration.ofSeconds(30)));
  }

  /** Releases the lease if it is ours. */
  void release(Connection c) throws TransportException {
    c.exec(
        "f=\"$HOME/"
            + PATH
            + "\"; if [ -f \"$f\" ] && read -r l < \"$f\" && [ \"${l#"
            + ShellQuote.quote("run=" + runId + " ")
            + "}\" != \"$l\" ]; then rm -f \"$f\"; fi",
        Optional.of(Duration.ofSeconds(30)));
  }

  static Map<String, String> parse(String line) {
    Map<String, String> out = new HashMap<>();
    for (String part : line.split("\\s+")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        out.put(part.substring(0, eq), part.substring(eq + 1));
      }
    }
    return out;
  }

  private static long number(String s) {
    try {
      return s == null ? 0 : Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /**
   * Removes a host's lease whoever holds it ({@code orchestrator unlock}).
   *
   * @return the lease that was there (its {@code run=…} line), or empty when there was none
   */
  public static Optional<String> unlock(Connection c) throws TransportException {
    ExecResult r =
        c.exec(
            "f=\"$HOME/" + PATH + "\"; if [ -f \"$f\" ]; then cat \"$f\"; rm -f \"$f\"; fi",
            Optional.of(Duration.ofSeconds(30)));
    String line = r.stdout().strip();
    return line.isEmpty() ? Optional.empty() : Optional.of(line);
  }

  /** Returns the run id of a lease line ({@code run=…}). */
  public static String runOf(String line) {
    return parse(line).getOrDefault("run", "");
  }
}
