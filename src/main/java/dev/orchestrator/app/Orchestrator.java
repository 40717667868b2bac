package dev.orchestrator.app;

import dev.orchestrator.common.ErrorKind;
import dev.orchestrator.common.InputException;
import dev.orchestrator.common.OrchestratorException;
import dev.orchestrator.execute.LeaseCommands;
import dev.orchestrator.execute.Prober;
import dev.orchestrator.inventory.Host;
import dev.orchestrator.inventory.Inventory;
import dev.orchestrator.inventory.InventoryWarning;
import dev.orchestrator.plan.Plan;
import dev.orchestrator.plan.PlanOptions;
import dev.orchestrator.playbook.Playbook;
import dev.orchestrator.report.EventSink;
import dev.orchestrator.report.HtmlReport;
import dev.orchestrator.state.RunJournal;
import dev.orchestrator.state.StateStore;
import dev.orchestrator.state.StoredLog;
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
 * codes the caller maps. Operations that execute steps assemble their execution one way ({@link
 * Execution}); {@code run}, {@code plan} and {@code validate} load and plan one way ({@link
 * RequestedRun}).
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
    RequestedRun asked = RequestedRun.forPlan(request.run(), request.storedRunId());
    PlanOptions options = asked.options;
    if (request.retryFailed()) {
      options = options.withScope(PlanOptions.Scope.FAILED_HOSTS_ONLY);
    }
    Plan plan = asked.plan(options);
    Map<String, String> unreachable = new LinkedHashMap<>();
    if (request.check()) {
      Optional<Path> kh = asked.inputs.spec().knownHosts().map(Path::of);
      var probes =
          new Prober(Wiring.connector(kh, false, localHome), asked.templates, request.run().forks())
              .probe(plan, unreachable);
      plan = asked.plan(options.withProbes(probes));
    }
    Wiring.checkArtifactInputs(plan, asked.templates);
    return new PlanResult(
        plan,
        request.check(),
        unreachable,
        asked.inventory.warnings().stream().map(InventoryWarning::toString).toList());
  }

  /**
   * {@code plan --check --diff}: the unified diff of every file that a {@code template:} or {@code
   * copy:} step of {@code plan} would change, read from the hosts read-only, secrets masked ({@link
   * dev.orchestrator.execute.FileDiffs}).
   */
  public List<String> fileDiffs(PlanRequest request, Plan plan) {
    RequestedRun asked = RequestedRun.forPlan(request.run(), request.storedRunId());
    Optional<Path> kh = asked.inputs.spec().knownHosts().map(Path::of);
    return new dev.orchestrator.execute.FileDiffs(
            Wiring.connector(kh, false, localHome), asked.templates, asked.inputs.secretNames())
        .diffs(plan);
  }

  /**
   * Every static check a run makes before it starts, with no connection and nothing written.
   *
   * @return the plan the run would execute
   * @throws InputException with the first problem
   */
  public Plan validate(RunRequest request) {
    RequestedRun run = RequestedRun.load(request, pb -> "(validate)");
    Plan plan = run.plan();
    Wiring.checkInputs(plan, run.templates);
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
    RequestedRun run = RequestedRun.load(request, pb -> StateStore.newRunId(pb.name()));
    run.inventory.warnings().forEach(w -> console.err().println("warning: " + w));
    Plan plan = run.plan();
    Wiring.checkInputs(plan, run.templates);
    SharedBatches.check(request.state().store(), plan);
    Connector connector = Wiring.connector(run.inputs.spec(), localHome);
    RunJournal journal =
        request.state().store().create(run.id, run.playbook.name(), run.inputs.spec());
    try {
      return new Execution(
              plan,
              journal,
              run.inputs,
              run.templates,
              connector,
              Execution.Command.run(request, run.id),
              Optional.of(new SharedBatches(request.hints(), Set.of(), run::planHost)))
          .execute(events, console.err());
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
   * @throws OrchestratorException {@link ErrorKind#RUN_ABORTED} for an aborted run, {@link
   *     ErrorKind#CONFLICT} while another live process on this machine executes it
   */
  public Outcome resume(ResumeRequest request, EventSink events, Console console) {
    SshConnector.warmUpInBackground(); // overlaps planning
    return Resumption.resume(request, events, console, localHome);
  }

  /**
   * Checks, before a caller continues a run in the background (the web console), what {@link
   * #resume} would refuse at once: an aborted run.
   *
   * @throws OrchestratorException {@link ErrorKind#RUN_ABORTED} for an aborted run; {@link
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
   * The ids of the steps, rollback steps and handler runs of a stored run's playbook, as its file
   * reads now.
   *
   * @throws InputException when the playbook is gone or invalid
   */
  public List<String> playbookSteps(RunView.Run run) {
    Playbook pb =
        AnsibleDefaults.playbook(
            Path.of(run.state().info().spec().playbook()), run.state().info().spec().privilege());
    List<String> out = new ArrayList<>();
    pb.steps().forEach(s -> out.add(s.id()));
    pb.rollback().forEach(s -> out.add(s.id()));
    dev.orchestrator.playbook.Handlers.runs(pb).forEach(s -> out.add(s.id()));
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
          ErrorKind.BUG,
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
    Inventory inv = AnsibleDefaults.shown(inventories);
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
   * @throws OrchestratorException {@link ErrorKind#UPSTREAM_FAILED} when the host cannot be reached
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
