package dev.orchestrator.cli;

import dev.orchestrator.app.RunView;
import dev.orchestrator.common.Echo;
import dev.orchestrator.common.InputException;
import dev.orchestrator.state.Checkpoint;
import dev.orchestrator.state.RunState;
import dev.orchestrator.state.RunStatus;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code orchestrator logs RUN_ID --host H [--step S] [-f]}: prints a host's step logs (command,
 * timestamped stdout and stderr lines, exit code) in the order the steps ran; {@code -f} keeps
 * printing what is added, line by line as steps run, while the run is running.
 */
@Command(
    name = "logs",
    description = "Print the step logs of a host in a run; -f follows them while the run goes on.",
    footer = {
      "%nExample:%n  orchestrator logs 20261121-051207-nextcloud-update-3fa2 --host prod-2 --step upgrade"
    })
final class LogsCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "RUN_ID", description = "The run.")
  String runId;

  @Option(names = "--host", required = true, paramLabel = "HOST", description = "The host.")
  String host;

  @Option(names = "--step", paramLabel = "STEP", description = "Only this step (all its attempts).")
  String step;

  @Option(
      names = {"-f", "--follow"},
      description = "Keep printing new logs until the run stops running.")
  boolean follow;

  @Mixin CommonOptions.State state;

  @ParentCommand OrchestratorCommand top;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException, InterruptedException {
    java.io.PrintWriter out = spec.commandLine().getOut();
    java.util.Map<String, Long> printed = new java.util.HashMap<>(); // log -> bytes shown
    boolean stepChecked = false;
    java.util.Set<String> missing = new java.util.LinkedHashSet<>(); // recorded logs not found
    while (true) {
      RunView.Run stored = top.service().status(state.location(), runId);
      RunState run = stored.state();
      if (!follow && !run.checkpoints().containsKey(host)) {
        throw new InputException(
            "run " + runId + " has no step logs for host " + Echo.quote(host),
            "hosts with logs: " + String.join(", ", run.checkpoints().keySet()));
      }
      List<Checkpoint> cps = run.checkpoints(host);
      if (step != null && !stepChecked) {
        checkStep(stored, cps);
        stepChecked = true;
      }
      for (Checkpoint c : cps) {
        if (step != null && !namesStep(c.stepId())) {
          continue;
        }
        for (int attempt = 1; attempt <= Math.max(1, c.attempt()); attempt++) {
          java.util.Optional<dev.orchestrator.state.StoredLog> log =
              top.service().stepLog(state.location(), runId, host, c.stepId(), attempt);
          if (log.isEmpty()) {
            if (attempt == c.attempt() && !c.logFile().isEmpty()) {
              missing.add(top.service().logLocation(state.location(), runId, c.logFile()));
            }
            continue;
          }
          String name = log.get().name();
          long size = log.get().size();
          Long shown = printed.get(name);
          if (shown == null) {
            out.printf(
                "==> %s %s attempt %d (%s)%n",
                Echo.escaped(host),
                Echo.escaped(c.stepId()),
                attempt,
                java.nio.file.attribute.FileTime.from(log.get().modifiedAt()));
            shown = 0L;
          }
          if (size > shown) {
            // what was added since the last look: a running step's log grows line by line
            try (java.io.InputStream in =
                top.service().readLog(state.location(), runId, name, shown)) {
              byte[] more = in.readNBytes((int) Math.min(Integer.MAX_VALUE, size - shown));
              // a host's output and the values a step printed: no escape sequence reaches the
              // terminal (README "Security")
              out.print(
                  Echo.escapedLines(new String(more, java.nio.charset.StandardCharsets.UTF_8)));
              out.flush();
            }
          }
          printed.put(name, size);
        }
      }
      if (!follow || run.info().status() != RunStatus.RUNNING) {
        return missingLogs(printed.isEmpty(), missing);
      }
      missing.clear(); // following: a log may appear later
      Thread.sleep(1000);
    }
  }

  /**
   * Says which recorded step logs are gone (deleted or moved): an error when none was shown, else a
   * warning per log on stderr.
   *
   * @return 0 when some log was shown
   * @throws InputException when every recorded log is missing
   */
  private int missingLogs(boolean noneShown, java.util.Set<String> missing) {
    if (missing.isEmpty()) {
      return 0;
    }
    String hint =
        "they were deleted or moved; the steps' checkpoints remain: "
            + Launcher.command()
            + " status "
            + runId
            + state.stateArguments();
    if (noneShown) {
      throw new InputException(
          "run "
              + runId
              + ": the step logs of host '"
              + host
              + "' are missing: "
              + Echo.escaped(String.join(", ", missing)),
          hint);
    }
    java.io.PrintWriter err = spec.commandLine().getErr();
    missing.forEach(m -> err.println("warning: the step log " + m + " is missing"));
    err.println("hint: " + hint);
    err.flush();
    return 0;
  }

  /**
   * Refuses a {@code --step} that names no step: without {@code -f}, no step with logs on the host
   * (by id, or by its base id for hops' {@code ID@HOP}); with {@code -f}, no step of the run's
   * playbook either (it may not have started yet).
   *
   * @throws InputException naming the steps there are
   */
  /**
   * Whether {@code --step} names a recorded step id: the id itself, or its base id for a hop's
   * {@code ID@HOP} or a loop item's {@code ID[LABEL]} (and {@code ID@HOP} for {@code
   * ID@HOP[LABEL]}).
   */
  private boolean namesStep(String id) {
    return id.equals(step) || id.startsWith(step + "@") || id.startsWith(step + "[");
  }

  private void checkStep(RunView.Run stored, List<Checkpoint> cps) {
    java.util.Set<String> withLogs = new java.util.LinkedHashSet<>();
    cps.forEach(c -> withLogs.add(c.stepId()));
    if (withLogs.stream().anyMatch(this::namesStep)) {
      return;
    }
    java.util.Set<String> planned = new java.util.LinkedHashSet<>();
    if (follow) {
      try {
        planned.addAll(top.service().playbookSteps(stored));
      } catch (InputException e) {
        // the playbook moved or changed: the checkpoints are what is known
      }
      if (planned.contains(step)) {
        return;
      }
    }
    java.util.Set<String> known = new java.util.LinkedHashSet<>(withLogs);
    known.addAll(planned);
    List<String> near = dev.orchestrator.common.Suggestions.near(step, known, 3);
    throw new InputException(
        "run "
            + runId
            + " has no logs of a step "
            + Echo.quote(step)
            + " on host "
            + Echo.quote(host),
        (near.isEmpty() ? "" : "did you mean " + String.join(", ", near) + "? ")
            + (withLogs.isEmpty()
                ? "no step has run on " + host + " yet"
                : "steps with logs on " + host + ": " + String.join(", ", withLogs))
            + (planned.isEmpty() ? "" : "; the playbook's steps: " + String.join(", ", planned)));
  }
}
