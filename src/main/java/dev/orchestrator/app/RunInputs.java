package dev.orchestrator.app;

import dev.orchestrator.common.InputException;
import dev.orchestrator.common.Secrets;
import dev.orchestrator.playbook.Playbook;
import dev.orchestrator.state.RunSpec;
import dev.orchestrator.state.SpecOverride;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The inputs of a run as one command works with them: the run's settings and the variables given on
 * the command line or in files. This is the one place that assembles them, for every command that
 * plans or executes (run, plan, validate, resume, approve, reject, abort, sandbox), so that a plan
 * and the run it previews can never disagree.
 *
 * <p>Variables, lowest precedence first (the playbook's {@code vars} and the inventory's vars come
 * below all of these, see {@link dev.orchestrator.plan.Planner}): the {@code --vars-file} files in
 * the order given, the {@code --secrets-file} files in the order given, the {@code -e} values the
 * run was started with (a stored run), the {@code -e} values given now.
 *
 * <p>On a stored run (resume, approve, reject, abort, {@code plan --run}) the stored settings
 * apply, except what is given again: {@code --vars-file} (the list replaces the stored list),
 * {@code --secrets-file} (likewise), {@code -e} (overrides one variable) and the connection options
 * ({@code --known-hosts}, {@code --accept-new-host-keys}, {@code --ssh-exec-per-step}). Secret
 * values are never stored: a secret {@code -e} must be given again (or come from a secrets file).
 *
 * @param spec the run's settings as this command applies them; what {@code run} stores
 * @param vars the variables above the playbook and inventory vars, merged by precedence
 * @param secretNames the names whose values are secret beyond the secret-looking ones ({@link
 *     Secrets#isSecretName}): the playbook's {@code secret_vars} and the secrets files' keys
 */
record RunInputs(RunSpec spec, Map<String, Object> vars, Set<String> secretNames) {
  /** Validates and copies the fields (vars keep their order and may hold YAML nulls). */
  RunInputs {
    Objects.requireNonNull(spec, "spec");
    vars = Collections.unmodifiableMap(new LinkedHashMap<>(vars));
    secretNames = Collections.unmodifiableSet(new LinkedHashSet<>(secretNames));
  }

  /**
   * The inputs of a new run ({@code run}, {@code plan} without a stored run, {@code validate}).
   *
   * @param request the run as asked for
   * @param playbook the loaded playbook (its {@code secret_vars})
   * @throws InputException on a malformed {@code -e} or an unreadable vars or secrets file
   */
  static RunInputs forNewRun(RunRequest request, Playbook playbook) {
    VarsInput given = request.vars();
    Map<String, Object> extra = given.parse();
    Assembled a =
        assemble(
            given.varsFiles(), given.secretsFiles(), Map.of(), extra, playbook, Optional.empty());
    given.becomePasswordInto(a.vars());
    Map<String, Object> stored = new LinkedHashMap<>();
    List<String> secret = new ArrayList<>();
    extra.forEach(
        (k, v) -> {
          if (Secrets.isSecretName(k) || a.secretNames().contains(k)) {
            secret.add(k);
          } else {
            stored.put(k, v);
          }
        });
    ConnectionSettings connection = request.connection();
    Selection selection = request.selection();
    RunSpec spec =
        new RunSpec(
            absolute(request.playbook()),
            request.inventories().stream().map(RunInputs::inventorySource).toList(),
            stored,
            secret,
            request.limit(),
            request.forks(),
            connection.knownHosts().map(RunInputs::absolute),
            connection.acceptNewHostKeys(),
            selection.tags(),
            selection.skipTags(),
            selection.includeExpensive(),
            given.varsFiles().stream().map(RunInputs::absolute).toList(),
            given.secretsFiles().stream().map(RunInputs::absolute).toList(),
            connection.execPerStep(),
            Actor.local().name(),
            connection.defaults().remoteUser(),
            connection.defaults().privateKey().map(Path::toString),
            connection.privilege(),
            selection.startAtTask());
    return new RunInputs(spec, a.vars(), a.secretNames());
  }

  /**
   * The inputs of a stored run, with what is given now overriding what it stored (see the class
   * comment).
   *
   * @param runId the run, for messages
   * @param stored what the run stored
   * @param playbook the run's playbook, loaded (its {@code secret_vars})
   * @param overrides the connection options given now (unset ones keep the stored values)
   * @param given {@code -e}, {@code --vars-file}, {@code --secrets-file} given now
   * @throws InputException when a secret variable the run was started with is not given again, on a
   *     malformed {@code -e} or an unreadable vars or secrets file
   */
  static RunInputs forStoredRun(
      String runId,
      RunSpec stored,
      Playbook playbook,
      ConnectionSettings overrides,
      VarsInput given) {
    Map<String, Object> extra = given.parse();
    List<String> varsFiles =
        given.varsFiles().isEmpty()
            ? stored.varsFiles()
            : given.varsFiles().stream().map(RunInputs::absolute).toList();
    List<String> secretsFiles =
        given.secretsFiles().isEmpty()
            ? stored.secretsFiles()
            : given.secretsFiles().stream().map(RunInputs::absolute).toList();
    Assembled a =
        assemble(
            varsFiles.stream().map(Path::of).toList(),
            secretsFiles.stream().map(Path::of).toList(),
            stored.extraVars(),
            extra,
            playbook,
            Optional.of(runId));
    given.becomePasswordInto(a.vars());
    for (String secret : stored.secretVarNames()) {
      if (!a.vars().containsKey(secret)) {
        throw new InputException(
            "run "
                + runId
                + " was started with the secret variable '"
                + secret
                + "', which is never stored",
            "pass it again: -e " + secret + "=... (or with --secrets-file FILE)");
      }
    }
    RunSpec spec =
        stored.withOverrides(
            overrides.knownHosts().isEmpty()
                ? stored.knownHosts()
                : Optional.of(absolute(overrides.knownHosts().get())),
            overrides.acceptNewHostKeys() || stored.acceptNewHostKeys(),
            overrides.execPerStep() || stored.sshExecPerStep(),
            varsFiles,
            secretsFiles,
            overrides.defaults().remoteUser().or(stored::remoteUser),
            overrides.defaults().privateKey().map(Path::toString).or(stored::privateKey),
            overrides.privilege().given() ? overrides.privilege() : stored.privilege());
    return new RunInputs(spec, a.vars(), a.secretNames());
  }

  /**
   * What {@code now} overrides in {@code stored}, one record per option, for the run's journal.
   *
   * @param by who ({@code user@host})
   */
  static List<SpecOverride> overrides(RunSpec stored, RunSpec now, String by) {
    List<SpecOverride> out = new ArrayList<>();
    Instant at = Instant.now();
    if (!stored.knownHosts().equals(now.knownHosts())) {
      out.add(
          new SpecOverride(
              "--known-hosts",
              stored.knownHosts().orElse("(default)"),
              now.knownHosts().orElse("(default)"),
              by,
              at));
    }
    if (stored.acceptNewHostKeys() != now.acceptNewHostKeys()) {
      out.add(
          new SpecOverride(
              "--accept-new-host-keys",
              String.valueOf(stored.acceptNewHostKeys()),
              String.valueOf(now.acceptNewHostKeys()),
              by,
              at));
    }
    if (stored.sshExecPerStep() != now.sshExecPerStep()) {
      out.add(
          new SpecOverride(
              "--ssh-exec-per-step",
              String.valueOf(stored.sshExecPerStep()),
              String.valueOf(now.sshExecPerStep()),
              by,
              at));
    }
    if (!stored.remoteUser().equals(now.remoteUser())) {
      out.add(
          new SpecOverride(
              "-u",
              stored.remoteUser().orElse("(default)"),
              now.remoteUser().orElse("(default)"),
              by,
              at));
    }
    if (!stored.privateKey().equals(now.privateKey())) {
      out.add(
          new SpecOverride(
              "--private-key",
              stored.privateKey().orElse("(default)"),
              now.privateKey().orElse("(default)"),
              by,
              at));
    }
    if (!stored.privilege().equals(now.privilege())) {
      out.add(
          new SpecOverride(
              "-b/--become-user/--become-method",
              describe(stored.privilege()),
              describe(now.privilege()),
              by,
              at));
    }
    if (!stored.varsFiles().equals(now.varsFiles())) {
      out.add(
          new SpecOverride(
              "--vars-file",
              String.join(", ", stored.varsFiles()),
              String.join(", ", now.varsFiles()),
              by,
              at));
    }
    if (!stored.secretsFiles().equals(now.secretsFiles())) {
      out.add(
          new SpecOverride(
              "--secrets-file",
              String.join(", ", stored.secretsFiles()),
              String.join(", ", now.secretsFiles()),
              by,
              at));
    }
    return out;
  }

  /**
   * {@code -u} and {@code --private-key} as this command applies them (given now, else stored), for
   * the inventory's hosts that name no user or key ({@link
   * dev.orchestrator.inventory.ConnectionDefaults}).
   */
  dev.orchestrator.inventory.ConnectionDefaults connectionDefaults() {
    return new dev.orchestrator.inventory.ConnectionDefaults(
        spec.remoteUser(), spec.privateKey().map(Path::of));
  }

  private static String describe(dev.orchestrator.common.Privilege p) {
    if (!p.given()) {
      return "(default)";
    }
    return (p.become() ? "-b" : "")
        + p.user().map(u -> " --become-user " + u).orElse("")
        + p.method().map(m -> " --become-method " + m).orElse("");
  }

  private record Assembled(Map<String, Object> vars, Set<String> secretNames) {}

  /** The one merge of the variables by precedence (see the class comment). */
  private static Assembled assemble(
      List<Path> varsFiles,
      List<Path> secretsFiles,
      Map<String, ?> storedExtra,
      Map<String, Object> givenExtra,
      Playbook playbook,
      Optional<String> runId) {
    VarsInput.FileVars files;
    try {
      files = VarsInput.readFiles(varsFiles, secretsFiles);
    } catch (InputException e) {
      if (runId.isEmpty()) {
        throw e;
      }
      throw new InputException(
          e.getMessage(),
          e.hint()
              + "; run "
              + runId.get()
              + " reads its vars and secrets files again: give their new place with --vars-file"
              + " or --secrets-file");
    }
    Map<String, Object> vars = new LinkedHashMap<>(files.vars());
    vars.putAll(storedExtra);
    vars.putAll(givenExtra);
    Set<String> secretNames = new LinkedHashSet<>(files.secretNames());
    secretNames.addAll(playbook.secretVars());
    return new Assembled(vars, secretNames);
  }

  /** An {@code -i} source as stored: a file or folder absolute, a host list as given. */
  private static String inventorySource(Path p) {
    return dev.orchestrator.inventory.HostList.is(p) ? p.toString() : absolute(p);
  }

  private static String absolute(Path p) {
    return p.toAbsolutePath().normalize().toString();
  }
}
