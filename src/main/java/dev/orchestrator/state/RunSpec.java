package dev.orchestrator.state;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonFormat;
import dev.orchestrator.common.Privilege;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a run was started with, so that {@code resume} can rebuild the same plan. Secret extra vars
 * are never stored: {@link #secretVarNames()} lists them so resume can ask for them again.
 *
 * @param playbook the playbook path, absolute
 * @param inventories the inventory sources ({@code -i}: files or folders), absolute, in order, at
 *     least one; stored as {@code inventories} in {@code run.json}, where a run of a version before
 *     several {@code -i} has one {@code inventory} text, read as a list of one
 * @param extraVars the non-secret {@code -e} vars: texts, or (from {@code -e @FILE} or {@code -e
 *     '{...}'}) any YAML value, null included
 * @param secretVarNames the names of {@code -e} vars that were secret (values not stored)
 * @param limit the {@code --limit} pattern, if any
 * @param forks the maximum number of hosts worked on at once, at least 1
 * @param knownHosts the known_hosts file, if not the default
 * @param acceptNewHostKeys whether unknown host keys are recorded instead of refused
 * @param tags the {@code --tags} values
 * @param skipTags the {@code --skip-tags} values
 * @param includeExpensive whether {@code --include-expensive} was given
 * @param varsFiles the {@code --vars-file} paths, read again on resume
 * @param secretsFiles the {@code --secrets-file} paths: their values are never stored, the files
 *     are read again on resume
 * @param sshExecPerStep whether SSH hosts get an exec channel per command ({@code
 *     --ssh-exec-per-step}) instead of one long-lived shell
 * @param startedBy who started the run (a user name: the operating system's user who ran {@code
 *     run}), for {@code distinct_from_starter} approval gates and the console; empty for runs of
 *     versions before it was recorded
 * @param remoteUser {@code -u}: the connection user where the inventory names none; empty when not
 *     given (and for runs of versions before it)
 * @param privateKey {@code --private-key}: the key file where the inventory names none, absolute;
 *     empty when not given
 * @param privilege {@code -b}, {@code --become-user}, {@code --become-method} ({@link
 *     Privilege#NONE} when none was given, and for runs of versions before them)
 * @param startAtTask {@code --start-at-task}: the name (or pattern) of the step the run started at,
 *     kept so that a resume skips the same steps on the hosts not reached yet; empty when not given
 *     (and for runs of versions before it)
 */
public record RunSpec(
    String playbook,
    @JsonAlias("inventory") @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        java.util.List<String> inventories,
    Map<String, ?> extraVars,
    java.util.List<String> secretVarNames,
    Optional<String> limit,
    int forks,
    Optional<String> knownHosts,
    boolean acceptNewHostKeys,
    java.util.List<String> tags,
    java.util.List<String> skipTags,
    boolean includeExpensive,
    java.util.List<String> varsFiles,
    java.util.List<String> secretsFiles,
    boolean sshExecPerStep,
    String startedBy,
    Optional<String> remoteUser,
    Optional<String> privateKey,
    Privilege privilege,
    Optional<String> startAtTask) {
  /**
   * Validates the fields.
   *
   * @throws IllegalArgumentException without an inventory, or with fewer than one fork
   */
  public RunSpec {
    Objects.requireNonNull(playbook, "playbook");
    inventories = java.util.List.copyOf(inventories);
    if (inventories.isEmpty()) {
      throw new IllegalArgumentException("a run has at least one inventory source");
    }
    extraVars = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(extraVars));
    secretVarNames = java.util.List.copyOf(secretVarNames);
    Objects.requireNonNull(limit, "limit");
    Objects.requireNonNull(knownHosts, "knownHosts");
    tags = tags == null ? java.util.List.of() : java.util.List.copyOf(tags);
    varsFiles = varsFiles == null ? java.util.List.of() : java.util.List.copyOf(varsFiles);
    secretsFiles = secretsFiles == null ? java.util.List.of() : java.util.List.copyOf(secretsFiles);
    skipTags = skipTags == null ? java.util.List.of() : java.util.List.copyOf(skipTags);
    if (forks < 1) {
      throw new IllegalArgumentException("forks must be at least 1");
    }
    startedBy = startedBy == null ? "" : startedBy;
    remoteUser = remoteUser == null ? Optional.empty() : remoteUser;
    privateKey = privateKey == null ? Optional.empty() : privateKey;
    privilege = privilege == null ? Privilege.NONE : privilege;
    startAtTask = startAtTask == null ? Optional.empty() : startAtTask;
  }

  /** A spec without {@code -u} or {@code --private-key}. */
  public RunSpec(
      String playbook,
      java.util.List<String> inventories,
      Map<String, ?> extraVars,
      java.util.List<String> secretVarNames,
      Optional<String> limit,
      int forks,
      Optional<String> knownHosts,
      boolean acceptNewHostKeys,
      java.util.List<String> tags,
      java.util.List<String> skipTags,
      boolean includeExpensive,
      java.util.List<String> varsFiles,
      java.util.List<String> secretsFiles,
      boolean sshExecPerStep,
      String startedBy) {
    this(
        playbook,
        inventories,
        extraVars,
        secretVarNames,
        limit,
        forks,
        knownHosts,
        acceptNewHostKeys,
        tags,
        skipTags,
        includeExpensive,
        varsFiles,
        secretsFiles,
        sshExecPerStep,
        startedBy,
        Optional.empty(),
        Optional.empty(),
        Privilege.NONE,
        Optional.empty());
  }

  /**
   * Returns this spec with the connection settings and the vars and secrets files an operator gave
   * again on a later command (resume, abort --rollback) instead of the stored ones.
   */
  public RunSpec withOverrides(
      Optional<String> knownHosts,
      boolean acceptNewHostKeys,
      boolean sshExecPerStep,
      java.util.List<String> varsFiles,
      java.util.List<String> secretsFiles) {
    return withOverrides(
        knownHosts,
        acceptNewHostKeys,
        sshExecPerStep,
        varsFiles,
        secretsFiles,
        remoteUser,
        privateKey,
        privilege);
  }

  /**
   * As {@link #withOverrides(Optional, boolean, boolean, java.util.List, java.util.List)}, with the
   * {@code -u}, {@code --private-key} and privilege escalation options given again.
   */
  public RunSpec withOverrides(
      Optional<String> knownHosts,
      boolean acceptNewHostKeys,
      boolean sshExecPerStep,
      java.util.List<String> varsFiles,
      java.util.List<String> secretsFiles,
      Optional<String> remoteUser,
      Optional<String> privateKey,
      Privilege privilege) {
    return new RunSpec(
        playbook,
        inventories,
        extraVars,
        secretVarNames,
        limit,
        forks,
        knownHosts,
        acceptNewHostKeys,
        tags,
        skipTags,
        includeExpensive,
        varsFiles,
        secretsFiles,
        sshExecPerStep,
        startedBy,
        remoteUser,
        privateKey,
        privilege,
        startAtTask);
  }
}
