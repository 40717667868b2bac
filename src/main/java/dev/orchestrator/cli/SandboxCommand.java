package dev.orchestrator.cli;

import dev.orchestrator.common.ExitCode;
import dev.orchestrator.common.InputException;
import dev.orchestrator.common.OrchestratorException;
import dev.orchestrator.execute.RunExecutor;
import dev.orchestrator.sandbox.SandboxFleet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code orchestrator sandbox}: the embedded demo. Creates a fleet of simulated Nextcloud instances
 * (2 QA, 4 production by default) served over real SSH on loopback, and updates them with {@code
 * playbooks/nextcloud-update.yml}, QA first, then production. {@code --fail-host} injects a failure
 * to show pause; {@code --resume RUN_ID} restarts the same fleet and resumes the run.
 */
@Command(
    name = "sandbox",
    description =
        "Update a simulated Nextcloud fleet over real SSH on this machine (QA, then production).",
    footer = {
      "%nExamples:%n  orchestrator sandbox%n  orchestrator sandbox --fail-host prod-2%n  orchestrator sandbox --inject low-memory:qa-1 --plan"
    })
final class SandboxCommand implements Callable<Integer> {
  @Option(
      names = "--dir",
      defaultValue = ".orchestrator/sandbox",
      paramLabel = "DIR",
      description = "Where the fleet lives (default: ${DEFAULT-VALUE}).")
  Path dir;

  @Option(
      names = "--qa",
      defaultValue = "2",
      paramLabel = "N",
      description = "QA instances (default: ${DEFAULT-VALUE}).")
  int qa;

  @Option(
      names = "--production",
      defaultValue = "4",
      paramLabel = "N",
      description = "Production instances (default: ${DEFAULT-VALUE}).")
  int production;

  @Option(
      names = "--from",
      defaultValue = "27.1.11",
      paramLabel = "VERSION",
      description = "The version installed (default: ${DEFAULT-VALUE}).")
  String from;

  @Option(
      names = "--to",
      defaultValue = "28.0.14",
      paramLabel = "VERSION",
      description = "The release to update to (default: ${DEFAULT-VALUE}).")
  String to;

  @Option(
      names = "--fail-host",
      paramLabel = "HOST",
      description = "Make 'occ upgrade' fail on this host (e.g. prod-2) to show pause and resume.")
  String failHost;

  @Option(
      names = "--resume",
      paramLabel = "RUN_ID",
      description = "Restart the existing fleet and resume this run instead of starting afresh.")
  String resume;

  @Option(
      names = "--playbook",
      defaultValue = "playbooks/nextcloud-update.yml",
      paramLabel = "FILE",
      description = "The playbook (default: ${DEFAULT-VALUE}).")
  Path playbook;

  @Option(
      names = {"-f", "--forks"},
      defaultValue = "10",
      paramLabel = "N",
      description = "Hosts worked on at once (default: ${DEFAULT-VALUE}).")
  int forks;

  @Mixin CommonOptions.Output output = new CommonOptions.Output();

  @Option(
      names = "--soak",
      defaultValue = "1s",
      paramLabel = "DURATION",
      description = "Soak time between production batches (default: ${DEFAULT-VALUE}).")
  String soak;

  @Option(
      names = "--inject",
      paramLabel = "KIND:HOST",
      description =
          "Inject a failure the field knows: upgrade-fails, low-memory, stale-step, oom-step, stray-file (e.g. low-memory:qa-1). Repeatable.")
  java.util.List<String> inject = new java.util.ArrayList<>();

  @Option(
      names = "--upgrade-path",
      split = ",",
      paramLabel = "VERSION",
      description =
          "Hops to the target, one major each (e.g. --from 26.0.13 --upgrade-path 27.1.12,28.0.14): releases are built for each and the run goes through them.")
  java.util.List<String> upgradePath = new java.util.ArrayList<>();

  @Option(
      names = "--plan",
      description =
          "Start the fleet (the existing one, or a new one) and show 'plan --check' for it instead of running.")
  boolean plan;

  @Option(
      names = "--manual-approval",
      description =
          "Stop at approval gates as a real run does, instead of approving them automatically.")
  boolean manualApproval;

  @Option(
      names = "--approve",
      description = "With --resume: approve the gate the run waits at, then continue.")
  boolean approve;

  @Option(
      names = {"-e", "--extra-vars"},
      paramLabel = "KEY=VALUE",
      description =
          "Set a playbook variable for the run (or --plan), e.g. -e code_swap=manual for the"
              + " manual code swap instead of the instances' updater.phar. Repeatable.")
  java.util.List<String> extraVars = new java.util.ArrayList<>();

  @Mixin CommonOptions.State state;

  @Override
  public Integer call() {
    if (qa < 1 || production < 1 || qa + production > 200) {
      throw new InputException(
          "--qa and --production must be at least 1 and together at most 200",
          "e.g. --qa 2 --production 4");
    }
    SandboxFleet fleet;
    try {
      if (plan && java.nio.file.Files.exists(dir.resolve("sandbox.json"))) {
        fleet = SandboxFleet.load(dir);
      } else if (resume == null) {
        fleet = SandboxFleet.create(dir, qa, production, from, to, upgradePath);
        if (failHost != null) {
          fleet.injectFailure(failHost);
        }
        for (String spec : inject) {
          int colon = spec.indexOf(':');
          if (colon < 1) {
            throw new InputException(
                "--inject '" + spec + "' is not KIND:HOST",
                "e.g. --inject low-memory:prod-1 (kinds: upgrade-fails, low-memory, stale-step, oom-step, stray-file)");
          }
          Path cause = fleet.inject(spec.substring(0, colon), spec.substring(colon + 1));
          System.out.println(
              "sandbox: injected "
                  + spec.substring(0, colon)
                  + " into "
                  + spec.substring(colon + 1)
                  + " ("
                  + cause
                  + ")");
        }
      } else {
        fleet = SandboxFleet.load(dir);
      }
    } catch (IllegalArgumentException e) {
      throw new InputException(
          "--fail-host/--inject: " + e.getMessage(),
          "name one of the sandbox hosts and a known failure");
    } catch (IOException e) {
      throw new InputException(
          "sandbox: " + e.getMessage(),
          resume == null
              ? "check that " + dir + " is writable"
              : "start a fleet first with: " + Launcher.command() + " sandbox");
    }
    String next =
        Launcher.command()
            + " sandbox --resume %s"
            + (dir.toString().equals(".orchestrator/sandbox") ? "" : " --dir " + dir)
            + (state.stateDir.toString().equals(".orchestrator")
                ? ""
                : " --state-dir " + state.stateDir);
    RunExecutor.NextCommands nextCommands =
        new RunExecutor.NextCommands(
            next + (manualApproval ? " --manual-approval" : ""),
            next + " --approve" + (manualApproval ? " --manual-approval" : ""));
    int exit;
    try (SandboxFleet.Servers servers = fleet.start()) {
      System.out.printf(
          "sandbox: %d simulated Nextcloud instance(s) served over SSH on 127.0.0.1 (update to %s)%s;"
              + " inventory %s%n",
          fleet.hosts().size(),
          fleet.toVersion(),
          manualApproval
              ? ""
              : ", approval gates approved automatically (--manual-approval to decide)",
          fleet.inventory());
      if (plan) {
        PlanCommand p = new PlanCommand();
        p.playbook = Launcher.shipped(playbook);
        p.target.inventory = fleet.inventory();
        p.check = true;
        p.knownHosts = fleet.knownHosts();
        p.output = output;
        p.state = state;
        p.vars.extraVars.add("soak_time=" + soak);
        p.vars.extraVars.addAll(extraVars);
        exit = p.call();
      } else if (resume == null) {
        RunCommand run = new RunCommand();
        run.playbook = Launcher.shipped(playbook);
        run.target.inventory = fleet.inventory();
        run.forks = forks;
        run.connection.knownHosts = fleet.knownHosts();
        run.output = output;
        run.state = state;
        run.vars.extraVars.add("soak_time=" + soak);
        if (!upgradePath.isEmpty()) {
          run.vars.extraVars.add("upgrade_path=" + String.join(",", upgradePath));
        }
        run.vars.extraVars.addAll(extraVars);
        run.nextCommands = nextCommands;
        run.autoApprove = !manualApproval;
        exit = run.call();
      } else {
        if (approve) {
          ApproveCommand a = new ApproveCommand();
          a.runId = resume;
          a.noResume = true;
          a.state = state;
          a.call();
        }
        ResumeCommand r = new ResumeCommand();
        r.runId = resume;
        r.output = output;
        r.state = state;
        r.autoApprove = !manualApproval;
        r.nextCommands =
            new RunExecutor.NextCommands(
                String.format(nextCommands.resume(), resume),
                String.format(nextCommands.approve(), resume));
        exit = r.call();
      }
    } catch (IOException e) {
      throw new OrchestratorException(
          ExitCode.INTERNAL_ERROR,
          "the sandbox fleet could not start: " + e.getMessage(),
          "a port it used before may be taken; start a fresh fleet with: "
              + Launcher.command()
              + " sandbox",
          e);
    }
    if (exit == ExitCode.PAUSED.code()) {
      for (SandboxFleet.SandboxHost h : fleet.hosts()) {
        Path marker = fleet.failMarker(h.name());
        if (marker.toFile().exists()) {
          System.out.printf(
              "%nsandbox: the failure injected into %s is still there. Fix it with:%n  rm %s%nthen continue with the command above.%n",
              h.name(), marker);
        }
      }
    }
    return exit;
  }
}
