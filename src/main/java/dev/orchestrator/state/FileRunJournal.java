package dev.orchestrator.state;

import dev.orchestrator.common.ErrorKind;
import dev.orchestrator.common.OrchestratorException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The file store's {@link RunJournal}, writing into the run's folder ({@link RunStore}).
 * Checkpoints, host, gate and lease records and overrides are appended to {@code journal.jsonl} and
 * forced to disk before the call returns (the write-ahead rule, README "State store and
 * checkpoints": a checkpoint is durable before the next action). The run's status and spec are
 * rewritten atomically in {@code run.json}. Events are appended to {@code events.jsonl} (not
 * forced), step logs written to {@code logs/<host>/<step>.<attempt>.log}. Every file 0600, every
 * folder 0700. Thread-safe.
 */
final class FileRunJournal implements RunJournal {
  /** Writes journal lines through the entries' sealed type (one key per kind), made once. */
  private static final com.fasterxml.jackson.databind.ObjectWriter ENTRY_WRITER =
      Json.MAPPER.writerFor(JournalEntry.class);

  private final RunStore store;
  private final Path dir;
  private final FileChannel journal;
  private RunInfo info;
  private final Object writeLock = new Object();
  private final Object forceLock = new Object();
  private long written; // lines appended (guarded by writeLock)
  private long forced; // lines known to be on disk (guarded by forceLock)
  private final Object eventLock = new Object();
  private FileChannel events; // opened on the first event (guarded by eventLock)

  FileRunJournal(RunStore store, Path dir, RunInfo info) throws IOException {
    this.store = store;
    this.dir = dir;
    this.info = info;
    PrivateFiles.createFile(dir.resolve(RunStore.JOURNAL)); // 0600 from the start
    this.journal =
        FileChannel.open(
            dir.resolve(RunStore.JOURNAL), StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    reserve(dir);
  }

  /**
   * The space kept in a run's folder while it is open ({@value #RESERVE}, {@link #RESERVE_BYTES}
   * bytes): when the disk fills up, it is given back so that run.json can still record the run
   * paused.
   */
  static final String RESERVE = ".reserve";

  static final int RESERVE_BYTES = 64 * 1024;

  /** Keeps {@link #RESERVE_BYTES} in the run's folder, if the disk has them (else none). */
  private static void reserve(Path dir) {
    Path file = dir.resolve(RESERVE);
    try (FileChannel ch = PrivateFiles.openNew(file)) {
      ByteBuffer zeros = ByteBuffer.allocate(RESERVE_BYTES);
      while (zeros.hasRemaining()) {
        ch.write(zeros);
      }
      ch.force(false);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // nothing reserved
      }
    }
  }

  /** Returns the run's folder. */
  Path dir() {
    return dir;
  }

  @Override
  public synchronized RunInfo info() {
    return info;
  }

  @Override
  public StateStore store() {
    return store;
  }

  @Override
  public void record(Checkpoint checkpoint) {
    append(new JournalEntry.CheckpointEntry(checkpoint));
  }

  @Override
  public void record(HostRecord record) {
    append(new JournalEntry.HostEntry(record));
  }

  @Override
  public void record(GateRecord record) {
    append(new JournalEntry.GateEntry(record));
  }

  @Override
  public void recordLease(LeaseRecord lease) {
    append(new JournalEntry.LeaseEntry(lease));
  }

  @Override
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
      line = (ENTRY_WRITER.writeValueAsString(entry) + "\n").getBytes(StandardCharsets.UTF_8);
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

  /**
   * {@inheritDoc}
   *
   * <p>When run.json cannot be written (a full disk), the run folder's reserve is given back and
   * the write tried once more, so a run stopped by a full disk is still recorded paused.
   */
  @Override
  public synchronized void status(RunStatus status, String reason) {
    RunInfo changed = info.withStatus(status, reason);
    try {
      writeInfo(dir, changed);
    } catch (OrchestratorException e) {
      try {
        if (!Files.deleteIfExists(dir.resolve(RESERVE))) {
          throw e;
        }
      } catch (IOException again) {
        throw e;
      }
      writeInfo(dir, changed);
    }
    info = changed;
  }

  @Override
  public void appendEvent(String line) {
    if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("an event is one line");
    }
    ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
    synchronized (eventLock) {
      try {
        if (events == null) {
          Path file = dir.resolve(RunStore.EVENTS);
          PrivateFiles.createFile(file); // 0600 from the start
          events = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        }
        while (bytes.hasRemaining()) {
          events.write(bytes);
        }
      } catch (IOException e) {
        throw storeFailure(e);
      }
    }
  }

  @Override
  public OutputStream openLog(String name) throws IOException {
    Path file = store.logPath(runId(), name);
    if (logFolders.add(file.getParent().getFileName().toString())) {
      try {
        PrivateFiles.directories(file.getParent());
      } catch (IOException e) {
        throw storeFailure(e); // as the journal: the state folder is not writable
      }
    }
    return java.nio.channels.Channels.newOutputStream(PrivateFiles.openNew(file));
  }

  private final java.util.Set<String> logFolders =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

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

  /**
   * A write the state folder refused (a full disk, permissions): the environment, not a bug, so
   * {@link ErrorKind#STATE_UNAVAILABLE}: no command is sent until the checkpoint before it is
   * written, and the run continues with {@code resume} once the folder is writable again.
   */
  private static OrchestratorException storeFailure(IOException e) {
    String reason =
        e instanceof java.nio.file.FileSystemException f && f.getReason() != null
            ? f.getReason() + " (" + f.getFile() + ")"
            : e.getMessage();
    return new OrchestratorException(
        ErrorKind.STATE_UNAVAILABLE,
        "cannot write the state folder: " + reason,
        "free space on the state folder's disk (or make it writable), then continue the run",
        e);
  }

  @Override
  public void close() throws IOException {
    Files.deleteIfExists(dir.resolve(RESERVE));
    synchronized (eventLock) {
      if (events != null) {
        events.close();
      }
    }
    synchronized (writeLock) {
      journal.close();
    }
  }
}
