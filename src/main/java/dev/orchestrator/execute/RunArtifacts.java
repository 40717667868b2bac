package dev.orchestrator.execute;

import dev.orchestrator.artifact.ArtifactKey;
import dev.orchestrator.artifact.FetchedArtifact;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * The artifacts fetched on the controller before a run, for its {@code upload:} steps.
 *
 * @param fetched the fetched artifacts by key
 * @param keyOf an artifact's key as rendered with a host's vars: (artifact id, vars) → key
 */
public record RunArtifacts(
    Map<ArtifactKey, FetchedArtifact> fetched,
    BiFunction<String, Map<String, Object>, ArtifactKey> keyOf) {
  /** No artifacts: a plan without upload steps. */
  public static final RunArtifacts NONE =
      new RunArtifacts(Map.of(), (id, vars) -> new ArtifactKey(id, "", ""));

  /** Validates the fields. */
  public RunArtifacts {
    fetched = Map.copyOf(fetched);
    Objects.requireNonNull(keyOf, "keyOf");
  }
}
