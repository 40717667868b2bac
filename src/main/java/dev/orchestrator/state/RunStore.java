package dev.orchestrator.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.orchestrator.common.ExitCode;
import dev.orchestrator.common.FileNames;
import dev.orchestrator.common.InputException;
import dev.orchestrator.common.OrchestratorException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The embedded state store: one folder per run under {@code <state-dir>/runs/}, holding {@code
 * run.json} (the run's info, rewritten atomically), {@code journal.jsonl} (checkpoints, appended
 * and forced to disk) and {@code logs/<host>/<step>.<attempt>.log}. A crash at any moment loses at
 * most a torn last journal line, never a finished step's checkpoint (it was forced before the next
 * step started).
 *
 * <p>Names never become paths unencoded: a run id must be a {@link #RUN_ID} (checked wherever one
 * is read, the command line included), and host names and step ids become path segments through
 * {@link FileNames#segment}, so nothing is ever written outside the state folder.
 */
public final class RunStore {
  static final String INFO = "run.json";
  static final String JOURNAL = "journal.jsonl";
  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneId.systemDefault());
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * The form of a run id: what {@link #newRunId} makes (letters, digits, {@code . _ -}, starting
   * with a letter or digit, at most 128 characters), so it is a plain folder name.
   */
  public static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private final Path root;

  /**
   * Opens (lazily creates) a store.
   *
   * @param stateDir the state folder, e.g. {@code ./.orchestrator}
   */
  public RunStore(Path stateDir) {
    this.root = stateDir;
  }

  /** Returns the state folder. */
  public Path root() {
    return root;
  }

  /**
   * Makes a new run id, e.g. {@code 20261121-051207-nextcloud-update-3fa2}: sorts by time, reads
   * well in a terminal. Nothing is written.
   *
   * @param playbookName the playbook's name (part of the id)
   */
  public static String newRunId(String playbookName) {
    String slug =
        playbookName
            .toLowerCase(java.util.Locale.ROOT)
            .replaceAll("[^a-z0-9]+", "-")
            .replaceAll("(^-|-$)", "");
    if (slug.length() > 32) {
      slug = slug.substring(0, 32);
    }
    byte[] rnd = new byte[2];
    RANDOM.nextBytes(rnd);
    return ID_TIME.format(Instant.now())
        + "-"
        + (slug.isEmpty() ? "run" : slug)
        + "-"
        + HexFormat.of().formatHex(rnd);
  }

  /**
   * Creates a run and opens its journal. The state folder is checked first ({@link #checkUsable}),
   * so an unusable one is reported before anything is written.
   *
   * @param id the run id, from {@link #newRunId}
   * @param playbookName the playbook's name
   * @param spec what the run was started with
   * @return the journal to record into; close it when done
   * @throws InputException if the state folder cannot hold the run (nothing was written then)
   */
  public RunJournal create(String id, String playbookName, RunSpec spec) {
    checkUsable();
    Instant now = Instant.now();
    RunInfo info =
        new RunInfo(
            id, playbookName, spec, RunStatus.RUNNING, "", now, now, ProcessHandle.current().pid());
    try {
      Path dir = runDir(id);
      PrivateFiles.directories(dir);
      RunJournal.writeInfo(dir, info);
      return new RunJournal(dir, info);
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

  /**
   * Opens an existing run's journal to continue it.
   *
   * @throws InputException if there is no such run
   */
  public RunJournal open(String runId) {
    RunState state = load(runId);
    try {
      return new RunJournal(runDir(runId), state.info());
    } catch (IOException e) {
      throw new InputException(
          "cannot open run " + runId + " for writing in " + root + ": " + reason(e),
          "make the run's folder writable for this user (it holds its journal)");
    }
  }

  /**
   * Loads a run: its info and the latest checkpoint of every (host, step). A torn last line (the
   * controller was killed while writing it) is skipped and counted.
   *
   * @throws InputException if there is no such run
   */
  public RunState load(String runId) {
    Path dir = runDir(runId);
    if (!Files.isRegularFile(dir.resolve(INFO))) {
      List<String> known = list().stream().map(RunInfo::id).limit(5).toList();
      throw new InputException(
          "there is no run '" + runId + "' in the state store " + root.toAbsolutePath(),
          known.isEmpty()
              ? "no runs are stored there; pass --state-dir if the runs are elsewhere"
              : "recent runs: " + String.join(", ", known) + " (see: orchestrator status)");
    }
    try {
      RunInfo info = Json.MAPPER.readValue(dir.resolve(INFO).toFile(), RunInfo.class);
      Map<String, Map<String, Checkpoint>> checkpoints = new LinkedHashMap<>();
      Map<String, HostRecord> hosts = new LinkedHashMap<>();
      Map<String, GateRecord> gates = new LinkedHashMap<>();
      Map<String, LeaseRecord> leases = new LinkedHashMap<>();
      int torn = 0;
      Path journal = dir.resolve(JOURNAL);
      if (Files.exists(journal)) {
        for (String line : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
          if (line.isBlank()) {
            continue;
          }
          JournalEntry entry;
          try {
            entry = Json.MAPPER.readValue(line, JournalEntry.class);
          } catch (JsonProcessingException e) {
            torn++;
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
      return new RunState(info, checkpoints, hosts, gates, leases, torn);
    } catch (IOException e) {
      throw new OrchestratorException(
          ExitCode.INTERNAL_ERROR,
          "cannot read run " + runId + " from " + dir + ": " + e.getMessage(),
          "check the files' permissions; run.json must be valid JSON",
          e);
    }
  }

  /** Returns every stored run's info, newest first. Unreadable runs are left out. */
  public List<RunInfo> list() {
    List<RunInfo> out = new ArrayList<>();
    if (!Files.isDirectory(runs())) {
      return out;
    }
    try (Stream<Path> dirs = Files.list(runs())) {
      for (Path d : dirs.toList()) {
        Path info = d.resolve(INFO);
        if (Files.isRegularFile(info)) {
          try {
            out.add(Json.MAPPER.readValue(info.toFile(), RunInfo.class));
          } catch (IOException e) {
            // A run folder without a readable run.json is not a run; `status` shows the others.
          }
        }
      }
    } catch (IOException e) {
      throw new OrchestratorException(
          ExitCode.INTERNAL_ERROR,
          "cannot list runs in " + runs() + ": " + e.getMessage(),
          "check the folder's permissions",
          e);
    }
    out.sort(Comparator.comparing(RunInfo::createdAt).reversed());
    return out;
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
   * Checks that a run id has the form of one ({@link #RUN_ID}).
   *
   * @throws InputException naming the id and the form
   */
  public static String checkRunId(String runId) {
    if (runId == null || !RUN_ID.matcher(runId).matches()) {
      throw new InputException(
          "'" + runId + "' is not a run id",
          "a run id is letters, digits, '.', '_' and '-', e.g. 20261121-051207-nextcloud-update-3fa2;"
              + " 'orchestrator status' lists the runs");
    }
    return runId;
  }

  /**
   * Returns the log file of a step attempt in a run's folder: {@code
   * logs/<host>/<step>.<attempt>.log}, the host and step encoded by {@link FileNames#segment}.
   * Nothing is read or written.
   *
   * @param runDir the run's folder ({@link #runDir})
   * @param host the host's inventory name
   * @param stepId the step id as the engine uses it
   * @param attempt the 1-based attempt
   */
  public static Path logFile(Path runDir, String host, String stepId, int attempt) {
    return runDir
        .resolve("logs")
        .resolve(FileNames.segment(host))
        .resolve(FileNames.segment(stepId) + "." + attempt + ".log");
  }

  private Path runs() {
    return root.resolve("runs");
  }
}
