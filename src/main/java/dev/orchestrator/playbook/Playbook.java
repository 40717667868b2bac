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
 */
public record Playbook(
    Path file,
    String name,
    Map<String, Object> vars,
    List<Stage> stages,
    List<Step> steps,
    List<Step> rollback,
    List<Artifact> artifacts) {
  /** Validates the fields. */
  public Playbook {
    artifacts = List.copyOf(artifacts);
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
}
