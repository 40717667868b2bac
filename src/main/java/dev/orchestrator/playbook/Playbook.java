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
 * @param secretVars the names of variables that hold secrets beyond the secret-looking ones
 * @param gatherFacts whether each host's facts are gathered when its pipeline starts (and again on
 *     every resume): {@code gather_facts}, or when the playbook does not say, whether its text
 *     reads a fact ({@link dev.orchestrator.template.Facts#mentioned})
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
    boolean gatherFacts) {
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
    java.util.Objects.requireNonNull(hops, "hops");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(name, "name");
    vars = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(vars));
    stages = List.copyOf(stages);
    steps = List.copyOf(steps);
    rollback = List.copyOf(rollback);
    if (stages.isEmpty() || steps.isEmpty()) {
      throw new IllegalArgumentException("a playbook needs at least one stage and one step");
    }
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
}
