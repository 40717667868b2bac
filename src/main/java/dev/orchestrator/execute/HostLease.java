package dev.orchestrator.execute;

import dev.orchestrator.common.Echo;
import dev.orchestrator.common.InputException;
import dev.orchestrator.common.Labelled;
import dev.orchestrator.state.LeaseState;
import dev.orchestrator.template.ShellQuote;
import dev.orchestrator.transport.Connection;
import dev.orchestrator.transport.ExecResult;
import dev.orchestrator.transport.TransportException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A run's lease on one host of the inventory: a file on the host, created atomically (noclobber,
 * mode 0600), holding one line {@code run=… host=… controller=… pid=… start=… acquired=…
 * heartbeat=… ttl=… state=…} (times in epoch seconds of the host's clock; {@code start} is the
 * controller process's start time, see {@link ProcessIdentity}). The holder renews the heartbeat
 * while it works; a lease whose heartbeat is older than its TTL is stale. A paused run keeps its
 * lease, marked paused. Nothing is locked forever: a lease whose holder is this machine and whose
 * process is provably gone is taken over at once, a stale one of another machine with {@code
 * --take-over}, and {@code orchestrator unlock} releases any lease (README, "Leases, not locks").
 *
 * <p>The file is per inventory host, not per machine: several instances on one machine (several
 * Nextcloud instances, {@code connection: local} hosts) each have their own. Its path is the host
 * var {@code lease_path}, by default {@code ~/.orchestrator/leases/<host>.lock} with the inventory
 * host name encoded by {@link #encode}.
 *
 * <p>Why one class of over 400 lines: the lease file's format, the shell commands that take, renew,
 * mark and release it atomically on the host, and the staleness and liveness rules (README "Leases,
 * not locks") are one protocol; splitting it would separate a command from the parser of its
 * output.
 */
public final class HostLease {
  /** The inventory var that sets a host's lease file. */
  public static final String PATH_VAR = "lease_path";

  /** The default folder of lease files, relative to the host user's home. */
  static final String FOLDER = ".orchestrator/leases";

  private static final Optional<Duration> TIMEOUT = Optional.of(Duration.ofSeconds(20));

  private final String runId;
  private final String controller;
  private final long pid;
  private final String start;
  private final Duration ttl;
  private final LeaseCommands commands;

  /**
   * A run's lease identity.
   *
   * @param runId the run
   * @param controller this machine's name
   * @param pid this process's pid
   * @param start this process's start time ({@link ProcessIdentity}), empty when unknown
   * @param ttl how long the lease lives without a heartbeat (written in whole seconds, at least 1)
   * @param commands the commands refusals show
   */
  HostLease(
      String runId,
      String controller,
      long pid,
      String start,
      Duration ttl,
      LeaseCommands commands) {
    this.runId = runId;
    this.controller = controller.isBlank() ? "unknown" : controller.replaceAll("[\\s=]", "_");
    this.pid = pid;
    this.start = start.replaceAll("[\\s=]", "_");
    this.ttl = ttl;
    this.commands = commands;
  }

  /** The outcome of trying to take a host's lease. */
  sealed interface Result {
    /** The lease is ours (new, ours from an earlier invocation, or taken over). */
    record Acquired(String note) implements Result {}

    /** Another run holds it, or it cannot be created. */
    record Refused(String message) implements Result {}
  }

  /** What a renewal, a pause or a release found. */
  public sealed interface Check {
    /** The lease was ours and is updated (or removed). */
    record Ours() implements Check {}

    /** The lease is no longer ours: {@code line} is what the file holds now (empty: no file). */
    record Lost(String line) implements Check {}

    /** The lease could not be written: {@code why} says what the host answered. */
    record Failed(String why) implements Check {}
  }

  // ---------------------------------------------------------------- the path

  /**
   * The lease file of an inventory host: its {@code lease_path} var, absolute or relative to the
   * host user's home ({@code ~/} allowed), else {@code .orchestrator/leases/<encoded host>.lock}
   * relative to the home.
   *
   * @param host the inventory host name
   * @param vars the host's inventory vars
   * @return the path, absolute or relative to the host user's home
   * @throws InputException if {@code lease_path} is not a usable file path
   */
  public static String path(String host, Map<String, Object> vars) {
    Object value = vars.get(PATH_VAR);
    if (value == null) {
      return FOLDER + "/" + encode(host) + ".lock";
    }
    String p = value instanceof String s ? s.strip() : null;
    String problem =
        p == null
            ? "is not a string"
            : p.isEmpty() || p.equals("~") || p.equals("/")
                ? "is empty"
                : p.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)
                    ? "holds a control character"
                    : p.endsWith("/") ? "names a folder" : p.contains("{{") ? "is a template" : "";
    if (!problem.isEmpty()) {
      throw new InputException(
          "host '" + host + "': " + PATH_VAR + " " + problem,
          "set "
              + PATH_VAR
              + " to a file path, absolute or relative to the host user's home (not templated),"
              + " e.g. .orchestrator/leases/"
              + encode(host)
              + ".lock, or leave it out for that default");
    }
    return p.startsWith("~/") ? p.substring(2) : p;
  }

  /**
   * Encodes an inventory host name as one file name, the way every name becomes a path ({@link
   * dev.orchestrator.common.FileNames#segment}): no {@code /}, no {@code .} or {@code ..}, no
   * hidden file, and distinct names give distinct files.
   */
  static String encode(String name) {
    return dev.orchestrator.common.FileNames.segment(name);
  }

  /** The path as one shell word: absolute as it is, else under {@code $HOME}. */
  private static String shellPath(String path) {
    return path.startsWith("/") ? ShellQuote.quote(path) : "\"$HOME\"/" + ShellQuote.quote(path);
  }

  /** {@code f=PATH; umask 077} and the folder created (0700) when missing. */
  private static String prologue(String path) {
    return "umask 077; f=" + shellPath(path) + "; d=${f%/*}; d=${d:-/}; now=$(date +%s); ";
  }

  // ---------------------------------------------------------------- the line

  private String owner(String host) {
    return "run=" + runId + " host=" + encode(host) + " ";
  }

  /** A shell word that expands to the lease line ({@code $now}, {@code $acquired} set before). */
  private String line(String host, LeaseState state, String acquired) {
    return ShellQuote.quote(
            owner(host)
                + "controller="
                + controller
                + " pid="
                + pid
                + " start="
                + (start.isEmpty() ? "unknown" : start)
                + " acquired=")
        + acquired
        + ShellQuote.quote(" heartbeat=")
        + "\"$now\""
        + ShellQuote.quote(
            " ttl=" + Math.max(1, (ttl.toMillis() + 999) / 1000) + " state=" + state.label());
  }

  // ---------------------------------------------------------------- acquire

  /**
   * Takes the lease: atomically creates the file, or takes it over when it is ours (this run, this
   * host), when its holder is this machine and its process is provably gone, or when it is stale
   * and {@code takeOver} is set.
   *
   * @throws TransportException if the host cannot be reached
   */
  Result acquire(Connection c, String host, String path, boolean takeOver)
      throws TransportException {
    for (int attempt = 0; ; attempt++) {
      String create =
          prologue(path)
              + "[ -d \"$d\" ] || mkdir -p -- \"$d\" || exit 70; set -C; "
              + "if { printf '%s\\n' "
              + line(host, LeaseState.ACTIVE, "\"$now\"")
              + " > \"$f\"; } 2>/dev/null; then echo acquired; exit 0; fi; set +C; "
              + "[ -f \"$f\" ] || { echo \"cannot create $f\" >&2; exit 71; }; "
              + "printf 'held now=%s %s\\n' \"$now\" \"$(head -n 1 -- \"$f\")\"";
      ExecResult r = c.exec(create, TIMEOUT);
      String out = r.stdout().strip();
      if (out.equals("acquired")) {
        return new Result.Acquired("");
      }
      if (r.exitCode() != 0 || !out.startsWith("held ")) {
        return new Result.Refused(
            "cannot create the lease file of "
                + host
                + " ("
                + path
                + "): "
                + (r.stderr().isBlank()
                    ? "exit code " + r.exitCode()
                    : Echo.bounded(r.stderr().strip()))
                + "; check that the host user can write there, or set "
                + PATH_VAR
                + " for this host in the inventory");
      }
      int space = out.indexOf(' ', 5);
      String observed = space < 0 ? "" : out.substring(space + 1);
      Map<String, String> holder = parse(out);
      Optional<Result> decided = decide(c, host, path, takeOver, holder, observed);
      if (decided.isPresent()) {
        return decided.get();
      }
      if (attempt >= 2) {
        return new Result.Refused(
            "the lease file of "
                + host
                + " ("
                + path
                + ") keeps changing while this run tries to take it over; try again");
      }
    }
  }

  /** Decides about a held lease; empty when it changed under us (try again). */
  private Optional<Result> decide(
      Connection c,
      String host,
      String path,
      boolean takeOver,
      Map<String, String> holder,
      String observed)
      throws TransportException {
    long now = number(holder.get("now"));
    long heartbeat = number(holder.get("heartbeat"));
    long holderTtl = number(holder.get("ttl"));
    String holderRun = holder.getOrDefault("run", "?");
    String holderHost = holder.getOrDefault("host", "");
    String state = holder.getOrDefault("state", LeaseState.ACTIVE.label());
    boolean active =
        Labelled.find(LeaseState.class, state).orElse(LeaseState.PAUSED) == LeaseState.ACTIVE;
    if (holderRun.equals(runId) && holderHost.equals(encode(host))) {
      return replace(c, host, path, observed, "");
    }
    String who =
        "run "
            + holderRun
            + (holderRun.equals(runId) ? " (this run, for host " + holderHost + ")" : "")
            + " (controller "
            + holder.getOrDefault("controller", "?")
            + ", pid "
            + holder.getOrDefault("pid", "?")
            + ", since "
            + Instant.ofEpochSecond(number(holder.get("acquired")))
            + ", last heartbeat "
            + (now - heartbeat)
            + " s ago, "
            + state
            + ")";
    if (holderRun.equals(runId)) {
      return Optional.of(
          new Result.Refused(
              host
                  + " shares its lease file ("
                  + path
                  + ") with host "
                  + holderHost
                  + " of this same run, which holds it: hosts that share a lease are worked on"
                  + " one at a time; give each host its own "
                  + PATH_VAR
                  + " (the default is per host), or put them in different batches"));
    }
    boolean thisMachine = holder.getOrDefault("controller", "").equals(controller);
    boolean holderGone =
        thisMachine
            && active
            && ProcessIdentity.gone(
                number(holder.get("pid")),
                holder.getOrDefault("start", "unknown").equals("unknown")
                    ? ""
                    : holder.getOrDefault("start", ""));
    if (holderGone) {
      return replace(
          c,
          host,
          path,
          observed,
          "took over the lease of " + who + ": its controller process is gone from this machine");
    }
    boolean stale = active && now - heartbeat > holderTtl;
    if (stale && takeOver) {
      return replace(
          c, host, path, observed, "took over the stale lease of " + who + ": --take-over");
    }
    if (stale) {
      return Optional.of(
          new Result.Refused(
              host
                  + " is leased by "
                  + who
                  + ", whose heartbeat is older than its TTL ("
                  + holderTtl
                  + " s) but whose controller "
                  + (thisMachine
                      ? "process is still alive on this machine (stuck?)"
                      : "is another machine")
                  + ": make sure that run is not working on it, then rerun with --take-over, or"
                  + " release it with: "
                  + commands.unlock(host)));
    }
    return Optional.of(
        new Result.Refused(
            host
                + " is leased by "
                + who
                + ": continue that run with: "
                + commands.resume(holderRun)
                + ", or stop it and release its hosts with: "
                + commands.abort(holderRun)
                + ", or release this host with: "
                + commands.unlock(host)));
  }

  /** Replaces the lease line {@code observed} by ours; empty when the file changed meanwhile. */
  private Optional<Result> replace(
      Connection c, String host, String path, String observed, String note)
      throws TransportException {
    ExecResult r =
        c.exec(
            prologue(path)
                + "[ \"$(head -n 1 -- \"$f\" 2>/dev/null)\" = "
                + ShellQuote.quote(observed)
                + " ] || { echo changed; exit 0; }; "
                + "printf '%s\\n' "
                + line(host, LeaseState.ACTIVE, "\"$now\"")
                + " > \"$f.$$.tmp\" && mv -f -- \"$f.$$.tmp\" \"$f\" && echo written",
            TIMEOUT);
    String out = r.stdout().strip();
    if (out.equals("changed")) {
      return Optional.empty();
    }
    if (!out.equals("written")) {
      return Optional.of(
          new Result.Refused(
              "cannot write the lease file of "
                  + host
                  + " ("
                  + path
                  + "): "
                  + (r.stderr().isBlank()
                      ? "exit code " + r.exitCode()
                      : Echo.bounded(r.stderr().strip()))));
    }
    return Optional.of(new Result.Acquired(note));
  }

  // ---------------------------------------------------------------- renew, pause, release

  /**
   * Rewrites the lease with a new heartbeat and {@code state} (active or paused), only when it is
   * still ours: an operator may have unlocked the host and another run taken it.
   *
   * @throws TransportException if the host cannot be reached
   */
  Check write(Connection c, String host, String path, LeaseState state) throws TransportException {
    ExecResult r =
        c.exec(
            prologue(path)
                + "l=$(head -n 1 -- \"$f\" 2>/dev/null) || l=; case $l in "
                + ShellQuote.quote(owner(host))
                + "*) ;; *) printf 'lost %s\\n' \"$l\"; exit 0;; esac; "
                + "acquired=$(printf '%s\\n' \"$l\" | sed -n 's/.* acquired=\\([0-9]*\\).*/\\1/p'); "
                + "printf '%s\\n' "
                + line(host, state, "\"${acquired:-$now}\"")
                + " > \"$f.$$.tmp\" && mv -f -- \"$f.$$.tmp\" \"$f\" && echo written",
            TIMEOUT);
    return check(r, "written");
  }

  /**
   * Removes the lease if it is ours.
   *
   * @throws TransportException if the host cannot be reached
   */
  Check release(Connection c, String host, String path) throws TransportException {
    return release(c, runId, host, path);
  }

  /**
   * Removes the lease of {@code host} if run {@code runId} holds it ({@code abort}).
   *
   * @param path the lease file ({@link #path})
   * @return {@link Check.Ours} when it was removed, {@link Check.Lost} when another run (or none)
   *     holds it, {@link Check.Failed} when it could not be removed
   * @throws TransportException if the host cannot be reached
   */
  public static Check release(Connection c, String runId, String host, String path)
      throws TransportException {
    ExecResult r =
        c.exec(
            prologue(path)
                + "l=$(head -n 1 -- \"$f\" 2>/dev/null) || l=; case $l in "
                + ShellQuote.quote("run=" + runId + " host=" + encode(host) + " ")
                + "*) rm -f -- \"$f\" && echo released;; *) printf 'lost %s\\n' \"$l\";; esac",
            TIMEOUT);
    return check(r, "released");
  }

  private static Check check(ExecResult r, String done) {
    String out = r.stdout().strip();
    if (out.equals(done)) {
      return new Check.Ours();
    }
    if (out.startsWith("lost")) {
      return new Check.Lost(out.substring(4).strip());
    }
    return new Check.Failed(
        r.stderr().isBlank() ? "exit code " + r.exitCode() : Echo.bounded(r.stderr().strip()));
  }

  /**
   * Removes a host's lease whoever holds it ({@code orchestrator unlock}).
   *
   * @param path the lease file ({@link #path})
   * @return the lease that was there (its {@code run=…} line), or empty when there was none
   * @throws TransportException if the host cannot be reached
   */
  public static Optional<String> unlock(Connection c, String path) throws TransportException {
    ExecResult r =
        c.exec(
            "f=" + shellPath(path) + "; if [ -f \"$f\" ]; then cat -- \"$f\"; rm -f -- \"$f\"; fi",
            TIMEOUT);
    String line = r.stdout().strip();
    return line.isEmpty() ? Optional.empty() : Optional.of(line);
  }

  /** Parses {@code key=value} words. */
  static Map<String, String> parse(String line) {
    Map<String, String> out = new HashMap<>();
    for (String part : line.split("\\s+")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        out.putIfAbsent(part.substring(0, eq), part.substring(eq + 1));
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

  /** Returns the run id of a lease line ({@code run=…}). */
  public static String runOf(String line) {
    return parse(line).getOrDefault("run", "");
  }

  /** Describes what a lease file now holds, for "lost" messages. */
  static String describe(String line) {
    if (line.isBlank()) {
      return "the lease file is gone (released, e.g. with orchestrator unlock)";
    }
    Map<String, String> l = parse(line);
    return "the lease file now names run "
        + l.getOrDefault("run", "?")
        + " (controller "
        + l.getOrDefault("controller", "?")
        + ", pid "
        + l.getOrDefault("pid", "?")
        + ", "
        + l.getOrDefault("state", "?")
        + ")";
  }
}
