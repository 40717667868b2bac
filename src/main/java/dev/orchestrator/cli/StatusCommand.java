package dev.orchestrator.cli;

import dev.orchestrator.app.RunView;
import dev.orchestrator.state.Checkpoint;
import dev.orchestrator.state.HostRecord;
import dev.orchestrator.state.HostState;
import dev.orchestrator.state.LeaseRecord;
import dev.orchestrator.state.LeaseState;
import dev.orchestrator.state.RunInfo;
import dev.orchestrator.state.RunState;
import dev.orchestrator.state.RunStatus;
import dev.orchestrator.state.StepStatus;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code orchestrator status [RUN_ID]}: the runs, or one run's hosts and the step each reached. */
@Command(
    name = "status",
    description = "Show the runs, or for one run each host's step and state.",
    footer = {
      "%nExamples:%n  orchestrator status%n  orchestrator status 20261121-051207-nextcloud-update-3fa2 --output json"
    })
final class StatusCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "RUN_ID",
      description = "The run to show; without it, every run.")
  String runId;

  @Mixin CommonOptions.Output output = new CommonOptions.Output();

  @Mixin CommonOptions.State state;

  @ParentCommand OrchestratorCommand top;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    java.io.PrintWriter out = spec.commandLine().getOut();
    if (runId == null) {
      RunView view = top.service().status(state.location());
      List<RunInfo> runs = view.runs();
      java.io.PrintWriter err = spec.commandLine().getErr();
      for (String unreadable : view.unreadable()) {
        err.println("warning: " + unreadable + " (run left out)");
      }
      if (!view.unreadable().isEmpty()) {
        err.println(
            "hint: restore a damaged run.json from a backup, or move its run folder out of the"
                + " state folder");
        err.flush();
      }
      if (output.json()) {
        out.println(dev.orchestrator.state.Json.pretty(runs));
        return 0;
      }
      if (runs.isEmpty()) {
        out.println(
            "no runs in "
                + view.root()
                + "; start one with: "
                + Launcher.command()
                + " run PLAYBOOK -i INVENTORY");
        return 0;
      }
      for (RunInfo r : runs) {
        out.printf(
            "%-48s %-9s %s  %s%n",
            r.id(),
            r.status().label(),
            r.createdAt(),
            dev.orchestrator.common.Echo.escaped(r.reason()));
      }
      return 0;
    }
    RunView.Run stored = top.service().status(state.location(), runId);
    RunState run = stored.state();
    if (output.json()) {
      out.println(dev.orchestrator.state.Json.pretty(run));
      return 0;
    }
    RunInfo info = run.info();
    out.printf(
        "run %s (%s): %s%s%n",
        info.id(),
        dev.orchestrator.common.Echo.escaped(info.playbookName()),
        info.status().label(),
        info.reason().isEmpty() ? "" : ": " + dev.orchestrator.common.Echo.escaped(info.reason()));
    out.printf(
        "started %s%s, last change %s; playbook %s, inventory %s%n",
        info.createdAt(),
        info.spec().startedBy().isEmpty() ? "" : " by " + info.spec().startedBy(),
        info.updatedAt(),
        dev.orchestrator.common.Echo.escaped(String.valueOf(info.spec().playbook())),
        dev.orchestrator.common.Echo.escaped(String.join(", ", info.spec().inventories())));
    if (run.tornLines() > 0) {
      out.printf(
          "note: %d unreadable journal line(s) were ignored%s%n",
          run.tornLines(), run.unreadable().isEmpty() ? " (a write cut short by a crash)" : ":");
      run.unreadable().forEach(u -> out.println("  " + dev.orchestrator.common.Echo.escaped(u)));
    }
    out.println();
    int width = run.checkpoints().keySet().stream().mapToInt(String::length).max().orElse(4);
    for (String host : run.checkpoints().keySet()) {
      List<Checkpoint> cps = run.checkpoints(host);
      String line = hostLine(cps, run.hostRecords().get(host), info);
      LeaseRecord lease = run.leases().get(host);
      if (lease != null && lease.state() != LeaseState.RELEASED) {
        line = line + "  [lease " + lease.state().label() + "]";
      }
      // host names, step ids and a host's messages: escaped, so that none drives the terminal
      out.printf(
          "  %-" + width + "s  %s%n",
          dev.orchestrator.common.Echo.escaped(host),
          dev.orchestrator.common.Echo.escaped(line));
    }
    if (run.checkpoints().isEmpty()) {
      out.println("  no host has started a step yet");
    }
    if (info.status() == RunStatus.PAUSED || info.status() == RunStatus.RUNNING) {
      out.printf("%nto continue: %s%n", state.resumeCommand(runId));
    }
    return 0;
  }

  /**
   * Where one host stands, from its checkpoints and its latest host record. A failed or running
   * step wins, the most recent one (a rollback step that failed after the step that started the
   * rollback is where the host is paused); then the host record (unreachable, rolled back; a host
   * that finished records {@code done}, which supersedes both); else the steps done.
   */
  private String hostLine(List<Checkpoint> cps, HostRecord record, RunInfo info) {
    Checkpoint stopped =
        cps.stream()
            .filter(c -> c.status() == StepStatus.FAILED || c.status() == StepStatus.RUNNING)
            .max(java.util.Comparator.comparing(StatusCommand::changedAt))
            .orElse(null);
    HostState recorded = record == null ? null : record.state();
    String line;
    if (stopped != null && stopped.status() == StepStatus.FAILED) {
      line =
          "paused at "
              + stopped.stepId()
              + " (attempt "
              + stopped.attempt()
              + "): "
              + stopped.message()
              + (stopped.logFile().isEmpty()
                  ? ""
                  : "  log: "
                      + top.service().logLocation(state.location(), info.id(), stopped.logFile()));
    } else if (recorded == HostState.UNREACHABLE) {
      line = "unreachable: " + record.message();
    } else if (stopped != null) {
      line =
          (info.status() == RunStatus.RUNNING ? "running " : "interrupted at ")
              + stopped.stepId()
              + " (attempt "
              + stopped.attempt()
              + ", since "
              + stopped.startedAt()
              + ")";
    } else if (recorded == HostState.ROLLED_BACK) {
      line = "rolled back: " + record.message();
    } else {
      long done = cps.stream().filter(c -> c.status().isDone()).count();
      Checkpoint last =
          cps.stream()
              .filter(c -> c.status().isDone())
              .max(java.util.Comparator.comparing(StatusCommand::changedAt))
              .orElse(cps.get(cps.size() - 1));
      line = done + " step(s) done, last: " + last.stepId();
    }
    List<String> ignored =
        cps.stream().filter(Checkpoint::ignored).map(Checkpoint::stepId).toList();
    if (!ignored.isEmpty()) {
      // Ansible's ignored= of the recap: failures that ignore_errors let the host go past
      line = line + "; failed, ignored: " + String.join(", ", ignored);
    }
    return line;
  }

  /** When a checkpoint last changed: its end, else its start; the epoch when it has neither. */
  private static java.time.Instant changedAt(Checkpoint c) {
    return c.endedAt() != null
        ? c.endedAt()
        : c.startedAt() != null ? c.startedAt() : java.time.Instant.EPOCH;
  }
}
