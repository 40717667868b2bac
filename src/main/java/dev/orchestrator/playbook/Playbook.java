package dev.orchestrator.playbook;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A validated playbook: the update pipeline ({@link #steps()}), its {@link #rollback()} steps and
 * the rollout ({@link #stages()}).
 *
 * @param file the file it was loaded from
 * @param name its name
 * @param vars default variables, overridden by inventory and extra vars
 * @param stages stages in order; never empty (a playbook without stages has one, named {@code all},
 *     over its {@code hosts})
 * @param steps the pipeline, in order; never empty
 * @param rollback the steps that undo the update, in order
 * @param artifacts files the controller fetches once and {@code upload:} steps send to hosts
 * @param hops when present, the pipeline runs once per value (e.g. a chain of major upgrades)
 * @param rollbackOnFailure whether a host whose step fails past the {@code rollback_from} mark runs
 *     the rollback steps at once (and starts over on resume)
 * @param secretVars the names of variables whose values are secrets
 * @param reuse its roles, included step files and {@code vars_files} (README "Roles and step
 *     files")
 * @param handlers Ansible's {@code handlers:}, in definition order (the order they run in): steps
 *     that run once per host at a flush point ({@code meta: flush_handlers}, and the end of the
 *     host's steps) when a step that notifies them changed the host (README "Handlers")
 * @param gatherFacts whether each host's facts are gathered when its pipeline starts (and again on
 *     every resume): {@code gather_facts}, or when the playbook does not say, whether its text
 *     reads a fact ({@link dev.orchestrator.template.Facts#mentioned})
 * @param playVars an Ansible play's {@code vars}, which rank above the inventory's, below its
 *     {@code vars_files} (Ansible's precedence levels 12 and 14,
 *     https://docs.ansible.com/ansible/latest/playbook_guide/playbooks_variables.html#understanding-variable-precedence);
 *     empty for our own format, whose {@code vars} rank below the inventory's
 * @param plays the plays of an Ansible playbook of several plays (or with {@code import_playbook}),
 *     in the order they run, each a playbook of one stage with its own steps, vars and handlers
 *     ({@link AnsiblePlayList}); this playbook then has their stages and, for what reads the whole
 *     text (validation, listings, tags, secrets), all their steps and handlers. Empty for our own
 *     format and a playbook of one play
 */
public record Playbook(
    Path file,
    String name,
    Map<String, Object> vars,
    List<Stage> stages,
    List<Step> steps,
    List<Step> rollback,
    List<Artifact> artifacts,
    java.util.Optional<Hops> hops,
    boolean rollbackOnFailure,
    List<String> secretVars,
    Reuse reuse,
    List<Step> handlers,
    boolean gatherFacts,
    Map<String, Object> playVars,
    List<Playbook> plays) {
  /**
   * Repeats the pipeline once per value, in order, each repetition its own checkpointed segment
   * (step ids get {@code @VALUE}): e.g. Nextcloud's one-major-at-a-time upgrade chain.
   *
   * @param var the variable each repetition sets (e.g. {@code target_version}); the magic vars
   *     {@code hop_index} (1-based), {@code hop_count} and {@code hop_last} are set too
   * @param values a YAML list of templates, or one template naming a list variable; an empty list
   *     means no repetition
   */
  public record Hops(String var, List<String> values) {
    /** Validates the fields. */
    public Hops {
      java.util.Objects.requireNonNull(var, "var");
      values = List.copyOf(values);
    }
  }

  /** Validates the fields. */
  public Playbook {
    artifacts = List.copyOf(artifacts);
    secretVars = List.copyOf(secretVars);
    handlers = List.copyOf(handlers);
    java.util.Objects.requireNonNull(hops, "hops");
    Objects.requireNonNull(reuse, "reuse");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(name, "name");
    vars = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(vars));
    stages = List.copyOf(stages);
    steps = List.copyOf(steps);
    rollback = List.copyOf(rollback);
    playVars = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(playVars));
    plays = List.copyOf(plays);
    if (!plays.isEmpty() && plays.size() != stages.size()) {
      throw new IllegalArgumentException("a playbook of plays has one stage per play");
    }
    if (stages.isEmpty() || steps.isEmpty()) {
      throw new IllegalArgumentException("a playbook needs at least one stage and one step");
    }
  }

  /** A playbook without handlers. */
  public Playbook(
      Path file,
      String name,
      Map<String, Object> vars,
      List<Stage> stages,
      List<Step> steps,
      List<Step> rollback,
      List<Artifact> artifacts,
      java.util.Optional<Hops> hops,
      boolean rollbackOnFailure,
      List<String> secretVars) {
    this(
        file,
        name,
        vars,
        stages,
        steps,
        rollback,
        artifacts,
        hops,
        rollbackOnFailure,
        secretVars,
        Reuse.NONE,
        List.of(),
        false);
  }

  /** A playbook of our own format (no Ansible play vars). */
  public Playbook(
      Path file,
      String name,
      Map<String, Object> vars,
      List<Stage> stages,
      List<Step> steps,
      List<Step> rollback,
      List<Artifact> artifacts,
      java.util.Optional<Hops> hops,
      boolean rollbackOnFailure,
      List<String> secretVars,
      Reuse reuse,
      List<Step> handlers,
      boolean gatherFacts) {
    this(
        file,
        name,
        vars,
        stages,
        steps,
        rollback,
        artifacts,
        hops,
        rollbackOnFailure,
        secretVars,
        reuse,
        handlers,
        gatherFacts,
        Map.of());
  }

  /** A playbook of one play (or of our own format). */
  public Playbook(
      Path file,
      String name,
      Map<String, Object> vars,
      List<Stage> stages,
      List<Step> steps,
      List<Step> rollback,
      List<Artifact> artifacts,
      java.util.Optional<Hops> hops,
      boolean rollbackOnFailure,
      List<String> secretVars,
      Reuse reuse,
      List<Step> handlers,
      boolean gatherFacts,
      Map<String, Object> playVars) {
    this(
        file,
        name,
        vars,
        stages,
        steps,
        rollback,
        artifacts,
        hops,
        rollbackOnFailure,
        secretVars,
        reuse,
        handlers,
        gatherFacts,
        playVars,
        List.of());
  }

  /**
   * Returns the plays to plan one after the other: {@link #plays()}, or this playbook alone when it
   * is one play (or our own format).
   */
  public List<Playbook> playsInOrder() {
    return plays.isEmpty() ? List.of(this) : plays;
  }

  /** Returns the artifact with this id, if declared. */
  public java.util.Optional<Artifact> artifact(String id) {
    return artifacts.stream().filter(a -> a.id().equals(id)).findFirst();
  }

  /**
   * Returns the ids of the steps from the {@code rollback_from} mark on (all steps without one).
   */
  public java.util.Set<String> stepsPastRollbackMark() {
    int mark = 0;
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).traits().rollbackFrom()) {
        mark = i;
        break;
      }
    }
    java.util.Set<String> out = new java.util.LinkedHashSet<>();
    steps.subList(mark, steps.size()).forEach(s -> out.add(s.id()));
    return out;
  }

  /**
   * Returns the variables below the inventory's, lowest first: every role's defaults, then the
   * playbook's {@code vars} (README "Precedence"); a new map.
   */
  public Map<String, Object> varsBelowInventory() {
    Map<String, Object> out = reuse.roleDefaults();
    out.putAll(vars);
    return out;
  }

  /**
   * Returns the variables above the inventory's and below {@code -e}, lowest first: an Ansible
   * play's {@code vars}, the {@code vars_files}, then every role's vars (as Ansible's play {@code
   * vars}, {@code vars_files} and role vars).
   *
   * @param extraVars the run's {@code -e}, which {@code vars_files} names may use
   * @throws dev.orchestrator.common.InputException when a vars file cannot be found or read
   */
  public Map<String, Object> varsAboveInventory(Map<String, ?> extraVars) {
    if (reuse.roles().isEmpty() && reuse.varsFiles().items().isEmpty() && playVars.isEmpty()) {
      return Map.of();
    }
    Map<String, Object> out = new java.util.LinkedHashMap<>(playVars);
    if (!reuse.varsFiles().items().isEmpty()) {
      Map<String, Object> names = varsBelowInventory();
      names.putAll(playVars);
      names.putAll(reuse.roleVars());
      names.putAll(extraVars);
      out.putAll(reuse.varsFiles().vars(names));
    }
    out.putAll(reuse.roleVars());
    return out;
  }
}
