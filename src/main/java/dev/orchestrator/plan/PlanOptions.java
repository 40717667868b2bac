package dev.orchestrator.plan;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the operator asked for beyond the playbook and inventory.
 *
 * @param tags {@code --tags}: only steps with one of these tags (plus {@code always})
 * @param skipTags {@code --skip-tags}: never steps with one of these tags
 * @param includeExpensive {@code --include-expensive}: run {@code expensive: true} steps
 * @param rerunSteps {@code --rerun-step}: steps to run again where they already succeeded
 * @param probes the results of {@code plan --check}'s read-only probes, per host
 * @param scope every host with work, or only the failed ones ({@code --retry-failed}: the others
 *     are held back, {@link Plan#heldBack()})
 * @param startAtTask {@code --start-at-task}: the name (or pattern) of the step the run starts at;
 *     the steps before it are skipped ({@link StartAtTask})
 * @param startSkips the ids of the steps {@code startAtTask} skips, as the {@link Planner} found
 *     them in the playbook (empty until then)
 */
public record PlanOptions(
    List<String> tags,
    List<String> skipTags,
    boolean includeExpensive,
    Set<String> rerunSteps,
    Map<String, HostProbes> probes,
    Scope scope,
    Optional<String> startAtTask,
    Set<String> startSkips) {
  /** No tags, no expensive steps, no reruns, no probes, every host. */
  public static final PlanOptions DEFAULT =
      new PlanOptions(List.of(), List.of(), false, Set.of(), Map.of());

  /** Which hosts with work the run works on. */
  public enum Scope {
    /** Every host with work. */
    ALL_HOSTS,
    /**
     * Only the hosts that failed in the run planned against ({@code resume --retry-failed}): a step
     * failed or was interrupted there, or the host was unreachable. The others are held back.
     */
    FAILED_HOSTS_ONLY
  }

  /** Validates the fields. */
  public PlanOptions {
    tags = List.copyOf(tags);
    skipTags = List.copyOf(skipTags);
    rerunSteps = Set.copyOf(rerunSteps);
    probes = Map.copyOf(probes);
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(startAtTask, "startAtTask");
    startSkips = Set.copyOf(startSkips);
  }

  /** Options without {@code --start-at-task}. */
  public PlanOptions(
      List<String> tags,
      List<String> skipTags,
      boolean includeExpensive,
      Set<String> rerunSteps,
      Map<String, HostProbes> probes,
      Scope scope) {
    this(tags, skipTags, includeExpensive, rerunSteps, probes, scope, Optional.empty(), Set.of());
  }

  /** Options for every host. */
  public PlanOptions(
      List<String> tags,
      List<String> skipTags,
      boolean includeExpensive,
      Set<String> rerunSteps,
      Map<String, HostProbes> probes) {
    this(tags, skipTags, includeExpensive, rerunSteps, probes, Scope.ALL_HOSTS);
  }

  /** Returns a copy with probe results. */
  public PlanOptions withProbes(Map<String, HostProbes> newProbes) {
    return new PlanOptions(
        tags, skipTags, includeExpensive, rerunSteps, newProbes, scope, startAtTask, startSkips);
  }

  /** Returns a copy with this host scope. */
  public PlanOptions withScope(Scope newScope) {
    return new PlanOptions(
        tags, skipTags, includeExpensive, rerunSteps, probes, newScope, startAtTask, startSkips);
  }

  /** Returns a copy that starts at the step {@code name} matches ({@code --start-at-task}). */
  public PlanOptions withStartAtTask(Optional<String> name) {
    return new PlanOptions(
        tags, skipTags, includeExpensive, rerunSteps, probes, scope, name, Set.of());
  }

  /** Returns a copy with the ids of the steps {@code --start-at-task} skips. */
  PlanOptions withStartSkips(Set<String> skips) {
    return new PlanOptions(
        tags, skipTags, includeExpensive, rerunSteps, probes, scope, startAtTask, skips);
  }

  /**
   * What read-only probes found on one host.
   *
   * @param registered step id → the value its {@code check:} probe registered
   * @param paths path → whether it exists (the {@code creates} tests)
   * @param failed step id → the message the run would pause with, for the step whose {@code check:}
   *     probe failed (non-zero exit); the prober stops at the first, as the run would
   * @param facts the host's facts as gathered read-only ({@code gather_facts}; names without the
   *     {@code ansible_} prefix), empty when the playbook gathers none
   */
  public record HostProbes(
      Map<String, Map<String, Object>> registered,
      Map<String, Boolean> paths,
      Map<String, String> failed,
      Map<String, Object> facts) {
    /** Validates the fields. */
    public HostProbes {
      Objects.requireNonNull(registered, "registered");
      Objects.requireNonNull(paths, "paths");
      Objects.requireNonNull(failed, "failed");
      registered = Map.copyOf(registered);
      paths = Map.copyOf(paths);
      failed = Map.copyOf(failed);
      facts = Map.copyOf(facts);
    }

    /** Probes without facts. */
    public HostProbes(
        Map<String, Map<String, Object>> registered,
        Map<String, Boolean> paths,
        Map<String, String> failed) {
      this(registered, paths, failed, Map.of());
    }

    /** Probes that predict no failure. */
    public HostProbes(Map<String, Map<String, Object>> registered, Map<String, Boolean> paths) {
      this(registered, paths, Map.of());
    }
  }
}
