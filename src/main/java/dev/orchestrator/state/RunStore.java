package dev.orchestrator.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.orchestrator.common.FileNames;
import dev.orchestrator.common.InputException;
import dev.orchestrator.common.OrchestratorException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The embedded state store, the default {@link StateStore}: one folder per run under {@code
 * <state-dir>/runs/}, holding {@code run.json} (the run's info, rewritten atomically), {@code
 * journal.jsonl} (checkpoints and other records, appended and forced to disk), {@code events.jsonl}
 * (the recorded event stream) and {@code logs/<host>/<step>.<attempt>.log}. A crash at any moment
 * loses at most a torn last journal line, never a finished step's checkpoint (it was forced before
 * the next step started). Runs written by earlier versions load as they are: the layout is theirs.
 *
 * <p>Names never become paths unencoded: a run id must be a {@link StateStore#RUN_ID} (checked
 * wherever one is read, the command line included), a log name a {@link StateStore#LOG_NAME}, and
 * host names and step ids become path segments through {@link FileNames#segment}, so nothing is
 * ever read or written outside the state folder.
 *
 * <p>Kept under its old name (rather than {@code FileStateStore}) so that the commands and tests
 * that create one, and the run ids they make ({@link #newRunId}), read as before.
 */
public final class RunStore implements StateStore {
  static final String INFO = "run.json";
  static final String JOURNAL = "journal.jsonl";

  /** The recorded event stream, in a run's folder. */
  static final String EVENTS = "events.jsonl";

  /** The form of a run id: {@link StateStore#RUN_ID}. */
  public static final Pattern RUN_ID = StateStore.RUN_ID;

  private final Path root;
  private final java.time.Clock clock;

  /**
   * Opens (lazily creates) a store.
   *
   * @param stateDir the state folder, e.g. {@code ./.orchestrator}
   */
  public RunStore(Path stateDir) {
    this(stateDir, java.time.Clock.systemUTC());
  }

  /**
   * Opens (lazily creates) a store whose new runs take their creation time from a clock.
   *
   * @param stateDir the state folder
   * @param clock the clock of {@link RunInfo#createdAt()} (tests give a fixed one)
   */
  public RunStore(Path stateDir, java.time.Clock clock) {
    this.root = java.util.Objects.requireNonNull(stateDir, "stateDir");
    this.clock = java.util.Objects.requireNonNull(clock, "clock");
  }

  /** Returns the state folder. */
  public Path root() {
    return root;
  }

  /** Returns the state folder, absolute, as messages name it. */
  @Override
  public String location() {
    return root.toAbsolutePath().toString();
  }

  /**
   * Makes a new run id: {@link StateStore#newRunId}.
   *
   * @param playbookName the playbook's name (part of the id)
   */
  public static String newRunId(String playbookName) {
    return StateStore.newRunId(playbookName);
  }

  /**
   * {@inheritDoc}
   *
   * <p>The run's folder is created 0700, {@code run.json} and the journal 0600.
   */
  @Override
  public RunJournal create(String id, String playbookName, RunSpec spec) {
    checkRunId(id);
    checkUsable();
    Instant now = clock.instant();
    RunInfo info =
        new RunInfo(
            id, playbookName, spec, RunStatus.RUNNING, "", now, now, ProcessHandle.current().pid());
    try {
      Path dir = runDir(id);
      PrivateFiles.directories(dir);
      FileRunJournal.writeInfo(dir, info);
      return new FileRunJournal(this, dir, info);
    } catch (IOException | OrchestratorException e) {
      throw new InputException(
          "cannot create the run in the state folder " + root + ": " + reason(e),
          "check that "
              + root
              + " is a folder you can write to, or choose another with --state-dir");
    }
  }

  /**
   * Checks, writing nothing, that runs can be created in the state folder: it is a writable folder,
   * or the nearest of its parents that exists is one (it will be created), and its {@code runs}
   * folder, if any, is a writable folder.
   *
   * @throws InputException naming the path that is a file or not writable
   */
  @Override
  public void checkUsable() {
    Path dir = root.toAbsolutePath().normalize();
    Path existing = dir;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    String hint = "choose another folder with --state-dir";
    if (existing == null) {
      throw new InputException("the state folder " + root + " cannot be created", hint);
    }
    for (Path p : existing.equals(dir) ? List.of(dir, dir.resolve("runs")) : List.of(existing)) {
      if (!Files.exists(p)) {
        continue;
      }
      String what =
          p.equals(dir)
              ? "the state folder " + root
              : p.equals(dir.resolve("runs"))
                  ? "the state folder's " + p
                  : "the state folder " + root + " cannot be created: " + p;
      if (!Files.isDirectory(p)) {
        throw new InputException(what + " is a file, not a folder", hint);
      }
      if (!Files.isWritable(p)) {
        throw new InputException(
            what + " is not writable", "make it writable for this user, or " + hint);
      }
    }
  }

  private static String reason(Exception e) {
    if (e instanceof java.nio.file.AccessDeniedException a) {
      return "permission denied: " + a.getFile();
    }
    if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
      return f.getReason() + ": " + f.getFile();
    }
    return e.getMessage();
  }

  @Override
  public RunJournal open(String runId) {
    RunState state = load(runId);
    try {
      return new FileRunJournal(this, runDir(runId), state.info());
    } catch (IOException e) {
      throw new InputException(
          "cannot open run " + runId + " for writing in " + root + ": " + reason(e),
          "make the run's folder writable for this user (it holds its journal)");
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>A torn last line (the controller was killed while writing it) is skipped and counted.
   */
  @Override
  public RunState load(String runId) {
    Path dir = runDir(runId);
    if (!Files.isRegularFile(dir.resolve(INFO))) {
      List<String> known = list().stream().map(RunInfo::id).limit(5).toList();
      throw new dev.orchestrator.common.NotFoundException(
          "there is no run '" + runId + "' in the state store " + location(),
          known.isEmpty()
              ? "no runs are stored there; pass --state-dir if the runs are elsewhere"
              : "recent runs: " + String.join(", ", known) + " (see: orchestrator status)");
    }
    try {
      RunInfo info = RunInfoFile.read(dir.resolve(INFO));
      Map<String, Map<String, Checkpoint>> checkpoints = new LinkedHashMap<>();
      Map<String, HostRecord> hosts = new LinkedHashMap<>();
      Map<String, GateRecord> gates = new LinkedHashMap<>();
      Map<String, LeaseRecord> leases = new LinkedHashMap<>();
      List<String> unreadable = new ArrayList<>();
      Path journal = dir.resolve(JOURNAL);
      if (Files.exists(journal)) {
        Map<Integer, String> undecodable = new java.util.HashMap<>();
        List<String> lines = JournalFile.lines(journal, undecodable);
        int last = JournalFile.lastNonBlank(lines);
        for (int n = 1; n <= lines.size(); n++) {
          String line = lines.get(n - 1);
          if (undecodable.containsKey(n)) {
            unreadable.add(undecodable.get(n));
            continue;
          }
          if (line.isBlank()) {
            continue;
          }
          JournalEntry entry;
          try {
            entry = Json.MAPPER.readValue(line, JournalEntry.class);
          } catch (JsonProcessingException e) {
            unreadable.add(RunInfoFile.unreadableLine(journal, n, n == last, e));
            continue;
          }
          if (entry instanceof JournalEntry.CheckpointEntry e) {
            Checkpoint c = e.checkpoint();
            checkpoints.computeIfAbsent(c.host(), h -> new LinkedHashMap<>()).put(c.stepId(), c);
          } else if (entry instanceof JournalEntry.HostEntry e) {
            hosts.put(e.host().host(), e.host());
          } else if (entry instanceof JournalEntry.GateEntry e) {
            gates.put(e.gate().gate(), e.gate());
          } else if (entry instanceof JournalEntry.LeaseEntry e) {
            leases.put(e.lease().host(), e.lease());
          }
          // an override is in run.json's spec already; a line of a newer version's kind is null
        }
      }
      return new RunState(info, checkpoints, hosts, gates, leases, unreadable.size(), unreadable);
    } catch (IOException e) {
      throw new InputException(
          "cannot read run " + runId + " from " + dir + ": " + reason(e),
          "make the run's files readable for this user (they are 0600, owned by the user who"
              + " started it)");
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws InputException when the state folder or its {@code runs} folder is a file, or cannot be
   *     read (permission denied): not "no runs"
   */
  @Override
  public List<RunInfo> list() {
    return listing().runs();
  }

  /**
   * {@inheritDoc}
   *
   * <p>Each is {@code FILE:LINE:COLUMN: reason}.
   */
  @Override
  public List<String> unreadableRuns() {
    return listing().unreadable();
  }

  /** The runs that can be read, and where and why the others cannot. */
  private record Listing(List<RunInfo> runs, List<String> unreadable) {}

  private Listing listing() {
    List<RunInfo> out = new ArrayList<>();
    List<String> unreadable = new ArrayList<>();
    for (Path p : List.of(root, runs())) {
      if (Files.exists(p) && !Files.isDirectory(p)) {
        throw new InputException(
            (p.equals(root) ? "the state folder " : "the state folder's ")
                + p
                + " is a file, not a folder: it holds no runs",
            "pass the state folder with --state-dir (or --state)");
      }
    }
    if (!Files.isDirectory(runs())) {
      return new Listing(out, unreadable);
    }
    try (Stream<Path> dirs = Files.list(runs())) {
      for (Path d : dirs.sorted().toList()) {
        Path info = d.resolve(INFO);
        if (Files.isRegularFile(info)) {
          try {
            out.add(Json.MAPPER.readValue(info.toFile(), RunInfo.class));
          } catch (JsonProcessingException e) {
            unreadable.add(RunInfoFile.damaged(info, e));
          } catch (IOException e) {
            unreadable.add(info + ": " + reason(e));
          }
        }
      }
    } catch (IOException e) {
      throw new InputException(
          "cannot list the runs in " + runs() + ": " + reason(e),
          "make the state folder readable for this user (it is 0700, owned by the user who"
              + " started the runs), or pass another with --state-dir");
    }
    out.sort(Comparator.comparing(RunInfo::createdAt).thenComparing(RunInfo::id).reversed());
    return new Listing(out, unreadable);
  }

  /**
   * Returns a run's folder, {@code <state-dir>/runs/<run-id>}; nothing is read or written.
   *
   * @throws InputException if {@code runId} is not a {@link #RUN_ID} (e.g. {@code ../x}): a run id
   *     given on the command line never reaches outside the state folder
   */
  public Path runDir(String runId) {
    checkRunId(runId);
    return runs().resolve(FileNames.segment(runId));
  }

  /**
   * Checks that a run id has the form of one: {@link StateStore#checkRunId}.
   *
   * @throws InputException naming the id and the form
   */
  public static String checkRunId(String runId) {
    return StateStore.checkRunId(runId);
  }

  @Override
  public List<String> events(String runId) {
    Path file = runDir(runId).resolve(EVENTS);
    if (!Files.exists(file)) {
      return List.of();
    }
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
          .filter(l -> !l.isBlank())
          .toList();
    } catch (IOException e) {
      throw new InputException(
          "cannot read the events of run " + runId + " from " + file + ": " + reason(e),
          "make the file readable for this user (ls -l " + file + ")");
    }
  }

  @Override
  public Optional<StoredLog> log(String runId, String name) {
    Path file = logPath(runId, name);
    try {
      var attributes = Files.readAttributes(file, BasicFileAttributes.class);
      return attributes.isRegularFile()
          ? Optional.of(
              new StoredLog(name, attributes.size(), attributes.lastModifiedTime().toInstant()))
          : Optional.empty();
    } catch (java.nio.file.NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new InputException(
          "cannot read the log " + file + ": " + reason(e),
          "make the file readable for this user (ls -l " + file + ")");
    }
  }

  @Override
  public InputStream readLog(String runId, String name, long offset) throws IOException {
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be >= 0: " + offset);
    }
    FileChannel channel = FileChannel.open(logPath(runId, name), StandardOpenOption.READ);
    channel.position(offset);
    return Channels.newInputStream(channel);
  }

  /** Returns the log's file: {@code <run folder>/<name>}, as the command line can use it. */
  @Override
  public String logLocation(String runId, String name) {
    return logPath(runId, name).toString();
  }

  @Override
  public Optional<Path> localDir(String runId) {
    return Optional.of(runDir(runId));
  }

  /**
   * Returns a log's file in a run's folder; nothing is read or written.
   *
   * @throws InputException if the id is not a run id or the name not a log name
   */
  Path logPath(String runId, String name) {
    return runDir(runId).resolve(StateStore.checkLogName(name));
  }

  private Path runs() {
    return root.resolve("runs");
  }
}
