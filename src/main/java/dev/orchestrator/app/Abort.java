package dev.orchestrator.app;

import dev.orchestrator.common.ErrorKind;
import dev.orchestrator.common.InputException;
import dev.orchestrator.common.OrchestratorException;
import dev.orchestrator.execute.HostLease;
import dev.orchestrator.plan.Plan;
import dev.orchestrator.plan.Planner;
import dev.orchestrator.report.EventSink;
import dev.orchestrator.state.LeaseState;
import dev.orchestrator.state.RunJournal;
import dev.orchestrator.state.RunSpec;
import dev.orchestrator.state.RunStatus;
import dev.orchestrator.transport.Connection;
import dev.orchestrator.transport.Connector;
import dev.orchestrator.transport.TransportException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Stops a run for good and releases its leases ({@link Orchestrator#abort}). With a rollback the
 * playbook's rollback steps run on every host that got past the step marked {@code rollback_from:
 * true}, checkpointed like any step; a rollback that fails can be continued by aborting again (its
 * hosts keep their leases until then). A host that cannot be reached keeps its lease, recorded as
 * unreleased, with the command that releases it.
 */
final class Abort {
  private Abort() {}

  /**
   * Aborts the run.
   *
   * @param localHome where {@code connection: local} hosts run their commands
   * @return {@link Outcome#ABORTED}; with a rollback, {@link Outcome#PAUSED} while it is incomplete
   *     or {@link Outcome#REFUSED} when another run holds a host
   * @throws InputException when a succeeded run is aborted without a rollback, or on bad input
   */
  static Outcome abort(
      StoredRunRequest request,
      boolean rollback,
      EventSink events,
      Console console,
      Path localHome) {
    String runId = request.runId();
    CommandHints hints = request.hints();
    java.io.PrintWriter out = console.out();
    LoadedRun run = LoadedRun.load(request);
    run.refuseIfRunningElsewhere(hints);
    RunStatus status = run.info().status();
    if (status == RunStatus.SUCCEEDED && !rollback) {
      throw new InputException(
          "run " + runId + " has succeeded; there is nothing to stop",
          "to undo it, use: " + hints.command("abort", runId) + " --rollback");
    }
    if (status == RunStatus.ABORTED && !rollback) {
      out.println("run " + runId + " is already aborted: " + run.info().reason());
      try (RunJournal journal = run.store.open(runId);
          Recording recording = new Recording(journal, events, console.err())) {
        releaseLeases(run, journal, java.util.Set.of(), hints, out, localHome);
      } catch (java.io.IOException e) {
        throw new OrchestratorException(
            ErrorKind.BUG,
            "cannot record the released leases: " + e.getMessage(),
            "check the state folder",
            e);
      }
      return Outcome.ABORTED;
    }
    if (!rollback) {
      // Recorded as every command that changes a run is: its report is written again (it showed
      // the run paused or running).
      try (RunJournal journal = run.store.open(runId);
          Recording recording = new Recording(journal, events, console.err())) {
        journal.status(RunStatus.ABORTED, "aborted by " + request.actor().describe());
        Approvals.recordAction(journal, request.actor(), "abort", "");
        releaseLeases(run, journal, java.util.Set.of(), hints, out, localHome);
      } catch (java.io.IOException e) {
        throw new OrchestratorException(
            ErrorKind.BUG,
            "cannot record the abort: " + e.getMessage(),
            "check the state folder",
            e);
      }
      out.println(
          "run "
              + runId
              + " aborted; its hosts stay as they are (paused hosts keep their checkpoints for inspection).");
      return Outcome.ABORTED;
    }
    Plan plan =
        new Planner(run.templates)
            .planRollback(
                new dev.orchestrator.plan.PlanInput(
                    run.playbook,
                    run.inventory,
                    run.extraVars,
                    java.util.Optional.empty(),
                    runId,
                    java.util.Optional.of(run.state),
                    dev.orchestrator.plan.PlanOptions.DEFAULT));
    Wiring.checkInputs(plan, run.templates);
    Connector connector = Wiring.connector(run.inputs.spec(), localHome);
    RunJournal journal = Wiring.openWithOverrides(run, console.err());
    try {
      // Executed like a run (Execution): the rollback's events reach events.jsonl and the HTML
      // report, and a stopped process leaves the rollback paused (issue 22).
      Outcome outcome =
          new Execution(
                  plan,
                  journal,
                  run.inputs,
                  run.templates,
                  connector,
                  Execution.Command.rollback(request),
                  Optional.empty())
              .execute(events, console.err());
      // Hosts the rollback does not need are free now; those it paused on keep their lease.
      releaseLeases(
          run,
          journal,
          plan.hosts()
              .filter(dev.orchestrator.plan.PlannedHost::needsWork)
              .map(h -> h.host().name())
              .collect(java.util.stream.Collectors.toSet()),
          hints,
          out,
          localHome);
      // The executor recorded the run aborted, rolled back or not, and said so.
      return outcome;
    } finally {
      Wiring.close(journal);
    }
  }

  /**
   * Releases the leases the run still holds (its journal says active, paused or unreleased), except
   * on {@code keep}, and records each in the journal. A host that cannot be reached keeps its
   * lease: recorded as unreleased, with the {@code unlock} command that releases it later (running
   * this abort again also retries).
   */
  private static void releaseLeases(
      LoadedRun run,
      RunJournal journal,
      java.util.Set<String> keep,
      CommandHints hints,
      java.io.PrintWriter out,
      Path localHome) {
    String runId = run.id();
    RunSpec spec = run.info().spec();
    java.util.List<String> hosts =
        run.store.load(runId).leases().entrySet().stream()
            .filter(e -> !keep.contains(e.getKey()))
            .filter(e -> e.getValue().state().held())
            .map(java.util.Map.Entry::getKey)
            .toList();
    Connector connector = null;
    for (String host : hosts) {
      String unlock =
          hints.unlock(host, Wiring.paths(spec.inventories()), spec.knownHosts().map(Path::of));
      java.util.Optional<dev.orchestrator.inventory.Host> h = run.inventory.host(host);
      if (h.isEmpty()) {
        String why =
            "the run aborted, but "
                + host
                + " is no longer in the inventory "
                + String.join(", ", spec.inventories())
                + ", so its lease was not released; add it back and run: "
                + unlock;
        journal.recordLease(host, LeaseState.UNRELEASED, why);
        out.println(why);
        continue;
      }
      String path;
      HostLease.Check check;
      try {
        path = HostLease.path(host, h.get().vars());
        if (connector == null) {
          connector =
              Wiring.connector(
                  spec.knownHosts().map(Path::of), spec.acceptNewHostKeys(), localHome);
        }
        try (Connection c =
            connector.open(host, dev.orchestrator.execute.Endpoints.of(h.get().connection()))) {
          check = HostLease.release(c, runId, host, path);
        }
      } catch (TransportException | OrchestratorException e) {
        check = new HostLease.Check.Failed("cannot reach " + host + ": " + e.getMessage());
      }
      if (check instanceof HostLease.Check.Ours) {
        journal.recordLease(
            host, LeaseState.RELEASED, "released by " + Approvals.who() + " (abort)");
        out.println("released the lease of " + host + ".");
      } else if (check instanceof HostLease.Check.Lost lost) {
        journal.recordLease(
            host,
            LeaseState.RELEASED,
            "not held by this run any more"
                + (lost.line().isEmpty() ? "" : " (the lease file names: " + lost.line() + ")"));
      } else if (check instanceof HostLease.Check.Failed f) {
        String why =
            "could not release the lease of "
                + host
                + ": "
                + f.why()
                + "; once it is reachable, release it with: "
                + unlock
                + " (or run this abort again)";
        journal.recordLease(host, LeaseState.UNRELEASED, why);
        out.println(why);
      }
    }
  }
}
