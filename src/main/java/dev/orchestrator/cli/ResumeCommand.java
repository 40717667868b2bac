package dev.orchestrator.cli;

import dev.orchestrator.common.ExitCode;
import dev.orchestrator.common.InputException;
import dev.orchestrator.common.OrchestratorException;
import dev.orchestrator.inventory.Inventory;
import dev.orchestrator.inventory.InventoryLoader;
import dev.orchestrator.plan.Plan;
import dev.orchestrator.plan.Planner;
import dev.orchestrator.playbook.Playbook;
import dev.orchestrator.playbook.PlaybookLoader;
import dev.orchestrator.playbook.Step;
import dev.orchestrator.state.Checkpoint;
import dev.orchestrator.state.RunInfo;
import dev.orchestrator.state.RunJournal;
import dev.orchestrator.state.RunSpec;
import dev.orchestrator.state.RunState;
import dev.orchestrator.state.RunStatus;
import dev.orchestrator.state.RunStore;
import dev.orchestrator.state.StepStatus;
import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.transport.Connector;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code orchestrator resume RUN_ID}: continues a paused or interrupted run. Every paused or
 * unfinished host continues at its first unfinished step (a failed step runs again, attempt + 1);
 * succeeded steps never run again; then the remaining batches and stages follow.
 */
@Command(
    name = "resume",
    description = "Continue a paused or interrupted run at each host's first unfinished step.")
final class ResumeCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "RUN_ID",
      description = "The run to continue (see: orchestrator status).")
  String runId;

  @Option(
      names = "--retry-failed",
      description =
          "Only retry the failed (paused) hosts at their failed step; the rollout then stays paused so you can check them before it continues.")
  boolean retryFailed;

  @Option(
      names = "--skip-step",
      paramLabel = "STEP",
      description = "Mark STEP as skipped on the host given with --host, then continue after it.")
  String skipStep;

  @Option(names = "--host", paramLabel = "HOST", description = "The host for --skip-step.")
  String host;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "text",
      paramLabel = "FORMAT",
      description = "text or json (one event per line).")
  CommonOptions.Format output = CommonOptions.Format.text;

  @Mixin CommonOptions.State state = new CommonOptions.State();

  @Mixin CommonOptions.Vars vars = new CommonOptions.Vars();

  /** The command shown to continue, when not the default resume (the sandbox sets its own). */
  String nextCommand;

  @Override
  public Integer call() {
    if ((skipStep == null) != (host == null)) {
      throw new InputException(
          "--skip-step and --host go together", "write e.g. --skip-step upgrade --host prod-2");
    }
    RunStore store = new RunStore(state.stateDir);
    RunState run = store.load(runId);
    RunInfo info = run.info();
    if (info.status() == RunStatus.SUCCEEDED) {
      System.out.println("run " + runId + " has already succeeded; nothing to resume.");
      return ExitCode.SUCCEEDED.code();
    }
    if (info.status() == RunStatus.ABORTED) {
      throw new OrchestratorException(
          ExitCode.ABORTED,
          "run " + runId + " was aborted" + (info.reason().isEmpty() ? "" : ": " + info.reason()),
          "start a new run with: " + Launcher.command() + " run ...");
    }
    if (info.status() == RunStatus.RUNNING
        && info.controllerPid() != ProcessHandle.current().pid()
        && ProcessHandle.of(info.controllerPid()).map(ProcessHandle::isAlive).orElse(false)) {
      throw new OrchestratorException(
          ExitCode.REFUSED,
          "run "
              + runId
              + " is being executed by process "
              + info.controllerPid()
              + " on this machine",
          "wait for it to finish, or stop that process; then: " + state.resumeCommand(runId));
    }
    RunSpec spec = info.spec();
    Map<String, String> extra = new LinkedHashMap<>(spec.extraVars());
    Map<String, String> given = vars.parse();
    for (String secret : spec.secretVarNames()) {
      if (!given.containsKey(secret)) {
        throw new InputException(
            "run "
                + runId
                + " was started with the secret variable '"
                + secret
                + "', which is never stored",
            "pass it again: -e " + secret + "=...");
      }
    }
    extra.putAll(given);
    TemplateEngine templates = new TemplateEngine();
    Playbook pb = new PlaybookLoader().load(Path.of(spec.playbook()));
    Inventory inv = InventoryLoader.load(Path.of(spec.inventory()));
    Optional<Checkpoint> skip = skipCheckpoint(pb, inv, run);
    Plan plan = new Planner(templates).plan(pb, inv, extra, spec.limit(), runId, Optional.of(run));
    Wiring.checkConnectionInputs(plan);
    Connector connector =
        Wiring.connector(spec.knownHosts().map(Path::of), spec.acceptNewHostKeys());
    Set<String> failedHosts = failedHosts(run);
    RunJournal journal = store.open(runId);
    try {
      if (skip.isPresent()) {
        journal.record(skip.get());
        plan =
            new Planner(templates)
                .plan(pb, inv, extra, spec.limit(), runId, Optional.of(store.load(runId)));
      }
      String next = nextCommand != null ? nextCommand : state.resumeCommand(runId);
      return Wiring.execute(
          plan,
          journal,
          connector,
          Wiring.sink(output, System.out),
          templates,
          spec.forks(),
          true,
          retryFailed ? failedHosts::contains : h -> true,
          next);
    } finally {
      Wiring.close(journal);
    }
  }

  /** Validates {@code --skip-step} before anything is written and builds its checkpoint. */
  private Optional<Checkpoint> skipCheckpoint(Playbook pb, Inventory inv, RunState run) {
    if (skipStep == null) {
      return Optional.empty();
    }
    Step step =
        pb.steps().stream()
            .filter(s -> s.id().equals(skipStep))
            .findFirst()
            .orElseThrow(
                () ->
                    new InputException(
                        "--skip-step: the playbook has no step '" + skipStep + "'",
                        "step ids are: "
                            + String.join(", ", pb.steps().stream().map(Step::id).toList())));
    Optional<Checkpoint> current = run.checkpoint(host, step.id());
    if (inv.host(host).isEmpty()) {
      throw new InputException(
          "--host: there is no host '" + host + "' in the inventory " + inv.file(),
          "hosts are: " + String.join(", ", inv.hosts().keySet()));
    }
    if (current.isPresent() && current.get().status() == StepStatus.SUCCEEDED) {
      throw new InputException(
          "step '" + skipStep + "' already succeeded on " + host,
          "there is nothing to skip; run resume without --skip-step");
    }
    int attempt = current.map(Checkpoint::attempt).orElse(0);
    Instant now = Instant.now();
    return Optional.of(
        new Checkpoint(
            host,
            step.id(),
            StepStatus.SKIPPED,
            attempt,
            now,
            now,
            null,
            "skipped by the operator (resume --skip-step)",
            step.register().isPresent()
                ? Map.of("skipped", true, "rc", 0, "stdout", "", "stderr", "")
                : Map.of(),
            ""));
  }

  private static Set<String> failedHosts(RunState run) {
    Set<String> out = new HashSet<>();
    run.checkpoints()
        .forEach(
            (h, steps) ->
                steps
                    .values()
                    .forEach(
                        c -> {
                          if (c.status() == StepStatus.FAILED || c.status() == StepStatus.RUNNING) {
                            out.add(h);
                          }
                        }));
    run.hostRecords()
        .forEach(
            (h, r) -> {
              if (r.state().equals("unreachable")) {
                out.add(h);
              }
            });
    return out;
  }
}
