package dev.orchestrator.cli;

import dev.orchestrator.app.CommandHints;
import dev.orchestrator.app.ConnectionSettings;
import dev.orchestrator.app.DecidedGates;
import dev.orchestrator.app.GateChoice;
import dev.orchestrator.app.PlanRequest;
import dev.orchestrator.app.ResumeRequest;
import dev.orchestrator.app.RunRequest;
import dev.orchestrator.app.Selection;
import dev.orchestrator.app.StoredRunRequest;
import dev.orchestrator.app.VarsInput;
import dev.orchestrator.common.ErrorKind;
import dev.orchestrator.common.InputException;
import dev.orchestrator.common.OrchestratorException;
import dev.orchestrator.rollout.ApprovalPolicy;
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
      names = "--serve",
      description =
          "Also serve the web console (implies --manual-approval): the run waits at its approval"
              + " gate for a person in the browser; the fleet and the console stay up until"
              + " Ctrl-C.")
  boolean serve;

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      defaultValue = "127.0.0.1:8080",
      description = "With --serve: where the console listens (default: ${DEFAULT-VALUE}).")
  String listen;

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

  @picocli.CommandLine.ParentCommand OrchestratorCommand top;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  /** The sandbox fleet's run: its inventory and known_hosts, the playbook given. */
  private RunRequest runRequest(
      SandboxFleet fleet,
      java.util.List<String> vars,
      ApprovalPolicy approval,
      CommandHints hints,
      Selection selection) {
    return new RunRequest(
        Launcher.shipped(playbook),
        java.util.List.of(fleet.inventory()),
        java.util.Optional.empty(),
        new VarsInput(vars, java.util.List.of(), java.util.List.of()),
        selection,
        new ConnectionSettings(java.util.Optional.of(fleet.knownHosts()), false, false),
        forks,
        state.location(),
        false,
        approval,
        hints);
  }

  /**
   * The CLI's hints, except that a pause shows the sandbox's own commands ({@code sandbox --resume
   * RUN_ID}, with {@code --approve} at an approval gate).
   *
   * @param next the sandbox's resume command, {@code %s} for the run id
   */
  private CommandHints sandboxHints(CommandHints cli, String next) {
    String manual = manualApproval ? " --manual-approval" : "";
    return new CommandHints() {
      @Override
      public String program() {
        return cli.program();
      }

      @Override
      public String command(String verb, String runId) {
        return cli.command(verb, runId);
      }

      @Override
      public String unlock(
          String host, java.util.List<Path> inventories, java.util.Optional<Path> knownHosts) {
        return cli.unlock(host, inventories, knownHosts);
      }

      @Override
      public String planRun(String playbook, java.util.List<String> inventories, String runId) {
        return cli.planRun(playbook, inventories, runId);
      }

      @Override
      public String resume(String runId) {
        return String.format(next, runId) + manual;
      }

      @Override
      public String approve(String runId) {
        return String.format(next, runId) + " --approve" + manual;
      }
    };
  }

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
        for (String injection : inject) {
          int colon = injection.indexOf(':');
          if (colon < 1) {
            throw new InputException(
                "--inject '" + injection + "' is not KIND:HOST",
                "e.g. --inject low-memory:prod-1 (kinds: upgrade-fails, low-memory, stale-step, oom-step, stray-file)");
          }
          Path cause = fleet.inject(injection.substring(0, colon), injection.substring(colon + 1));
          spec.commandLine()
              .getOut()
              .println(
                  "sandbox: injected "
                      + injection.substring(0, colon)
                      + " into "
                      + injection.substring(colon + 1)
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
                : " --state-dir " + state.stateDir)
            + state.databaseArgument();
    if (serve) {
      manualApproval = true;
    }
    CommandHints hints = sandboxHints(state.hints(), next);
    ApprovalPolicy approval =
        manualApproval ? ApprovalPolicy.WAIT_FOR_PERSON : ApprovalPolicy.AUTO_APPROVE;
    picocli.CommandLine cl = spec.commandLine();
    java.io.PrintWriter out = cl.getOut();
    int exit;
    dev.orchestrator.web.WebConsole console = null;
    try (SandboxFleet.Servers servers = fleet.start()) {
      if (serve) {
        Path passwords = SandboxConsole.ensureUsers(dir);
        var offered = java.util.List.of(Launcher.shipped(playbook), fleet.inventory());
        console = SandboxConsole.start(top.service(), state, dir, listen, top.console(cl), offered);
        out.printf(
            "sandbox: web console at %s (users alice/approver, oscar/operator, vera/viewer,"
                + " admin/admin; their passwords are in %s)%n",
            console.url(), passwords.toAbsolutePath());
        out.flush();
      }
      out.printf(
          "sandbox: %d simulated Nextcloud instance(s) served over SSH on 127.0.0.1 (update to %s)%s;"
              + " inventory %s%n",
          fleet.hosts().size(),
          fleet.toVersion(),
          manualApproval
              ? ""
              : ", approval gates approved automatically (--manual-approval to decide)",
          fleet.inventory());
      out.flush();
      java.util.List<String> vars = new java.util.ArrayList<>();
      vars.add("soak_time=" + soak);
      if (plan) {
        vars.addAll(extraVars);
        RunRequest request =
            runRequest(fleet, vars, ApprovalPolicy.WAIT_FOR_PERSON, state.hints(), Selection.all());
        PlanCommand.show(
            top,
            cl,
            top.service().plan(new PlanRequest(request, java.util.Optional.empty(), true)),
            output);
        exit = 0;
      } else if (resume == null) {
        if (!upgradePath.isEmpty()) {
          vars.add("upgrade_path=" + String.join(",", upgradePath));
        }
        vars.addAll(extraVars);
        RunRequest request = runRequest(fleet, vars, approval, hints, Selection.all());
        exit = Exits.of(top.service().run(request, top.sink(output.format, out), top.console(cl)));
      } else {
        StoredRunRequest stored =
            new StoredRunRequest(
                resume, state.location(), VarsInput.none(), ConnectionSettings.none(), hints);
        if (approve) {
          DecidedGates decided =
              top.service()
                  .decide(
                      stored,
                      new GateChoice.Approve(java.util.Optional.empty()),
                      dev.orchestrator.app.Actor.local(),
                      java.util.Optional.empty());
          for (DecidedGates.Gate g : decided.gates()) {
            out.println("approved gate " + g.key() + ": " + g.description());
          }
          out.println("continue with: " + state.resumeCommand(resume));
        }
        exit =
            ResumeCommand.resume(
                top,
                cl,
                new ResumeRequest(
                    stored,
                    false,
                    java.util.Optional.empty(),
                    java.util.List.of(),
                    false,
                    approval),
                output.format);
      }
      if (console != null) {
        SandboxConsole.serveUntilStopped(top.service(), state.location(), console, out);
      }
    } catch (IOException e) {
      throw new OrchestratorException(
          ErrorKind.BUG,
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
          spec.commandLine()
              .getOut()
              .printf(
                  "%nsandbox: the failure injected into %s is still there. Fix it with:%n  rm %s%nthen continue with the command above.%n",
                  h.name(), marker);
        }
      }
    }
    return exit;
  }
}
