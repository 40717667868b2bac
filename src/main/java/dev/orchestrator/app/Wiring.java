package dev.orchestrator.app;

import dev.orchestrator.common.ErrorKind;
import dev.orchestrator.common.InputException;
import dev.orchestrator.common.OrchestratorException;
import dev.orchestrator.plan.Plan;
import dev.orchestrator.plan.PlannedHost;
import dev.orchestrator.report.EventSink;
import dev.orchestrator.state.RunJournal;
import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.transport.Connector;
import dev.orchestrator.transport.RoutingConnector;
import dev.orchestrator.transport.local.LocalConnector;
import dev.orchestrator.transport.ssh.SshConnector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Wires the packages together for the service's operations that plan or execute: connectors, the
 * checks before a run, a stored run's overrides, artifacts. The execution itself is assembled by
 * {@link Execution}.
 */
final class Wiring {
  private Wiring() {}

  /** A stored run's inventory sources as paths. */
  static java.util.List<Path> paths(java.util.List<String> sources) {
    return sources.stream().map(Path::of).toList();
  }

  /** The default known_hosts file: {@code ~/.ssh/known_hosts}. */
  static Path defaultKnownHosts() {
    return Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
  }

  /**
   * Builds the connector a run's settings ask for (known_hosts, new keys, exec per step).
   *
   * @param localHome where {@code connection: local} hosts run their commands
   */
  static Connector connector(dev.orchestrator.state.RunSpec spec, Path localHome) {
    return connector(
        spec.knownHosts().map(Path::of),
        spec.acceptNewHostKeys(),
        !spec.sshExecPerStep(),
        localHome);
  }

  /**
   * Checks, writing nothing, what can be checked before a plan runs: every SSH host's key file and
   * lease path ({@link ConnectionChecks}), every artifact's URL ({@link #checkArtifactInputs}).
   *
   * @throws InputException naming the host, file or artifact
   */
  static void checkInputs(Plan plan, TemplateEngine templates) {
    ConnectionChecks.checkConnectionInputs(plan);
    checkArtifactInputs(plan, templates);
  }

  /**
   * Opens a stored run's journal to continue it, first recording the settings given now that
   * override the stored ones ({@link #recordOverrides}).
   *
   * @return the journal; the caller closes it
   */
  static RunJournal openWithOverrides(LoadedRun run, java.io.PrintWriter err) {
    RunJournal journal = run.store.open(run.id());
    try {
      recordOverrides(journal, run.inputs, err);
      return journal;
    } catch (RuntimeException | Error e) {
      close(journal);
      throw e;
    }
  }

  /**
   * Records in a stored run's journal the settings this command overrides (e.g. {@code resume
   * --known-hosts}), and stores them in its spec for the commands that follow; prints each one.
   */
  static void recordOverrides(RunJournal journal, RunInputs inputs, java.io.PrintWriter err) {
    var overrides = RunInputs.overrides(journal.info().spec(), inputs.spec(), Approvals.who());
    journal.override(inputs.spec(), overrides);
    overrides.forEach(
        o ->
            err.println(
                "orchestrator: run "
                    + journal.runId()
                    + ": "
                    + o.option()
                    + " is now "
                    + o.value()
                    + " (was "
                    + o.previous()
                    + "), recorded in its journal"));
  }

  /** Builds the connector: sshj for {@code ssh} hosts, processes for {@code local} ones. */
  static Connector connector(Optional<Path> knownHosts, boolean acceptNewHostKeys, Path localHome) {
    return connector(knownHosts, acceptNewHostKeys, true, localHome);
  }

  /**
   * Builds the connector.
   *
   * @param persistentShell whether a host's commands share one long-lived shell (the default)
   *     rather than an exec channel each ({@code run --ssh-exec-per-step})
   * @param localHome where {@code connection: local} hosts run their commands
   */
  static Connector connector(
      Optional<Path> knownHosts,
      boolean acceptNewHostKeys,
      boolean persistentShell,
      Path localHome) {
    // host_key_checking = False (ansible.cfg, ANSIBLE_HOST_KEY_CHECKING) as read now, by this
    // command: not stored with the run, so that a resume under another configuration follows it
    acceptNewHostKeys = acceptNewHostKeys || AnsibleConfig.current().acceptNewHostKeys();
    Path file = knownHosts.orElseGet(Wiring::defaultKnownHosts);
    if (knownHosts.isPresent() && !Files.exists(file) && !acceptNewHostKeys) {
      throw new InputException(
          "the known_hosts file " + file + " does not exist",
          "check --known-hosts, or pass --accept-new-host-keys to create it with the keys of new hosts");
    }
    try {
      return new RoutingConnector(
          new SshConnector(file, acceptNewHostKeys, persistentShell),
          new LocalConnector(localHome));
    } catch (IOException e) {
      throw new InputException(
          "the known_hosts file " + file + " cannot be used: " + e.getMessage(),
          "give a regular OpenSSH known_hosts file with --known-hosts, or check its permissions");
    }
  }

  /**
   * The key of an artifact as rendered for some vars: {@code id|url|sha256}. Hosts (or hops) that
   * render an artifact the same way share one download.
   */
  static dev.orchestrator.artifact.ArtifactKey artifactKey(
      dev.orchestrator.playbook.Playbook playbook,
      TemplateEngine templates,
      String id,
      java.util.Map<String, Object> vars) {
    return dev.orchestrator.artifact.ArtifactKey.of(
        playbook.artifact(id).orElseThrow(), templates, vars);
  }

  /**
   * The artifacts that the upload steps with work to do need, once per rendering: the {@link
   * #artifactKey} and the vars (of the first host and hop) it renders with.
   *
   * @throws InputException when an artifact's template cannot be rendered
   */
  private static java.util.Map<dev.orchestrator.artifact.ArtifactKey, java.util.Map<String, Object>>
      artifactsNeeded(Plan plan, TemplateEngine templates) {
    java.util.Map<dev.orchestrator.artifact.ArtifactKey, java.util.Map<String, Object>> varsByKey =
        new java.util.LinkedHashMap<>();
    for (PlannedHost h : plan.hosts().toList()) {
      java.util.Map<String, Object> vars = new java.util.LinkedHashMap<>(h.vars());
      for (var s : h.steps()) {
        vars.putAll(s.overrides());
        if (!s.prediction().needsWork() || s.step().traits().upload().isEmpty()) {
          continue;
        }
        String id = s.step().traits().upload().get().artifact();
        try {
          varsByKey.putIfAbsent(
              artifactKey(plan.playbook(), templates, id, vars),
              new java.util.LinkedHashMap<>(vars));
        } catch (dev.orchestrator.template.TemplateException e) {
          throw new InputException(
              plan.playbook().artifact(id).orElseThrow().location()
                  + ": artifact '"
                  + id
                  + "' on host '"
                  + h.host().name()
                  + "': "
                  + e.getMessage(),
              "define the artifact's vars in the playbook or the inventory");
        }
      }
    }
    return varsByKey;
  }

  /**
   * Checks, before anything runs or is written, where each artifact the plan's upload steps need
   * would be fetched from ({@link dev.orchestrator.artifact.ArtifactSource#resolve}): no network.
   *
   * @throws InputException (exit 2) naming the artifact, the field and its template when a URL is
   *     not an absolute http(s) or file URL, or when nothing says where to fetch it from
   */
  static void checkArtifactInputs(Plan plan, TemplateEngine templates) {
    artifactsNeeded(plan, templates)
        .forEach(
            (key, vars) -> {
              var artifact = plan.playbook().artifact(key.id()).orElseThrow();
              try {
                dev.orchestrator.artifact.ArtifactSource.resolve(artifact, vars, templates);
              } catch (dev.orchestrator.template.TemplateException e) {
                throw new InputException(
                    artifact.location() + ": artifact '" + artifact.id() + "': " + e.getMessage(),
                    "define the artifact's vars in the playbook or the inventory");
              }
            });
  }

  /**
   * Fetches, once each, the artifacts that the upload steps with work to do need, as rendered with
   * the vars of their host and hop.
   *
   * @throws InputException when an artifact's template cannot be rendered
   */
  static java.util.Map<
          dev.orchestrator.artifact.ArtifactKey, dev.orchestrator.artifact.FetchedArtifact>
      fetchArtifacts(Plan plan, TemplateEngine templates, Path cache, EventSink events) {
    java.util.Map<dev.orchestrator.artifact.ArtifactKey, java.util.Map<String, Object>> varsByKey =
        artifactsNeeded(plan, templates);
    dev.orchestrator.artifact.ArtifactFetcher fetcher =
        new dev.orchestrator.artifact.ArtifactFetcher(cache, events, templates);
    java.util.Map<dev.orchestrator.artifact.ArtifactKey, dev.orchestrator.artifact.FetchedArtifact>
        out = new java.util.LinkedHashMap<>();
    varsByKey.forEach(
        (key, vars) ->
            out.put(key, fetcher.fetch(plan.playbook().artifact(key.id()).orElseThrow(), vars)));
    return out;
  }

  /** Closes a journal, turning the unlikely failure into a user-facing error. */
  static void close(RunJournal journal) {
    try {
      journal.close();
    } catch (IOException e) {
      throw new OrchestratorException(
          ErrorKind.BUG,
          "cannot close the journal of run " + journal.runId() + ": " + e.getMessage(),
          "check the state folder",
          e);
    }
  }
}
