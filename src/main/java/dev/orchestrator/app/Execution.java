package dev.orchestrator.app;

import dev.orchestrator.common.ErrorKind;
import dev.orchestrator.common.OrchestratorException;
import dev.orchestrator.execute.EngineSettings;
import dev.orchestrator.execute.HostWork;
import dev.orchestrator.execute.RunArtifacts;
import dev.orchestrator.execute.RunExecutor;
import dev.orchestrator.execute.RunResult;
import dev.orchestrator.plan.Plan;
import dev.orchestrator.report.EventSink;
import dev.orchestrator.rollout.ApprovalPolicy;
import dev.orchestrator.rollout.RunMode;
import dev.orchestrator.state.RunJournal;
import dev.orchestrator.state.RunSpec;
import dev.orchestrator.state.RunStatus;
import dev.orchestrator.state.WorkQueue;
import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.transport.Connector;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.Optional;

/**
 * One execution of a planned run on this controller, assembled in one place from final inputs: the
 * one way {@code run}, {@code resume}, {@code abort --rollback}, a worker's share of a run and the
 * sandbox (which calls {@code run} and {@code resume}) execute steps. Each gets, the same way, the
 * engine's settings ({@link #settings}), the artifacts fetched through the run's masked event sink,
 * and around the executor the {@link Recording} (events in the journal, the shutdown hook that
 * pauses the run, the report written again). Before this record the assembly was repeated in {@code
 * Orchestrator.run}, {@code Resumption}, {@code Abort} and {@code Worker} (with a 16-parameter
 * {@code Wiring.execute}), and the copies had drifted (issue 23).
 *
 * @param plan the plan to execute, final (planned after any decision was recorded); the hosts it
 *     holds back ({@code --retry-failed}) are left as they are
 * @param journal the run's journal, open; the caller closes it
 * @param inputs the run's inputs as this command applies them: its settings (forks, connection,
 *     inventories), vars and secret names
 * @param templates the engine the plan was rendered with (it knows the secret names)
 * @param connector the connector the run's settings ask for ({@link Wiring#connector(RunSpec,
 *     Path)}), built before the journal was created or opened so that a bad known_hosts file writes
 *     nothing
 * @param command what the command asks: forward or rollback, the next commands, approvals
 * @param shared how the run shares its batches when its store is shared ({@code run}, {@code
 *     resume}); empty for a rollback, which one controller executes alone
 */
record Execution(
    Plan plan,
    RunJournal journal,
    RunInputs inputs,
    TemplateEngine templates,
    Connector connector,
    Command command,
    Optional<SharedBatches> shared) {
  /** Validates the fields. */
  Execution {
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(journal, "journal");
    Objects.requireNonNull(inputs, "inputs");
    Objects.requireNonNull(templates, "templates");
    Objects.requireNonNull(connector, "connector");
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(shared, "shared");
  }

  /**
   * What the command that executes asks, besides the run's own inputs.
   *
   * @param mode forward, or the playbook's rollback ({@code abort --rollback})
   * @param resumed whether the run existed before this command (every command but {@code run})
   * @param next the commands that continue the run, shown when it pauses
   * @param hints the commands refusals show
   * @param approval whether approval gates wait for a person (or pass: the sandbox demo)
   * @param takeOver whether stale leases of other machines are taken over ({@code --take-over})
   * @param stateDir the local state folder: downloaded artifacts are cached in its {@code
   *     artifacts/}
   * @param verbosity {@code -v}'s count ({@link EngineSettings#verbosity}); 0 without
   */
  record Command(
      RunMode mode,
      boolean resumed,
      RunExecutor.NextCommands next,
      CommandHints hints,
      ApprovalPolicy approval,
      boolean takeOver,
      Path stateDir,
      int verbosity) {
    /** Validates the fields. */
    Command {
      Objects.requireNonNull(mode, "mode");
      Objects.requireNonNull(next, "next");
      Objects.requireNonNull(hints, "hints");
      Objects.requireNonNull(approval, "approval");
      Objects.requireNonNull(stateDir, "stateDir");
    }

    /** {@code run}: a new run, forward. */
    static Command run(RunRequest request, String runId) {
      CommandHints hints = request.hints();
      return new Command(
          RunMode.FORWARD,
          false,
          continuing(hints, runId),
          hints,
          request.approval(),
          request.takeOver(),
          request.state().folder(),
          request.verbosity());
    }

    /** {@code resume} (also a worker continuing a run whose coordinator died). */
    static Command resume(ResumeRequest request) {
      StoredRunRequest stored = request.run();
      return new Command(
          RunMode.FORWARD,
          true,
          continuing(stored.hints(), stored.runId()),
          stored.hints(),
          request.approval(),
          request.takeOver(),
          stored.state().folder(),
          request.verbosity());
    }

    /**
     * {@code abort --rollback}: the playbook's rollback steps; the same command continues it.
     * Approval gates wait for a person; no stale lease is taken over.
     */
    static Command rollback(StoredRunRequest request) {
      String again = request.hints().command("abort", request.runId()) + " --rollback";
      return new Command(
          new RunMode.Rollback("aborted by " + request.actor().describe()),
          true,
          RunExecutor.NextCommands.same(again),
          request.hints(),
          ApprovalPolicy.WAIT_FOR_PERSON,
          false,
          request.state().folder(),
          0);
    }

    /**
     * A worker's share of a run (its coordinator walks the rollout): approvals wait for a person,
     * no stale lease is taken over.
     */
    static Command share(StoredRunRequest request) {
      return new Command(
          RunMode.FORWARD,
          true,
          continuing(request.hints(), request.runId()),
          request.hints(),
          ApprovalPolicy.WAIT_FOR_PERSON,
          false,
          request.state().folder(),
          0);
    }

    private static RunExecutor.NextCommands continuing(CommandHints hints, String runId) {
      return new RunExecutor.NextCommands(hints.resume(runId), hints.approve(runId));
    }
  }

  /** How long a host's lease lives without a heartbeat (renewed every third of it). */
  static final java.time.Duration LEASE_TTL = EngineSettings.DEFAULT_LEASE_TTL;

  /**
   * The engine's settings: the one place they are assembled. Forks come from the run's settings
   * ({@code --forks} of {@code run}, stored for the others); the secret names from the run's
   * inputs.
   */
  EngineSettings settings() {
    var spec = inputs.spec();
    return new EngineSettings(
        spec.forks(),
        command.approval(),
        LEASE_TTL,
        command.takeOver()
            ? EngineSettings.StaleLeases.TAKE_OVER
            : EngineSettings.StaleLeases.REFUSE,
        Orchestrator.leaseCommands(
            command.hints(), Wiring.paths(spec.inventories()), spec.knownHosts().map(Path::of)),
        inputs.secretNames(),
        command.next(),
        command.verbosity());
  }

  /**
   * Fetches the artifacts the plan's upload steps need (once, on the controller), reporting through
   * {@code masked}: the run's event sink that masks its secrets.
   */
  private RunArtifacts artifacts(EventSink masked) {
    return new RunArtifacts(
        Wiring.fetchArtifacts(plan, templates, command.stateDir().resolve("artifacts"), masked),
        (id, vars) -> Wiring.artifactKey(plan.playbook(), templates, id, vars));
  }

  /**
   * Executes the plan: fetches the artifacts, then runs it, recorded ({@link Recording}). Whatever
   * ends the process meanwhile short of SIGKILL leaves the run paused with a reason and its leases
   * marked paused: the shutdown hook stops the run on SIGTERM, SIGINT or SIGHUP, and an internal
   * error (a bug) pauses it before it reaches the error handler. A fetch failure pauses the run (an
   * aborted run whose rollback could not fetch stays aborted).
   *
   * @param events where the run's events go besides its journal
   * @param err where notices go (a store outage, a report that could not be written)
   * @return how it ended ({@link Outcome#of})
   * @throws OrchestratorException with {@link ErrorKind#UPSTREAM_FAILED} when an artifact cannot be
   *     fetched
   */
  Outcome execute(EventSink events, PrintWriter err) {
    Recording recording = new Recording(journal, events, err);
    journal
        .store()
        .onOutage(
            notice -> {
              err.println("orchestrator: " + notice);
              err.flush();
            });
    RunExecutor.NextCommands next = command.next();
    Optional<WorkQueue> queue =
        shared.flatMap(
            s ->
                journal
                    .store()
                    .shared()
                    .map(q -> q.queue(journal.runId(), Coordination.CONTROLLER)));
    RunExecutor executor =
        new RunExecutor(
            connector,
            recording.events(),
            templates,
            settings(),
            queue.map(q -> shared.orElseThrow().execution(q, journal)));
    Coordination coordination =
        queue
            .map(q -> Coordination.take(q, shared.orElseThrow().hints(), executor::interrupt))
            .orElse(null);
    recording.pauseOnExit(executor, next, coordination);
    try {
      RunArtifacts artifacts;
      try {
        artifacts = artifacts(executor.events(plan));
      } catch (OrchestratorException e) {
        if (journal.info().status() != RunStatus.ABORTED) {
          // a run aborted before its rollback stays aborted: never resumable by a failed fetch
          journal.status(RunStatus.PAUSED, e.getMessage());
        }
        throw new OrchestratorException(
            ErrorKind.UPSTREAM_FAILED,
            e.getMessage(),
            e.hint() + "; continue with: " + next.resume(),
            e);
      }
      RunResult result =
          executor.execute(
              plan,
              journal,
              command.resumed(),
              command.mode(),
              new LinkedHashMap<String, Object>(inputs.vars()),
              artifacts);
      return Outcome.of(result);
    } catch (RuntimeException | Error e) {
      // A bug before the executor started (or after it ended): never leave the run "running".
      StoreFailures.recordPaused(e, journal, next.resume());
      if (e instanceof OrchestratorException oe) {
        throw StoreFailures.withResumeCommand(oe, journal, next.resume());
      }
      throw e;
    } finally {
      recording.close();
    }
  }

  /**
   * A worker's pipelines for its claims of the run ({@code worker}): the same settings, connector
   * and artifacts as {@link #execute}, the artifacts fetched through the run's masked sink. Not
   * wrapped in a {@link Recording}: the worker records the events itself ({@link EventRecorder}),
   * its own shutdown hook gives its claims back to the run rather than pausing it, and the run's
   * coordinator writes the report when the run ends.
   *
   * @param events the run's events on this worker (the console and the journal's record)
   */
  HostWork hostWork(EventSink events) {
    return new HostWork(connector, events, templates, settings(), journal, plan, this::artifacts);
  }
}
