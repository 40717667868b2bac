package dev.orchestrator.state;

import dev.orchestrator.common.Redactor;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A run's journal that masks the run's secret values in every text it records: checkpoints'
 * messages and registered values, host, gate and lease records' messages, the run's status reason.
 * The engine wraps the journal of every execution in one, so that no producer (host pipelines,
 * gates, leases) has to mask what it writes (issue #13: secrets masked in one place). The values
 * come from a {@link Redactor} that grows while the run goes on (values derived from secrets).
 * Names (hosts, steps, gates) are kept: they come from the playbook and the inventory, not from
 * templates. Events and step logs are masked where they are produced (the redacting event sink, the
 * step log).
 */
public final class RedactingJournal implements RunJournal {
  private final RunJournal journal;
  private final Redactor redactor;

  /**
   * Wraps a journal.
   *
   * @param journal the journal written to
   * @param redactor the run's secret values
   */
  public RedactingJournal(RunJournal journal, Redactor redactor) {
    this.journal = Objects.requireNonNull(journal, "journal");
    this.redactor = Objects.requireNonNull(redactor, "redactor");
  }

  /** Returns {@code journal} wrapped, unless it already masks with {@code redactor}. */
  public static RunJournal around(RunJournal journal, Redactor redactor) {
    return journal instanceof RedactingJournal r && r.redactor == redactor
        ? journal
        : new RedactingJournal(journal, redactor);
  }

  @Override
  public String runId() {
    return journal.runId();
  }

  @Override
  public RunInfo info() {
    return journal.info();
  }

  @Override
  public StateStore store() {
    return journal.store();
  }

  @Override
  public void record(Checkpoint c) {
    Map<String, Object> registered = new LinkedHashMap<>();
    c.registered().forEach((k, v) -> registered.put(k, redactor.redactValue(v)));
    journal.record(
        new Checkpoint(
            c.host(),
            c.stepId(),
            c.status(),
            c.attempt(),
            c.startedAt(),
            c.endedAt(),
            c.exitCode(),
            redactor.redact(c.message()),
            registered,
            c.logFile(),
            c.stepHash(),
            c.changed(),
            c.ignored()));
  }

  @Override
  public void record(HostRecord r) {
    journal.record(new HostRecord(r.host(), r.state(), redactor.redact(r.message()), r.at()));
  }

  @Override
  public void record(GateRecord r) {
    journal.record(
        new GateRecord(
            r.gate(), r.state(), redactor.redact(r.message()), r.at(), r.waitingSince()));
  }

  @Override
  public void recordLease(LeaseRecord r) {
    journal.recordLease(new LeaseRecord(r.host(), r.state(), redactor.redact(r.message()), r.at()));
  }

  @Override
  public void override(RunSpec spec, List<SpecOverride> overrides) {
    journal.override(spec, overrides);
  }

  @Override
  public void status(RunStatus status, String reason) {
    journal.status(status, redactor.redact(reason));
  }

  @Override
  public void appendEvent(String line) {
    journal.appendEvent(line);
  }

  @Override
  public void flushEvents() {
    journal.flushEvents();
  }

  @Override
  public String logName(String host, String stepId, int attempt) {
    return journal.logName(host, stepId, attempt);
  }

  @Override
  public OutputStream openLog(String name) throws IOException {
    return journal.openLog(name);
  }

  @Override
  public String logLocation(String name) {
    return journal.logLocation(name);
  }

  @Override
  public void close() throws IOException {
    journal.close();
  }
}
