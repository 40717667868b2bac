package dev.orchestrator.cli;

import dev.orchestrator.app.Outcome;
import dev.orchestrator.app.ResumeRequest;
import dev.orchestrator.app.StepDecision;
import dev.orchestrator.common.InputException;
import dev.orchestrator.rollout.ApprovalPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

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

  @Option(
      names = "--take-over",
      description =
          "Take over stale leases (heartbeat older than their TTL) held by runs of other machines.")
  boolean takeOver;

  @Mixin CommonOptions.StoredRun stored = new CommonOptions.StoredRun();

  @Option(
      names = "-v",
      description =
          "Verbose, as run -v: each step's stdout and stderr under its line (secrets masked);"
              + " -vv and more print no more than -v.")
  boolean[] verbose = new boolean[0];

  @ParentCommand OrchestratorCommand top;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
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
    Optional<StepDecision> decision =
        skipStep != null
            ? Optional.of(new StepDecision(StepDecision.Kind.SKIP, skipStep, host))
            : assumeDone != null
                ? Optional.of(new StepDecision(StepDecision.Kind.ASSUME_DONE, assumeDone, host))
                : rerun != null
                    ? Optional.of(new StepDecision(StepDecision.Kind.RERUN, rerun, host))
                    : Optional.empty();
    // a resume reads Ansible's configuration again (host_key_checking = False among it): its
    // warnings are shown as run shows them
    dev.orchestrator.app.AnsibleConfig.current()
        .warnings()
        .forEach(w -> spec.commandLine().getErr().println("warning: " + w));
    spec.commandLine().getErr().flush();
    return resume(
        top,
        spec.commandLine(),
        new ResumeRequest(
            stored.request(runId),
            retryFailed,
            decision,
            rerunSteps,
            takeOver,
            ApprovalPolicy.WAIT_FOR_PERSON,
            verbose.length),
        stored.output.format);
  }

  /**
   * Resumes through the service and renders the outcome (also for approve and the sandbox).
   *
   * @return the exit code
   */
  static int resume(
      OrchestratorCommand top,
      picocli.CommandLine cl,
      ResumeRequest request,
      CommonOptions.Format format) {
    Outcome outcome = top.service().resume(request, top.sink(format, cl.getOut()), top.console(cl));
    if (outcome == Outcome.ALREADY_SUCCEEDED) {
      cl.getOut()
          .println("run " + request.run().runId() + " has already succeeded; nothing to resume.");
    }
    return Exits.of(outcome);
  }
}
