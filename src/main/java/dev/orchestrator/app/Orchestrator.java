package dev.orchestrator.app;

import dev.orchestrator.common.ExitCode;
import dev.orchestrator.common.InputException;
import dev.orchestrator.common.OrchestratorException;
import dev.orchestrator.execute.LeaseCommands;
import dev.orchestrator.execute.Prober;
import dev.orchestrator.execute.RunExecutor;
import dev.orchestrator.inventory.Host;
import dev.orchestrator.inventory.Inventory;
import dev.orchestrator.inventory.InventoryLoader;
import dev.orchestrator.inventory.InventoryWarning;
import dev.orchestrator.plan.Plan;
import dev.orchestrator.plan.PlanOptions;
import dev.orchestrator.plan.Planner;
import dev.orchestrator.playbook.Playbook;
import dev.orchestrator.playbook.PlaybookLoader;
import dev.orchestrator.report.EventSink;
import dev.orchestrator.report.HtmlReport;
import dev.orchestrator.state.RunJournal;
import dev.orchestrator.state.RunState;
import dev.orchestrator.state.StateStore;
import dev.orchestrator.state.StoredLog;
import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.transport.Connector;
import dev.orchestrator.transport.ssh.SshConnector;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The application service: every operation on runs, for every caller (the CLI's commands, the
 * sandbox, later a web interface or another controller). Callers give plain requests and get typed
 * results; the service writes only to the event sink and the {@link Console} they pass. Errors are
 * {@link OrchestratorException}s ({@link InputException} for bad input: nothing written) whose exit
 * codes the caller maps.
 *
 * <p>Why one class of over 400 lines: it is the one entry every caller (CLI, sandbox, web console,
 * worker) goes through, one short method per operation delegating to the class that does it; the
 * methods' contracts are the bulk, and splitting the facade would give callers several services.
 */
public final class Orchestrator {
  private final Path localHome;

  /**
   * Creates the service.
   *
   * @param localHome the folder {@code connection: local} hosts run their commands in (their {@code
   *     HOME}; their leases and records live there): the user's home in production
   */
  public Orchestrator(Path localHome) {
    this.localHome = Objects.requireNonNull(localHome, "localHome");
  }

  /**
   * Plans a new run, or the rest of a stored run against its checkpoints; with {@code check},
   * connects and refines the plan with read-only probes. Writes nothing.
   *
   * @return the plan, and the hosts that could not be probed
   * @throws InputException on bad input or an unknown stored run
   */
  public PlanResult plan(PlanRequest request) {
    RunRequest asked = request.run();
    String runId = request.storedRunId().orElse(null);
    Optional<RunState> run = request.storedRunId().map(id -> asked.state().store().load(id));
    Playbook pb = new PlaybookLoader().load(asked.playbook());
    ConnectionSettings connection =
        new ConnectionSettings(asked.connection().knownHosts(), false, false);
    // The same inputs as the run (a new one, or the stored one with what is given now on top).
    RunInputs inputs =
        run.isPresent()
            ? RunInputs.forStoredRun(runId, run.get().info().spec(), pb, connection, asked.vars())
            : RunInputs.forNewRun(asked, pb);
    Map<String, Object> extra = inputs.vars();
    Inventory inv = InventoryLoader.load(asked.inventories(), folderOf(asked.playbook()));
    Optional<String> lim = asked.limit().or(() -> run.flatMap(r -> r.info().spec().limit()));
    TemplateEngine templates = new TemplateEngine(inputs.secretNames());
    Planner planner = new Planner(templates);
    String id = runId == null ? "(new run)" : runId;
    PlanOptions options = asked.selection().options(Set.of());
    if (run.isPresent() && asked.selection().isDefault()) {
      var spec = run.get().info().spec();
      options =
          new PlanOptions(
              spec.tags(), spec.skipTags(), spec.includeExpensive(), Set.of(), Map.of());
    }
    if (request.retryFailed()) {
      options = options.withScope(PlanOptions.Scope.FAILED_HOSTS_ONLY);
    }
    Plan plan =
        planner.plan(new dev.orchestrator.plan.PlanInput(pb, inv, extra, lim, id, run, options));
    Map<String, String> unreachable = new LinkedHashMap<>();
    if (request.check()) {
      Optional<Path> kh = inputs.spec().knownHosts().map(Path::of);
      var probes =
          new Prober(Wiring.connector(kh, false, localHome), templates, asked.forks())
              .probe(plan, unreachable);
      plan =
          planner.plan(
              new dev.orchestrator.plan.PlanInput(
                  pb, inv, extra, lim, id, run, options.withProbes(probes)));
    }
    Wiring.checkArtifactInputs(plan, templates);
    return new PlanResult(
        plan,
        request.check(),
        unreachable,
        inv.warnings().stream().map(InventoryWarning::toString).toList());
  }

  /**
   * Every static check a run makes before it starts, with no connection and nothing written.
   *
   * @return the plan the run would execute
   * @throws InputException with the first problem
   */
  public Plan validate(RunRequest request) {
    Playbook pb = new PlaybookLoader().load(request.playbook());
    RunInputs inputs = RunInputs.forNewRun(request, pb);
    Map<String, Object> all = inputs.vars();
    Inventory inv = InventoryLoader.load(request.inventories(), folderOf(request.playbook()));
    TemplateEngine templates = new TemplateEngine(inputs.secretNames());
    Plan plan =
        new Planner(templates)
            .plan(
                new dev.orchestrator.plan.PlanInput(
                    pb,
                    inv,
                    all,
                    request.limit(),
                    "(validate)",
                    Optional.empty(),
                    request.selection().options(Set.of())));
    Wiring.checkInputs(plan, templates);
    return plan;
  }

  /**
   * Plans, stores and executes a new run.
   *
   * @param events where the run's events go (they are also recorded in the run's folder)
   * @param console where notes besides the events go
   * @return how it ended: {@link Outcome#SUCCEEDED}, {@link Outcome#PAUSED} or {@link
   *     Outcome#REFUSED}
   * @throws InputException on bad input, before anything is written
   */
  public Outcome run(RunRequest request, EventSink events, Console console) {
    SshConnector.warmUpInBackground(); // overlaps planning
    Playbook pb = new PlaybookLoader().load(request.playbook());
    RunInputs inputs = RunInputs.forNewRun(request, pb);
    TemplateEngine templates = new TemplateEngine(inputs.secretNames());
    Inventory inv = InventoryLoader.load(request.inventories(), folderOf(request.playbook()));
    inv.warnings().forEach(w -> console.err().println("warning: " + w));
    String runId = StateStore.newRunId(pb.name());
    Plan plan =
        new Planner(templates)
            .plan(
                new dev.orchestrator.plan.PlanInput(
                    pb,
                    inv,
                    inputs.vars(),
                    request.limit(),
                    runId,
                    Optional.empty(),
                    request.selection().options(Set.of())));
    Wiring.checkInputs(plan, templates);
    Connector connector = Wiring.connector(inputs.spec(), localHome);
    RunJournal journal = request.state().store().create(runId, pb.name(), inputs.spec());
    CommandHints hints = request.hints();
    try {
      return Wiring.execute(
          plan,
          journal,
          connector,
          events,
          templates,
          request.forks(),
          false,
          new RunExecutor.NextCommands(hints.resume(runId), hints.approve(runId)),
          inputs.vars(),
          request.approval(),
          request.state().folder(),
          request.takeOver(),
          inputs.secretNames(),
          leaseCommands(hints, request.inventories(), inputs.spec().knownHosts().map(Path::of)),
          console.err(),
          new SharedBatches(
              hints,
              Set.of(),
              (state, rerun, host) ->
                  new Planner(templates)
                      .planHost(
                          new dev.orchestrator.plan.PlanInput(
                              pb,
                              inv,
                              inputs.vars(),
                              request.limit(),
                              runId,
                              Optional.of(state),
                              request.selection().options(rerun)),
                          host)));
    } finally {
      Wiring.close(journal);
    }
  }

  /**
   * Joins the running runs of a shared store as a worker (issue 15: several controllers on one run)
   * until stopped by a signal, or until the requested run is no longer running.
   *
   * @return {@link Outcome#SUCCEEDED} once it stopped
   * @throws InputException when the store is not a shared one, or the requested run does not exist
   */
  public Outcome work(WorkerRequest request, EventSink events, Console console) {
    SshConnector.warmUpInBackground();
    return new Worker(request, this, events, console, localHome).work();
  }

  /**
   * Continues a paused or interrupted run, after recording the request's step decision if any.
   *
   * @return {@link Outcome#ALREADY_SUCCEEDED}, or how the execution ended
   * @throws InputException on bad input (nothing written)
   * @throws OrchestratorException {@link ExitCode#ABORTED} for an aborted run, {@link
   *     ExitCode#REFUSED} while another live process on this machine executes it
   */
  public Outcome resume(ResumeRequest request, EventSink events, Console console) {
    SshConnector.warmUpInBackground(); // overlaps planning
    return Resumption.resume(request, events, console, localHome);
  }

  /**
   * Checks, before a caller continues a run in the background (the web console), what {@link
   * #resume} would refuse at once: an aborted run.
   *
   * @throws OrchestratorException {@link ExitCode#ABORTED} for an aborted run; {@link
   *     InputException} for an unknown one
   */
  public void checkResumable(StateLocation location, String runId, CommandHints hints) {
    Resumption.refuseAborted(location.store().load(runId).info(), hints);
  }

  /**
   * Records the operator's decision at the approval gates the run waits at. A rejection also ends
   * the run (aborted); an approval does not continue it ({@link #resume} does).
   *
   * @param actor who decides, recorded with the decision
   * @param role the actor's role (web console); empty for the CLI, not checked for roles
   * @return the gates decided
   * @throws InputException when the run waits at no approval gate (of the stage asked for)
   * @throws NotAllowed when a gate needs another role or another person than the starter
   */
  public DecidedGates decide(
      StoredRunRequest request,
      GateChoice choice,
      Actor actor,
      Optional<dev.orchestrator.playbook.Role> role) {
    return Approvals.decide(request, choice, actor, role);
  }

  /**
   * Stops a run for good and releases its leases; with {@code rollback}, first runs the playbook's
   * rollback steps on the hosts that need them.
   *
   * @return {@link Outcome#ABORTED}; with a rollback, {@link Outcome#PAUSED} while it is incomplete
   *     (abort again) or {@link Outcome#REFUSED} when another run holds a host
   * @throws InputException when a succeeded run is aborted without a rollback, or on bad input
   */
  public Outcome abort(
      StoredRunRequest request, boolean rollback, EventSink events, Console console) {
    return Abort.abort(request, rollback, events, console, localHome);
  }

  /**
   * The runs in a state store, newest last.
   *
   * @param state where the runs are
   */
  public RunView status(StateLocation state) {
    StateStore store = state.store();
    return new RunView(store.location(), store.list(), store.unreadableRuns());
  }

  /**
   * One stored run.
   *
   * @throws InputException naming the runs there are when it does not exist
   */
  public RunView.Run status(StateLocation location, String runId) {
    return new RunView.Run(location.store().load(runId));
  }

  /**
   * A run's stored events from index {@code from} on (JSON lines, {@code --output json}'s form),
   * for following a run from another process (the web console's live view).
   *
   * @param from how many events the caller has already seen
   * @throws InputException naming the runs there are when the run does not exist
   */
  public List<String> events(StateLocation location, String runId, int from) {
    return location.store().events(runId, from);
  }

  /**
   * What is left of a stored run, planned against its checkpoints as {@code resume} would (stages,
   * batches, gates and their states), for the web console's run view. Secret extra vars are not
   * given: a run that needs them cannot be planned here.
   *
   * @throws InputException when the run, its playbook or inventory cannot be loaded, or a secret
   *     var must be given again
   */
  public Plan plannedRest(StateLocation location, String runId) {
    return LoadedRun.load(location, runId, VarsInput.none(), ConnectionSettings.none())
        .plan(Set.of());
  }

  /**
   * The log of one attempt of a step on a host, if the store has it.
   *
   * @param state the state store
   * @param runId the run
   * @param attempt the attempt, from 1
   * @throws InputException for a run id or names that cannot be a log's
   */
  public Optional<StoredLog> stepLog(
      StateLocation state, String runId, String host, String stepId, int attempt) {
    return state.store().log(runId, StateStore.logName(host, stepId, attempt));
  }

  /**
   * Reads a stored log from a byte offset (what was added since the last look, for {@code logs
   * -f}).
   *
   * @param name the log's stored name ({@link StoredLog#name()})
   * @param offset bytes to skip
   * @return the stream; close it
   * @throws IOException when it cannot be read
   */
  public java.io.InputStream readLog(StateLocation state, String runId, String name, long offset)
      throws IOException {
    return state.store().readLog(runId, name, offset);
  }

  /**
   * Where a step log named in a checkpoint is, as the operator can open it (a file path for the
   * file store).
   */
  public String logLocation(StateLocation state, String runId, String name) {
    return state.store().logLocation(runId, name);
  }

  /**
   * The ids of the steps and rollback steps of a stored run's playbook, as its file reads now.
   *
   * @throws InputException when the playbook is gone or invalid
   */
  public List<String> playbookSteps(RunView.Run run) {
    Playbook pb = new PlaybookLoader().load(Path.of(run.state().info().spec().playbook()));
    List<String> out = new ArrayList<>();
    pb.steps().forEach(s -> out.add(s.id()));
    pb.rollback().forEach(s -> out.add(s.id()));
    return out;
  }

  /**
   * (Re)writes a run's HTML report: into the run's folder in the file store; for a store that keeps
   * runs elsewhere (a database), into {@code <state-dir>/reports/<run>/} on this machine.
   *
   * @return the report file
   * @throws InputException for an unknown run
   */
  public Path report(StateLocation state, String runId) {
    StateStore store = state.store();
    store.load(runId); // an unknown run id is reported with the runs there are
    Path runDir = state.reportDir(store, runId);
    try {
      return HtmlReport.write(
          store, runId, dev.orchestrator.state.PrivateFiles.directories(runDir));
    } catch (IOException e) {
      throw new OrchestratorException(
          ExitCode.INTERNAL_ERROR,
          "cannot write the report of run " + runId + ": " + e.getMessage(),
          "check the permissions of " + runDir,
          e);
    }
  }

  /**
   * An inventory's hosts, as {@code ansible-inventory} shows them (no playbook's {@code
   * group_vars/}).
   *
   * @param inventories the inventory sources ({@code -i}), in order, at least one
   * @param limit a host pattern, if any
   * @return the inventory and the hosts selected
   * @throws InputException on an invalid inventory or pattern
   */
  public InventoryView inventory(List<Path> inventories, Optional<String> limit) {
    Inventory inv = InventoryLoader.load(inventories);
    List<Host> hosts =
        limit.isEmpty() ? List.copyOf(inv.hosts().values()) : inv.select(limit.get());
    return new InventoryView(inv, hosts);
  }

  /**
   * Releases a host's lease whoever holds it, and records that in the holder run when it is in this
   * state store.
   *
   * @param knownHosts the known_hosts file, if not the default
   * @throws InputException when the host is not in the inventory
   * @throws OrchestratorException {@link ExitCode#PAUSED} when the host cannot be reached
   */
  public Unlocked unlock(
      String host, List<Path> inventories, Optional<Path> knownHosts, StateLocation state) {
    return Unlock.unlock(host, inventories, knownHosts, state, localHome);
  }

  /**
   * The playbook's folder, whose {@code group_vars/} and {@code host_vars/} a run reads as {@code
   * ansible-playbook} does.
   */
  static Optional<Path> folderOf(Path playbook) {
    return Optional.ofNullable(playbook.toAbsolutePath().getParent());
  }

  /**
   * The commands a lease refusal shows: the holder run's resume and abort, and this host's unlock
   * with the inventory and known_hosts in use.
   */
  static LeaseCommands leaseCommands(
      CommandHints hints, List<Path> inventories, Optional<Path> knownHosts) {
    return new LeaseCommands() {
      @Override
      public String resume(String runId) {
        return hints.program() + " resume " + runId;
      }

      @Override
      public String abort(String runId) {
        return hints.program() + " abort " + runId;
      }

      @Override
      public String unlock(String host) {
        return hints.unlock(host, inventories, knownHosts);
      }
    };
  }
}
