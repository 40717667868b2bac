package dev.orchestrator.state;

import dev.orchestrator.common.ExitCode;
import dev.orchestrator.common.OrchestratorException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes one run's durable state. Checkpoints and host records are appended to {@code
 * journal.jsonl} and forced to disk before the call returns (the write-ahead rule of design.md: a
 * checkpoint is durable before the next action). The run's status is rewritten atomically in {@code
 * run.json}. Thread-safe.
 */
public final class RunJournal implements Closeable {
  private final Path dir;
  private final FileChannel journal;
  private RunInfo info;
  private final Object writeLock = new Object();
  private final Object forceLock = new Object();
  private long written; // lines appended (guarded by writeLock)
  private long forced; // lines known to be on disk (guarded by forceLock)

  RunJournal(Path dir, RunInfo info) throws IOException {
    this.dir = dir;
    this.info = info;
    PrivateFiles.createFile(dir.resolve(RunStore.JOURNAL)); // 0600 from the start
    this.journal =
        FileChannel.open(
            dir.resolve(RunStore.JOURNAL), StandardOpenOption.WRITE, StandardOpenOption.APPEND);
  }

  /** Returns the run's folder. */
  public Path dir() {
    return dir;
  }

  /** Returns the run's id. */
  public String runId() {
    return info.id();
  }

  /** Returns the run's current info. */
  public synchronized RunInfo info() {
    return info;
  }

  /**
   * Durably records a checkpoint.
   *
   * @throws OrchestratorException if the disk write fails (the run cannot continue safely)
   */
  public void record(Checkpoint checkpoint) {
    append(new JournalEntry.CheckpointEntry(checkpoint));
  }

  /** Durably records a host record. */
  public void record(HostRecord record) {
    append(new JournalEntry.HostEntry(record));
  }

  /** Durably records a gate's state. */
  public void record(GateRecord record) {
    append(new JournalEntry.GateEntry(record));
  }

  /** Durably records a change of this run's lease on a host (the host's lock file mirrors it). */
  public void recordLease(LeaseRecord lease) {
    append(new JournalEntry.LeaseEntry(lease));
  }

  /**
   * Durably records a change of this run's lease on a host.
   *
   * @param host the inventory host
   * @param state the lease's new state
   * @param message what happened, and what to do when it needs an operator
   */
  public void recordLease(String host, LeaseState state, String message) {
    recordLease(new LeaseRecord(host, state, message, java.time.Instant.now()));
  }

  /**
   * Durably replaces the run's spec with one that overrides some of its settings, recording each
   * override in the journal first (the audit trail: who changed what, when).
   *
   * @param spec the new spec
   * @param overrides what changed, one entry per option
   */
  public synchronized void override(RunSpec spec, java.util.List<SpecOverride> overrides) {
    if (overrides.isEmpty()) {
      return;
    }
    overrides.forEach(o -> append(new JournalEntry.OverrideEntry(o)));
    info = info.withSpec(spec);
    writeInfo(dir, info);
  }

  /**
   * Appends a line and returns once it is on disk. Group commit: a writer that finds an fsync under
   * way waits for it and then checks whether a later fsync already covered its line, so many hosts'
   * checkpoints share one fsync while each call still returns only once its own line is durable.
   */
  private void append(JournalEntry entry) {
    byte[] line;
    try {
      line =
          (Json.MAPPER.writerFor(JournalEntry.class).writeValueAsString(entry) + "\n")
              .getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw storeFailure(e);
    }
    long mine;
    synchronized (writeLock) {
      try {
        ByteBuffer buffer = ByteBuffer.wrap(line);
        while (buffer.hasRemaining()) {
          journal.write(buffer);
        }
      } catch (IOException e) {
        throw storeFailure(e);
      }
      mine = ++written;
    }
    synchronized (forceLock) {
      if (forced >= mine) {
        return; // an fsync that started after our write covered it
      }
      long upTo;
      synchronized (writeLock) {
        upTo = written;
      }
      try {
        journal.force(false);
      } catch (IOException e) {
        throw storeFailure(e);
      }
      forced = upTo;
    }
  }

  /** Durably sets the run's status. */
  public synchronized void status(RunStatus status, String reason) {
    info = info.withStatus(status, reason);
    writeInfo(dir, info);
  }

  /**
   * Returns the log file for a step attempt, creating its folder (the caller creates the file,
   * 0600: {@link PrivateFiles#createFile}); relative name via {@link #relative}.
   */
  public Path logFile(String host, String stepId, int attempt) {
    Path file = RunStore.logFile(dir, host, stepId, attempt);
    Path folder = file.getParent();
    try {
      if (logFolders.add(host)) {
        PrivateFiles.directories(folder);
      }
    } catch (IOException e) {
      throw storeFailure(e);
    }
    return file;
  }

  private final java.util.Set<String> logFolders =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** Returns a path relative to the run's folder, as stored in checkpoints. */
  public String relative(Path file) {
    return dir.relativize(file).toString();
  }

  static void writeInfo(Path dir, RunInfo info) {
    try {
      Path tmp = dir.resolve(RunStore.INFO + ".tmp");
      try (FileChannel ch = PrivateFiles.openNew(tmp)) { // 0600 from the start
        ch.write(
            ByteBuffer.wrap(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(info)));
        ch.force(true);
      }
      Files.move(
          tmp,
          dir.resolve(RunStore.INFO),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw storeFailure(e);
    }
  }

  private static OrchestratorException storeFailure(IOException e) {
    return new OrchestratorException(
        ExitCode.INTERNAL_ERROR,
        "cannot write the state store: " + e.getMessage(),
        "check free disk space and permissions of the state folder (--state-dir); the run can be resumed once it is writable",
        e);
  }

  @Override
  public void close() throws IOException {
    synchronized (writeLock) {
      journal.close();
    }
  }
}
