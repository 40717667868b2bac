package dev.orchestrator.cli;

import dev.orchestrator.common.ExitCode;
import dev.orchestrator.common.InputException;
import dev.orchestrator.common.OrchestratorException;
import dev.orchestrator.execute.RunExecutor;
import dev.orchestrator.plan.Plan;
import dev.orchestrator.plan.PlannedHost;
import dev.orchestrator.plan.PlannedStep;
import dev.orchestrator.plan.Prediction;
import dev.orchestrator.playbook.Step;
import dev.orchestrator.state.Checkpoint;
import dev.orchestrator.state.RunJournal;
import dev.orchestrator.state.RunSpec;
import dev.orchestrator.state.RunState;
import dev.orchestrator.state.RunStatus;
import dev.orchestrator.state.StepStatus;
import dev.orchestrator.transport.Connector;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
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
 * succeeded steps never run again; then the remaining gates, batches and stages follow. A step
 * edited after it succeeded somewhere is refused unless {@code --rerun-step}.
 */
@Command(
    name = "resume",
    description = "Continue a paused or interrupted run at each host's first unfinished step.",
    footer = {
      "%nExamples:%n  orchestrator resume 20261121-051207-nextcloud-update-3fa2%n  orchestrator resume 20261121-051207-nextcloud-update-3fa2 --retry-failed%n  orchestrator resume 20261121-051207-nextcloud-update-3fa2 --assume-done upgrade --host cloud2.example.org"
    })
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

  @Option(
      names = "--assume-done",
      paramLabel = "STEP",
      description = "A step in doubt on --host finished: record it as succeeded and go on.")
  String assumeDone;

  @Option(
      names = "--rerun",
      paramLabel = "STEP",
      description = "A step in doubt on --host did not finish (or should run again): run it again.")
  String rerun;

  @Option(
      names = "--host",
      paramLabel = "HOST",
      description = "The host for --skip-step, --assume-done or --rerun.")
  String host;

  @Option(
      names = "--rerun-step",
      paramLabel = "STEP",
      description =
          "Run STEP again where it already succeeded, with its edited definition. Repeatable.")
  List<String> rerunSteps = new ArrayList<>();

  @Mixin CommonOptions.Output output = new CommonOptions.Output();

  @Option(
      names = "--take-over",
      description =
          "Take over stale leases (heartbeat older than their TTL) held by runs of other machines.")
  boolean takeOver;

  @Mixin CommonOptions.State state = new CommonOptions.State();

  @Mixin CommonOptions.Vars vars = new CommonOptions.Vars();

  @Mixin CommonOptions.ConnectionOptions connection = new CommonOptions.ConnectionOptions();

  /** The commands shown to continue, when not the default ones (the sandbox sets its own). */
  RunExecutor.NextCommands nextCommands;

  /** Whether approval gates pass by themselves (the sandbox demo). */
  boolean autoApprove;

  @Override
  public Integer call() {
    dev.orchestrator.transport.ssh.SshConnector.warmUpInBackground(); // overlaps planning

    long decisions =
        java.util.stream.Stream.of(skipStep, assumeDone, rerun)
            .filter(java.util.Objects::nonNull)
            .count();
    if (decisions > 1) {
      throw new InputException(
          "--skip-step, --assume-done and --rerun decide about one step at a time",
          "give one of them, with --host");
    }
    if ((decisions == 1) != (host != null)) {
      throw new InputException(
          "--skip-step and --host go together (as do --assume-done and --rerun)",
          "write e.g. --skip-step upgrade --host prod-2");
    }
    LoadedRun run = LoadedRun.load(state.stateDir, runId, vars, connection);
    if (run.info().status() == RunStatus.SUCCEEDED) {
      System.out.println("run " + runId + " has already succeeded; nothing to resume.");
      return ExitCode.SUCCEEDED.code();
    }
    if (run.info().status() == RunStatus.ABORTED) {
      throw new OrchestratorException(
          ExitCode.ABORTED,
          "run "
              + runId
              + " was aborted"
              + (run.info().reason().isEmpty() ? "" : ": " + run.info().reason()),
          "an aborted run cannot be resumed; start a new run with: "
              + Launcher.command()
              + " run ...");
    }
    run.refuseIfRunningElsewhere(state);
    for (String s : rerunSteps) {
      if (run.playbook.steps().stream().noneMatch(st -> st.id().equals(s))) {
        throw new InputException(
            "--rerun-step: the playbook has no step '" + s + "'",
            "step ids are: "
                + String.join(", ", run.playbook.steps().stream().map(Step::id).toList()));
      }
    }
    Optional<Checkpoint> skip = skipCheckpoint(run);
    Plan plan = run.plan(new LinkedHashSet<>(rerunSteps));
    refuseEditedSteps(plan, run.info().spec());
    Wiring.checkConnectionInputs(plan);
    Wiring.checkArtifactInputs(plan, run.templates);
    RunSpec spec = run.inputs.spec();
    Connector connector = Wiring.connector(spec);
    Set<String> failedHosts = failedHosts(run.state);
    RunJournal journal = run.store.open(runId);
    try {
      Wiring.recordOverrides(journal, run.inputs);
      if (skip.isPresent()) {
        journal.record(skip.get());
        plan = LoadedRun.load(state.stateDir, runId, vars).plan(new LinkedHashSet<>(rerunSteps));
      }
      RunExecutor.NextCommands next = nextCommands != null ? nextCommands : state.next(runId);
      return Wiring.execute(
          plan,
          journal,
          connector,
          Wiring.sink(output.format, System.out),
          run.templates,
          spec.forks(),
          true,
          retryFailed ? failedHosts::contains : h -> true,
          next,
          run.extraVars,
          autoApprove,
          state.stateDir,
          takeOver,
          run.secretNames,
          state.leaseCommands(
              java.nio.file.Path.of(spec.inventory()),
              spec.knownHosts().map(java.nio.file.Path::of)));
    } finally {
      Wiring.close(journal);
    }
  }

  /** Refuses to mix step definitions: an edited step that already succeeded needs --rerun-step. */
  private void refuseEditedSteps(Plan plan, RunSpec spec) {
    Map<String, List<String>> changed = new LinkedHashMap<>();
    for (PlannedHost h : plan.hosts().toList()) {
      for (PlannedStep s : h.steps()) {
        if (s.changed() && s.prediction() == Prediction.DONE) {
          changed.computeIfAbsent(s.step().id(), k -> new ArrayList<>()).add(h.host().name());
        }
      }
    }
    if (!changed.isEmpty()) {
      String first = changed.keySet().iterator().next();
      throw new InputException(
          "the playbook changed since run "
              + runId
              + " started: "
              + String.join(
                  "; ",
                  changed.entrySet().stream()
                      .map(
                          e ->
                              "step '"
                                  + e.getKey()
                                  + "' already succeeded on "
                                  + String.join(", ", e.getValue()))
                      .toList())
              + " with its old definition",
          "revert the edit, or run the new definition again on those hosts: "
              + state.resumeCommand(runId)
              + " --rerun-step "
              + first
              + " (see the changes with: "
              + Launcher.command()
              + " plan "
              + dev.orchestrator.template.ShellQuote.quote(spec.playbook())
              + " -i "
              + dev.orchestrator.template.ShellQuote.quote(spec.inventory())
              + " --run "
              + runId
              + (state.stateDir.toString().equals(".orchestrator")
                  ? ""
                  : " --state-dir "
                      + dev.orchestrator.template.ShellQuote.quote(state.stateDir.toString()))
              + ")");
    }
  }

  /** Validates {@code --skip-step} before anything is written and builds its checkpoint. */
  private Optional<Checkpoint> skipCheckpoint(LoadedRun run) {
    if (skipStep != null) {
      return Optional.of(
          operatorCheckpoint(
              run,
              "--skip-step",
              skipStep,
              StepStatus.SKIPPED,
              "skipped by the operator (resume --skip-step)"));
    }
    if (assumeDone != null) {
      return Optional.of(
          operatorCheckpoint(
              run,
              "--assume-done",
              assumeDone,
              StepStatus.SUCCEEDED,
              "assumed done by the operator (resume --assume-done)"));
    }
    if (rerun != null) {
      return Optional.of(
          operatorCheckpoint(
              run,
              "--rerun",
              rerun,
              StepStatus.PENDING,
              "to run again, as the operator asked (resume --rerun)"));
    }
    return Optional.empty();
  }

  /**
   * Validates an operator decision about one step on {@link #host} before anything is written, and
   * builds its checkpoint. A step id may name a hop ({@code upgrade@28.0.14}), or a rollback step
   * (a {@code rollback_on_failure} rollback under way continues on resume).
   */
  private Checkpoint operatorCheckpoint(
      LoadedRun run, String option, String stepArg, StepStatus status, String message) {
    String baseId = stepArg.contains("@") ? stepArg.substring(0, stepArg.indexOf('@')) : stepArg;
    Step step =
        java.util.stream.Stream.concat(
                run.playbook.steps().stream(), run.playbook.rollback().stream())
            .filter(s -> s.id().equals(baseId))
            .findFirst()
            .map(
                s ->
                    stepArg.contains("@")
                        ? s.forHop(stepArg.substring(stepArg.indexOf('@') + 1))
                        : s)
            .orElseThrow(
                () ->
                    new InputException(
                        option + ": the playbook has no step '" + stepArg + "'",
                        "step ids are: "
                            + String.join(
                                ", ", run.playbook.steps().stream().map(Step::id).toList())
                            + " (with hops: ID@VERSION)"));
    if (run.inventory.host(host).isEmpty()) {
      throw new InputException(
          "--host: there is no host '" + host + "' in the inventory " + run.inventory.file(),
          "hosts are: " + String.join(", ", run.inventory.hosts().keySet()));
    }
    Optional<Checkpoint> current = run.state.checkpoint(host, step.id());
    if (current.isPresent() && current.get().status() == StepStatus.SUCCEEDED) {
      throw new InputException(
          "step '" + stepArg + "' already succeeded on " + host,
          "there is nothing to decide; run resume without " + option);
    }
    int attempt = current.map(Checkpoint::attempt).orElse(0);
    Instant now = Instant.now();
    Map<String, Object> registered =
        status == StepStatus.PENDING || step.register().isEmpty()
            ? Map.of()
            : Map.of("skipped", status == StepStatus.SKIPPED, "rc", 0, "stdout", "", "stderr", "");
    return new Checkpoint(
        host,
        step.id(),
        status,
        attempt,
        now,
        now,
        null,
        message,
        registered,
        "",
        step.definitionHash());
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
              if (r.state() == dev.orchestrator.state.HostState.UNREACHABLE) {
                out.add(h);
              }
            });
    return out;
  }
}
