package dev.orchestrator.execute;

import dev.orchestrator.artifact.FetchedArtifact;
import dev.orchestrator.plan.PlannedHost;
import dev.orchestrator.plan.PlannedStep;
import dev.orchestrator.plan.Prediction;
import dev.orchestrator.playbook.Step;
import dev.orchestrator.playbook.StepTraits;
import dev.orchestrator.report.Event;
import dev.orchestrator.report.EventSink;
import dev.orchestrator.report.HostFinishState;
import dev.orchestrator.report.ProgressUnit;
import dev.orchestrator.report.StepOutcome;
import dev.orchestrator.state.Checkpoint;
import dev.orchestrator.state.HostRecord;
import dev.orchestrator.state.HostState;
import dev.orchestrator.state.RunJournal;
import dev.orchestrator.state.StepStatus;
import dev.orchestrator.template.ShellQuote;
import dev.orchestrator.template.ShellTemplate;
import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.template.TemplateException;
import dev.orchestrator.transport.Connection;
import dev.orchestrator.transport.Connector;
import dev.orchestrator.transport.ExecResult;
import dev.orchestrator.transport.TransportException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one host's steps in order over one connection, checkpointing each: RUNNING is durable before
 * the command is sent, the result before the next step starts (design.md, write-ahead rule). Steps
 * the plan marks done are not run again. Does not decide what runs: the plan does.
 */
final class HostPipeline {
  /** Registered stdout/stderr kept in the state store: 64 KiB each (the log file has it all). */
  static final int MAX_REGISTERED_CHARS = 64 * 1024;

  /**
   * A step's stdout line starting with this is a warning for the run's summary (e.g. an app that
   * stays disabled); the line protocol is documented in the README ("Steps that report").
   */
  static final String WARNING = "::warning ";

  private final PlannedHost planned;
  private final Connector connector;
  private final RunJournal journal;
  private final EventSink events;
  private final TemplateEngine templates;

  private final boolean deferredPhase;
  private final AtomicBoolean stop;
  private final boolean stopOthersOnFailure;
  private final Map<String, String> hashes = new HashMap<>();

  /**
   * The values to mask: the secret vars' values, and the values rendered from them that are found
   * as steps render ({@link #maskDerived}). Grows while the pipeline runs.
   */
  private final java.util.Set<String> secrets = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private final java.util.Set<String> secretNames;
  private final Leases leases;

  /**
   * How pipelines take hosts' leases, and whether the run is being stopped.
   *
   * @param keeper takes, renews and pauses the run's leases
   * @param stopping why the whole run is being stopped (a signal, an internal error), or empty
   */
  record Leases(LeaseKeeper keeper, java.util.function.Supplier<Optional<String>> stopping) {}

  /** The lease held while the steps run (null without leases). */
  private LeaseKeeper.Held held;

  private final Map<String, FetchedArtifact> artifacts;
  private final java.util.function.BiFunction<String, Map<String, Object>, String> artifactKey;

  /**
   * Creates a pipeline for one host.
   *
   * @param deferredPhase false: the pipeline's steps; true: only its {@code deferred} steps
   * @param stop shared within a batch: set when the batch must stop ({@code any_errors_fatal})
   * @param stopOthersOnFailure whether a failure here sets {@code stop}
   */
  HostPipeline(
      PlannedHost planned,
      Connector connector,
      RunJournal journal,
      EventSink events,
      TemplateEngine templates,
      boolean deferredPhase,
      AtomicBoolean stop,
      boolean stopOthersOnFailure,
      Map<String, FetchedArtifact> artifacts,
      java.util.function.BiFunction<String, Map<String, Object>, String> artifactKey,
      Leases leases,
      java.util.Set<String> secretNames) {
    this.planned = planned;
    this.connector = connector;
    this.journal = journal;
    this.events = events;
    this.templates = templates;
    this.deferredPhase = deferredPhase;
    this.stop = stop;
    this.stopOthersOnFailure = stopOthersOnFailure;
    this.artifacts = artifacts;
    this.artifactKey = artifactKey;
    this.leases = leases;
    planned.steps().forEach(s -> hashes.put(s.step().id(), s.step().definitionHash()));
    planned.rollbackOnFailure().forEach(s -> hashes.put(s.step().id(), s.step().definitionHash()));
    this.secretNames = java.util.Set.copyOf(secretNames);
    this.secrets.addAll(dev.orchestrator.common.Secrets.values(planned.vars(), secretNames));
  }

  /**
   * Masks, from now on, what a step's templates derive from secrets ({@code {{ db_password | upper
   * }}}, {@code b64encode}, a substring...): the step's shell, environment and {@code creates} are
   * rendered again with every secret replaced by another value of the same shape ({@link
   * dev.orchestrator.common.Secrets#perturbed}), and every rendered value that changes is added to
   * the values masked in the log, the checkpoints and the events.
   */
  private void maskDerived(
      Step step, Map<String, Object> vars, ShellTemplate shell, Map<String, String> env) {
    Map<String, Object> other = dev.orchestrator.common.Secrets.perturbed(vars, secretNames);
    if (other.equals(vars)) {
      return; // no secret among the vars: nothing can derive from one, no second render
    }
    List<String> real = new ArrayList<>(shell.values().values());
    real.addAll(env.values());
    Optional<ShellTemplate> otherShell;
    Optional<List<String>> otherValues;
    try {
      ShellTemplate o = templates.renderShell(step.shell(), other);
      List<String> values = new ArrayList<>(o.values().values());
      for (String e : step.environment().values()) {
        values.add(templates.render(e, other));
      }
      otherShell = Optional.of(o);
      otherValues = Optional.of(values);
    } catch (TemplateException | IllegalArgumentException e) {
      otherShell = Optional.empty();
      otherValues = Optional.empty();
    }
    secrets.addAll(dev.orchestrator.common.Secrets.derived(real, otherValues));
    secrets.addAll(
        dev.orchestrator.common.Secrets.derivedWords(
            shell.text(), otherShell.map(ShellTemplate::text)));
    if (step.creates().isPresent()) {
      String template = step.creates().get();
      Optional<List<String>> o;
      try {
        o = Optional.of(List.of(templates.render(template, other)));
      } catch (TemplateException | IllegalArgumentException e) {
        o = Optional.empty();
      }
      try {
        secrets.addAll(
            dev.orchestrator.common.Secrets.derived(List.of(templates.render(template, vars)), o));
      } catch (TemplateException e) {
        // reported by the step itself
      }
    }
  }

  /** Returns whether this phase has any step to visit on the host. */
  static boolean hasWork(PlannedHost planned, boolean deferredPhase) {
    if (!deferredPhase && planned.rollbackUnderWay()) {
      return true;
    }
    return planned.steps().stream()
        .anyMatch(s -> s.prediction().needsWork() && s.step().traits().deferred() == deferredPhase);
  }

  /** Records a checkpoint, with secret values masked (the state store never holds them). */
  private void record(Checkpoint c) {
    Map<String, Object> registered = new LinkedHashMap<>();
    c.registered().forEach((k, v) -> registered.put(k, mask(v)));
    journal.record(
        new Checkpoint(
            c.host(),
            c.stepId(),
            c.status(),
            c.attempt(),
            c.startedAt(),
            c.endedAt(),
            c.exitCode(),
            dev.orchestrator.common.Secrets.redact(c.message(), secrets),
            registered,
            c.logFile(),
            hashes.getOrDefault(c.stepId(), "")));
  }

  private Object mask(Object value) {
    if (value instanceof String text) {
      return dev.orchestrator.common.Secrets.redact(text, secrets);
    }
    if (value instanceof java.util.List<?> list) {
      return list.stream().map(this::mask).toList();
    }
    return value;
  }

  private void emit(Event event) {
    if (event instanceof Event.StepFinished f) {
      events.emit(
          new Event.StepFinished(
              f.at(),
              f.host(),
              f.step(),
              f.status(),
              f.exitCode(),
              f.duration(),
              dev.orchestrator.common.Secrets.redact(f.message(), secrets),
              f.logFile(),
              f.changed()));
    } else if (event instanceof Event.StepProgress p) {
      events.emit(
          new Event.StepProgress(
              p.at(),
              p.host(),
              p.step(),
              p.done(),
              p.total(),
              p.unit(),
              dev.orchestrator.common.Secrets.redact(p.message(), secrets)));
    } else if (event instanceof Event.StepWarning w) {
      events.emit(
          new Event.StepWarning(
              w.at(),
              w.host(),
              w.step(),
              dev.orchestrator.common.Secrets.redact(w.message(), secrets)));
    } else if (event instanceof Event.HostFinished h) {
      events.emit(
          new Event.HostFinished(
              h.at(),
              h.host(),
              h.state(),
              h.step(),
              dev.orchestrator.common.Secrets.redact(h.message(), secrets)));
    } else {
      events.emit(event);
    }
  }

  HostOutcome run() {
    String host = planned.host().name();
    if (!hasWork(planned, deferredPhase)) {
      return new HostOutcome.Done(host);
    }
    Connection connection;
    try {
      connection = connector.open(host, Endpoints.of(planned.host().connection()));
    } catch (TransportException e) {
      journal.record(new HostRecord(host, HostState.UNREACHABLE, e.getMessage(), Instant.now()));
      emit(
          new Event.HostFinished(
              Instant.now(), host, HostFinishState.UNREACHABLE, "", e.getMessage()));
      return new HostOutcome.Unreachable(host, e.getMessage());
    }
    try (connection) {
      return leased(connection);
    }
  }

  /**
   * Takes the host's lease (refused when another run holds it), keeps it alive while the steps run,
   * then releases it when the host is done or marks it paused. Whatever ends the steps (a failure,
   * a lost lease, an internal error) leaves the lease released or marked.
   */
  private HostOutcome leased(Connection connection) {
    String host = planned.host().name();
    if (leases == null) {
      return steps(connection);
    }
    try {
      String path = HostLease.path(host, planned.host().vars());
      LeaseKeeper.Taken taken = leases.keeper().take(host, path, connection);
      if (taken instanceof LeaseKeeper.Taken.Refused refused) {
        emit(
            new Event.HostFinished(
                Instant.now(), host, HostFinishState.REFUSED, "", refused.message()));
        return new HostOutcome.Refused(host, refused.message());
      }
      LeaseKeeper.Taken.Ok ok = (LeaseKeeper.Taken.Ok) taken;
      held = ok.held();
      if (!ok.note().isEmpty()) {
        emit(new Event.StepWarning(Instant.now(), host, "lease", ok.note()));
      }
    } catch (TransportException e) {
      journal.record(new HostRecord(host, HostState.UNREACHABLE, e.getMessage(), Instant.now()));
      emit(
          new Event.HostFinished(
              Instant.now(), host, HostFinishState.UNREACHABLE, "", e.getMessage()));
      return new HostOutcome.Unreachable(host, e.getMessage());
    }
    HostOutcome outcome;
    try {
      outcome = steps(connection);
    } catch (RuntimeException | Error e) {
      held.pause("internal error while working on " + host + ": " + e);
      held.done();
      throw e;
    }
    if (outcome instanceof HostOutcome.Done) {
      if (deferredPhase || !hasWork(planned, true)) {
        held.release("the host is done");
      } else {
        held.pause("the host's steps are done; its deferred steps follow in this run");
      }
    } else if (outcome instanceof HostOutcome.Paused p) {
      held.pause(
          leases.stopping().get().isPresent()
              ? p.message()
              : "kept while the host is paused; resume continues, unlock releases");
    } else {
      held.pause("kept: the connection to " + host + " was lost; resume continues");
    }
    held.done();
    return outcome;
  }

  /**
   * Why no more steps may be sent to this host: the run is being stopped, or its lease was lost or
   * cannot be renewed; empty when the pipeline may go on.
   */
  private Optional<String> halted() {
    if (leases == null) {
      return Optional.empty();
    }
    Optional<String> stopping = leases.stopping().get();
    if (stopping.isPresent()) {
      return stopping;
    }
    return held == null ? Optional.empty() : held.problem();
  }

  private HostOutcome steps(Connection connection) {
    String host = planned.host().name();
    {
      Map<String, Object> vars = new LinkedHashMap<>(planned.vars());
      if (!deferredPhase && planned.rollbackUnderWay()) {
        HostOutcome o = finishRollback(connection, vars);
        if (o instanceof HostOutcome.Paused p) {
          emit(
              new Event.HostFinished(
                  Instant.now(), host, HostFinishState.PAUSED, p.step(), p.message()));
        } else if (o instanceof HostOutcome.Unreachable u) {
          journal.record(new HostRecord(host, HostState.UNREACHABLE, u.message(), Instant.now()));
          emit(
              new Event.HostFinished(
                  Instant.now(), host, HostFinishState.UNREACHABLE, "", u.message()));
        }
        return o;
      }
      for (PlannedStep ps : planned.steps()) {
        vars.putAll(ps.overrides());
        if (!ps.prediction().needsWork() || ps.step().traits().deferred() != deferredPhase) {
          continue;
        }
        Optional<String> halt = halted();
        if (halt.isPresent()) {
          String why = "stopped before step " + ps.step().id() + ": " + halt.get();
          emit(
              new Event.HostFinished(
                  Instant.now(), host, HostFinishState.PAUSED, ps.step().id(), why));
          return new HostOutcome.Paused(host, ps.step().id(), why);
        }
        if (stop.get()) {
          String why =
              "stopped before step "
                  + ps.step().id()
                  + ": another host of the batch failed (any_errors_fatal)";
          emit(
              new Event.HostFinished(
                  Instant.now(), host, HostFinishState.PAUSED, ps.step().id(), why));
          return new HostOutcome.Paused(host, ps.step().id(), why);
        }
        Optional<HostOutcome> end = runStep(connection, ps, vars);
        if (end.isPresent()
            && end.get() instanceof HostOutcome.Paused failed
            && !deferredPhase
            && planned.rollbackAfter().contains(ps.step().baseId())
            && !planned.rollbackOnFailure().isEmpty()) {
          end = Optional.of(rollBack(connection, ps, ps.previousAttempts() + 1, failed, vars));
        }
        if (end.isPresent()) {
          HostOutcome o = end.get();
          if (stopOthersOnFailure) {
            stop.set(true);
          }
          if (o instanceof HostOutcome.Paused p) {
            emit(
                new Event.HostFinished(
                    Instant.now(), host, HostFinishState.PAUSED, p.step(), p.message()));
          } else if (o instanceof HostOutcome.Unreachable u) {
            journal.record(new HostRecord(host, HostState.UNREACHABLE, u.message(), Instant.now()));
            emit(
                new Event.HostFinished(
                    Instant.now(), host, HostFinishState.UNREACHABLE, "", u.message()));
          }
          return o;
        }
      }
      boolean usesRecords = planned.steps().stream().anyMatch(p -> p.step().traits().detached());
      if (usesRecords && (deferredPhase || !hasWork(planned, true))) {
        try {
          connection.exec(
              CommandBuilder.cleanup(journal.runId(), host), Optional.of(Duration.ofSeconds(60)));
        } catch (TransportException e) {
          // The records stay until the next run of this host cleans them; the run itself is done.
        }
      }
    }
    // Supersedes an earlier record (unreachable, rolled back): status shows where the host stands.
    journal.record(new HostRecord(host, HostState.DONE, "every step done", Instant.now()));
    emit(new Event.HostFinished(Instant.now(), host, HostFinishState.DONE, "", ""));
    return new HostOutcome.Done(host);
  }

  /**
   * {@code rollback_on_failure}: runs the rollback steps at once after {@code failed} failed past
   * the rollback mark. When they succeed, the failed step's segment (its hop, or the whole
   * pipeline) and the rollback steps are reset to pending, so that resume starts the host's update
   * over once the cause is fixed; the host is recorded as rolled back.
   */
  private HostOutcome rollBack(
      Connection connection,
      PlannedStep failedStep,
      int failedAttempts,
      HostOutcome.Paused failed,
      Map<String, Object> vars) {
    String host = planned.host().name();
    Map<String, Integer> ran = new HashMap<>();
    for (PlannedStep r : planned.rollbackOnFailure()) {
      if (!r.prediction().needsWork()) {
        continue; // done earlier in this rollback, before it stopped
      }
      Optional<String> halt = halted();
      if (halt.isPresent()) {
        return new HostOutcome.Paused(
            host,
            r.step().id(),
            failed.message()
                + "; the rollback stopped before "
                + r.step().id()
                + ": "
                + halt.get());
      }
      Optional<HostOutcome> end = runStep(connection, r, vars);
      if (end.isPresent()) {
        String why =
            failed.message()
                + "; then the rollback failed at "
                + r.step().id()
                + ": "
                + (end.get() instanceof HostOutcome.Paused p ? p.message() : "connection lost")
                + ". Fix that, then resume: it retries "
                + r.step().id()
                + " and the rest of the rollback, and the host stays paused, rolled back (or"
                + " abort --rollback)";
        return new HostOutcome.Paused(host, r.step().id(), why);
      }
      ran.put(r.step().id(), r.previousAttempts() + 1);
    }
    String segment = segmentOf(failedStep.step().id());
    Instant now = Instant.now();
    for (PlannedStep ps : planned.steps()) {
      if (segmentOf(ps.step().id()).equals(segment)) {
        record(
            new Checkpoint(
                host,
                ps.step().id(),
                StepStatus.PENDING,
                ps == failedStep ? failedAttempts : ps.previousAttempts(),
                null,
                null,
                null,
                "reset after the rollback of " + failedStep.step().id(),
                Map.of(),
                ""));
      }
    }
    for (PlannedStep r : planned.rollbackOnFailure()) {
      record(
          new Checkpoint(
              host,
              r.step().id(),
              StepStatus.PENDING,
              ran.getOrDefault(r.step().id(), r.previousAttempts()),
              null,
              null,
              null,
              "rolled back after " + failedStep.step().id() + " failed",
              Map.of(),
              ""));
    }
    String message =
        failed.message()
            + "; rolled back to the previous version. Fix the cause; resume then starts this host's update over";
    journal.record(new HostRecord(host, HostState.ROLLED_BACK, message, now));
    return new HostOutcome.Paused(host, failedStep.step().id(), message);
  }

  /**
   * Resumes a {@code rollback_on_failure} rollback that did not complete ({@link
   * PlannedHost#rollbackUnderWay()}): the rollback steps not done yet run, the failed one again
   * (attempt + 1), and the host then stays paused as rolled back, exactly as if the rollback had
   * succeeded the first time; the update itself does not continue (README, "Failure and recovery":
   * resume then starts it over). The step whose failure started the rollback is the failed step
   * past the rollback mark; its hop's variables apply.
   */
  private HostOutcome finishRollback(Connection connection, Map<String, Object> vars) {
    java.util.List<PlannedStep> pastMark =
        planned.steps().stream()
            .filter(ps -> planned.rollbackAfter().contains(ps.step().baseId()))
            .toList();
    PlannedStep failedStep =
        pastMark.stream()
            .filter(ps -> ps.prediction() == Prediction.RETRY)
            .findFirst()
            .or(() -> pastMark.stream().filter(ps -> ps.prediction().needsWork()).findFirst())
            .or(() -> pastMark.stream().findFirst())
            .orElse(planned.steps().get(planned.steps().size() - 1));
    vars.putAll(failedStep.overrides());
    String why =
        failedStep.prediction() == Prediction.RETRY
            ? failedStep.step().id() + " " + failedStep.reason()
            : "step " + failedStep.step().id() + " did not finish";
    return rollBack(
        connection,
        failedStep,
        failedStep.previousAttempts(),
        new HostOutcome.Paused(planned.host().name(), failedStep.step().id(), why),
        vars);
  }

  /** Pauses the host at a step whose outcome is unknown and that may not simply run again. */
  private HostOutcome inDoubt(Step step, int attempt) {
    String host = planned.host().name();
    String why =
        "step "
            + step.id()
            + " (attempt "
            + attempt
            + ") was running when the controller stopped and its outcome is unknown"
            + (step.traits().detached() ? " (no record of it on the host)" : "")
            + ": check the host, then continue with resume --assume-done "
            + step.id()
            + " --host "
            + host
            + " (it finished) or resume --rerun "
            + step.id()
            + " --host "
            + host
            + " (run it again); mark the step idempotent: true if running it twice is harmless";
    emit(
        new Event.StepFinished(
            Instant.now(),
            host,
            step.id(),
            StepOutcome.IN_DOUBT,
            null,
            Duration.ZERO,
            why,
            "",
            false));
    return new HostOutcome.Paused(host, step.id(), why);
  }

  /** The hop part of a step id ({@code @28.0.14}), or empty without hops. */
  private static String segmentOf(String stepId) {
    int at = stepId.indexOf('@');
    return at < 0 ? "" : stepId.substring(at);
  }

  /**
   * Sends a fetched artifact to the host over the connection ({@code put}, SFTP over SSH), unless
   * the destination already holds a file with the same SHA-256; checks the checksum afterwards.
   */
  private ExecResult upload(Connection connection, String artifactId, String dest, String stepId)
      throws TransportException {
    long start = System.nanoTime();
    FetchedArtifact artifact = artifacts.get(artifactId);
    if (artifact == null) {
      return new ExecResult(
          1,
          "",
          "artifact " + artifactId + " was not fetched on the controller",
          Duration.ofNanos(System.nanoTime() - start),
          false);
    }
    String sum = "sha256sum " + ShellQuote.quote(dest) + " 2>/dev/null | cut -d' ' -f1";
    if (connection
        .exec(sum, Optional.of(Duration.ofMinutes(10)))
        .stdout()
        .trim()
        .equals(artifact.sha256())) {
      return new ExecResult(
          0,
          dest
              + " already holds "
              + artifactId
              + " (sha256 "
              + artifact.sha256()
              + "): not sent again\n",
          "",
          Duration.ofNanos(System.nanoTime() - start),
          false);
    }
    String dir = dest.contains("/") ? dest.substring(0, Math.max(1, dest.lastIndexOf('/'))) : ".";
    connection.exec("mkdir -p " + ShellQuote.quote(dir), Optional.of(Duration.ofMinutes(1)));
    long[] lastReport = {0};
    connection.put(
        artifact.file(),
        dest,
        bytes -> {
          long now = System.nanoTime();
          if (now - lastReport[0] > 250_000_000L || bytes == artifact.size()) {
            lastReport[0] = now;
            emit(
                new Event.StepProgress(
                    Instant.now(),
                    planned.host().name(),
                    stepId,
                    bytes,
                    artifact.size(),
                    ProgressUnit.BYTES,
                    "uploading "
                        + (artifactId.contains("|")
                            ? artifactId.substring(0, artifactId.indexOf('|'))
                            : artifactId)));
          }
        });
    String after = connection.exec(sum, Optional.of(Duration.ofMinutes(10))).stdout().trim();
    if (!after.equals(artifact.sha256())) {
      return new ExecResult(
          1,
          "",
          "after the upload "
              + dest
              + " has sha256 '"
              + after
              + "', expected "
              + artifact.sha256()
              + " (disk full?)",
          Duration.ofNanos(System.nanoTime() - start),
          false);
    }
    return new ExecResult(
        0,
        "sent "
            + artifact.size()
            + " bytes of "
            + artifactId
            + " to "
            + dest
            + " (sha256 "
            + artifact.sha256()
            + ")\n",
        "",
        Duration.ofNanos(System.nanoTime() - start),
        false);
  }

  /** Runs one step with its retries; returns the outcome when the host must stop here. */
  private Optional<HostOutcome> runStep(
      Connection connection, PlannedStep ps, Map<String, Object> vars) {
    Step step = ps.step();
    String host = planned.host().name();
    int attempt = ps.previousAttempts() + 1;
    Instant startedAt = Instant.now();
    dev.orchestrator.template.ShellTemplate shell;
    Map<String, String> env = new LinkedHashMap<>();
    try {
      if (step.when().isPresent() && !templates.evaluate(step.when().get(), vars)) {
        skip(step, attempt, startedAt, "when: " + step.when().get() + " is false", vars);
        return Optional.empty();
      }
      shell = templates.renderShell(step.shell(), vars);
      for (Map.Entry<String, String> e : step.environment().entrySet()) {
        env.put(e.getKey(), templates.render(e.getValue(), vars));
      }
      maskDerived(step, vars, shell, env);
      if (step.creates().isPresent()) {
        String path = templates.render(step.creates().get(), vars);
        ExecResult probe =
            connection.exec(
                "test -e " + ShellQuote.quote(path), Optional.of(Duration.ofSeconds(60)));
        if (probe.succeeded()) {
          skip(step, attempt, startedAt, "creates: " + path + " exists", vars);
          return Optional.empty();
        }
      }
    } catch (TemplateException e) {
      String message =
          "template error in step '" + step.id() + "' (" + step.location() + "): " + e.getMessage();
      return Optional.of(fail(step, attempt, startedAt, null, message, ""));
    } catch (TransportException e) {
      return Optional.of(lost(step, attempt, startedAt, e));
    }
    Optional<StepTraits.Upload> upload = step.traits().upload();
    String dest;
    try {
      dest = upload.isPresent() ? templates.render(upload.get().dest(), vars) : "";
    } catch (TemplateException e) {
      return Optional.of(
          fail(
              step,
              attempt,
              startedAt,
              null,
              "template error in step '"
                  + step.id()
                  + "' ("
                  + step.location()
                  + "): "
                  + e.getMessage(),
              ""));
    }
    String command =
        upload.isPresent()
            ? "upload artifact " + upload.get().artifact() + " to " + dest
            : CommandBuilder.build(step, shell, env);
    if (ps.prediction() == Prediction.IN_DOUBT) {
      return Optional.of(inDoubt(step, ps.previousAttempts()));
    }
    Optional<ExecResult> attached = Optional.empty();
    if (ps.prediction() == Prediction.RERUN
        && step.traits().detached()
        && ps.previousAttempts() > 0) {
      try {
        ExecResult found =
            connection.exec(
                CommandBuilder.reattach(journal.runId(), host, step.id(), ps.previousAttempts()),
                step.timeout());
        if (found.stdout().contains(CommandBuilder.NOT_STARTED)) {
          // the command never started on the host: run it, as a new attempt
        } else if (!found.stdout().contains(CommandBuilder.NO_RECORD)) {
          attached = Optional.of(found);
          attempt = ps.previousAttempts();
        } else if (!step.traits().idempotent()) {
          return Optional.of(inDoubt(step, ps.previousAttempts()));
        }
      } catch (TransportException e) {
        return Optional.of(lost(step, attempt, startedAt, e));
      }
    }
    for (int tries = 0; ; tries++) {
      startedAt = Instant.now();
      boolean reattached = tries == 0 && attached.isPresent();
      if (!reattached) {
        record(
            new Checkpoint(
                host,
                step.id(),
                StepStatus.RUNNING,
                attempt,
                startedAt,
                null,
                null,
                "",
                Map.of(),
                ""));
      }
      emit(new Event.StepStarted(startedAt, host, step.id(), step.name(), attempt));
      String logName = journal.logName(host, step.id(), attempt);
      ExecResult result;
      String stepId = step.id();
      try (StepLog stepLog =
          StepLog.open(
              () -> journal.openLog(logName),
              command,
              secrets,
              p ->
                  emit(
                      new Event.StepProgress(
                          Instant.now(),
                          host,
                          stepId,
                          p.done(),
                          p.total(),
                          ProgressUnit.ITEMS,
                          p.message())))) {
        if (reattached) {
          result = attached.get();
          stepLog.replay(result);
        } else if (upload.isPresent()) {
          result =
              upload(connection, artifactKey.apply(upload.get().artifact(), vars), dest, stepId);
          stepLog.replay(result);
        } else if (step.traits().detached()) {
          result =
              connection.exec(
                  CommandBuilder.detached(journal.runId(), host, step.id(), attempt, command),
                  step.timeout(),
                  stepLog);
          if (result.timedOut()) {
            connection.exec(
                CommandBuilder.kill(journal.runId(), host, step.id(), attempt),
                Optional.of(Duration.ofSeconds(30)));
          }
        } else {
          result = connection.exec(command, step.timeout(), stepLog);
        }
        stepLog.finish(result);
      } catch (TransportException e) {
        return Optional.of(lost(step, attempt, startedAt, e));
      }
      result
          .stdout()
          .lines()
          .filter(l -> l.startsWith(WARNING))
          .forEach(
              l ->
                  emit(
                      new Event.StepWarning(
                          Instant.now(), host, step.id(), l.substring(WARNING.length()).strip())));
      Map<String, Object> registered =
          step.register().isPresent() ? registered(result, attempt) : Map.of();
      if (result.succeeded()) {
        Instant end = Instant.now();
        record(
            new Checkpoint(
                host,
                step.id(),
                StepStatus.SUCCEEDED,
                attempt,
                startedAt,
                end,
                result.exitCode(),
                "",
                registered,
                logName));
        step.register().ifPresent(r -> vars.put(r, registered));
        emit(
            new Event.StepFinished(
                end,
                host,
                step.id(),
                StepOutcome.SUCCEEDED,
                result.exitCode(),
                result.duration(),
                "",
                logName,
                changed(step, vars)));
        return Optional.empty();
      }
      String message = failureMessage(step, result);
      if (tries < step.retries()) {
        record(
            new Checkpoint(
                host,
                step.id(),
                StepStatus.FAILED,
                attempt,
                startedAt,
                Instant.now(),
                result.timedOut() ? null : result.exitCode(),
                message + " (will retry)",
                Map.of(),
                logName));
        emit(
            new Event.StepFinished(
                Instant.now(),
                host,
                step.id(),
                StepOutcome.RETRYING,
                result.timedOut() ? null : result.exitCode(),
                result.duration(),
                "retry "
                    + (tries + 1)
                    + " of "
                    + step.retries()
                    + " in "
                    + step.delay().toSeconds()
                    + "s",
                logName,
                false));
        attempt++;
        try {
          Thread.sleep(step.delay().toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return Optional.of(
              fail(step, attempt - 1, startedAt, null, "interrupted before retrying", logName));
        }
        continue;
      }
      if (step.register().isPresent()) {
        vars.put(step.register().get(), registered);
      }
      return Optional.of(
          fail(
              step,
              attempt,
              startedAt,
              result.timedOut() ? null : result.exitCode(),
              message,
              logName,
              result.duration()));
    }
  }

  private void skip(
      Step step, int attempt, Instant startedAt, String reason, Map<String, Object> vars) {
    String host = planned.host().name();
    Instant end = Instant.now();
    Map<String, Object> registered = Map.of("skipped", true, "rc", 0, "stdout", "", "stderr", "");
    record(
        new Checkpoint(
            host,
            step.id(),
            StepStatus.SKIPPED,
            attempt - 1,
            startedAt,
            end,
            null,
            reason,
            step.register().isPresent() ? registered : Map.of(),
            ""));
    step.register().ifPresent(r -> vars.put(r, registered));
    emit(
        new Event.StepFinished(
            end,
            host,
            step.id(),
            StepOutcome.SKIPPED,
            null,
            Duration.between(startedAt, end),
            reason,
            "",
            false));
  }

  private HostOutcome fail(
      Step step, int attempt, Instant startedAt, Integer exitCode, String message, String logName) {
    return fail(
        step,
        attempt,
        startedAt,
        exitCode,
        message,
        logName,
        Duration.between(startedAt, Instant.now()));
  }

  private HostOutcome fail(
      Step step,
      int attempt,
      Instant startedAt,
      Integer exitCode,
      String message,
      String logName,
      Duration took) {
    String host = planned.host().name();
    Instant end = Instant.now();
    record(
        new Checkpoint(
            host,
            step.id(),
            StepStatus.FAILED,
            attempt,
            startedAt,
            end,
            exitCode,
            message,
            Map.of(),
            logName));
    emit(
        new Event.StepFinished(
            end,
            host,
            step.id(),
            StepOutcome.FAILED,
            exitCode,
            took,
            message,
            logName.isEmpty() ? "" : journal.logLocation(logName),
            false));
    return new HostOutcome.Paused(host, step.id(), message);
  }

  /**
   * The connection broke while a step was under way. Its checkpoint stays RUNNING: whether the
   * command went on is unknown here, so resume decides as after a crash (re-attach to a detached
   * step, rerun an idempotent one, else in doubt).
   */
  private HostOutcome lost(Step step, int attempt, Instant startedAt, TransportException e) {
    String host = planned.host().name();
    String message =
        "connection lost during step "
            + step.id()
            + " (attempt "
            + attempt
            + "): "
            + e.getMessage()
            + "; resume "
            + (step.traits().detached()
                ? "re-attaches to it"
                : step.traits().idempotent() ? "runs it again" : "asks you whether it finished");
    emit(
        new Event.StepFinished(
            Instant.now(),
            host,
            step.id(),
            StepOutcome.LOST,
            null,
            Duration.between(startedAt, Instant.now()),
            message,
            "",
            false));
    return new HostOutcome.Unreachable(host, message);
  }

  /**
   * The message a failed step pauses its host with: the timeout, or the exit code and the last line
   * of stderr (else stdout), at most 400 characters. {@code plan --check} predicts with it too.
   */
  static String failureMessage(Step step, ExecResult result) {
    if (result.timedOut()) {
      return "timed out after " + step.timeout().map(Duration::toSeconds).orElse(0L) + "s";
    }
    String tail = lastLine(result.stderr());
    if (tail.isEmpty()) {
      tail = lastLine(result.stdout());
    }
    return "exit code " + result.exitCode() + (tail.isEmpty() ? "" : ": " + tail);
  }

  private static String lastLine(String text) {
    String[] lines = text.strip().split("\n");
    String last = lines[lines.length - 1].strip();
    return last.length() > 400 ? last.substring(0, 400) + "…" : last;
  }

  static Map<String, Object> registered(ExecResult result, int attempts) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("rc", result.exitCode());
    r.put("stdout", cap(result.stdout()));
    r.put("stderr", cap(result.stderr()));
    r.put("stdout_lines", result.stdout().lines().limit(1000).toList());
    r.put("failed", !result.succeeded());
    r.put("skipped", false);
    r.put("timed_out", result.timedOut());
    r.put("duration_ms", result.duration().toMillis());
    r.put("attempts", attempts);
    return r;
  }

  private static String cap(String s) {
    String t = s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    return t.length() > MAX_REGISTERED_CHARS ? t.substring(0, MAX_REGISTERED_CHARS) : t;
  }

  /**
   * Whether a step that succeeded changed the host: its {@code changed_when} (evaluated with its
   * {@code register} variable set), true without one, as Ansible assumes of {@code shell}. A
   * condition that cannot be evaluated counts as changed and is reported as a warning.
   */
  private boolean changed(Step step, Map<String, Object> vars) {
    Optional<String> when = step.traits().changedWhen();
    if (when.isEmpty()) {
      return true;
    }
    try {
      return templates.evaluate(when.get(), vars);
    } catch (TemplateException e) {
      emit(
          new Event.StepWarning(
              Instant.now(),
              planned.host().name(),
              step.id(),
              "changed_when: " + e.getMessage() + "; counted as changed"));
      return true;
    }
  }
}
