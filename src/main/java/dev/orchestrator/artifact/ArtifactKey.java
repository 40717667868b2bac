package dev.orchestrator.artifact;

import dev.orchestrator.playbook.Artifact;
import dev.orchestrator.template.TemplateEngine;
import java.util.Map;
import java.util.Objects;

/**
 * An artifact as rendered for some vars: hosts (or hops) whose vars render an artifact the same way
 * share one download and one {@link FetchedArtifact}. Its string form, shown in an upload step's
 * output, is {@code id|url|sha256} ({@link #toString()}).
 *
 * @param id the artifact id of the playbook
 * @param url the rendered URL
 * @param sha256 the rendered expected SHA-256, or empty when the playbook gives none
 */
public record ArtifactKey(String id, String url, String sha256) {
  /**
   * Validates the fields.
   *
   * @throws NullPointerException if a field is null
   */
  public ArtifactKey {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(sha256, "sha256");
  }

  /**
   * Renders an artifact's URL and checksum with {@code vars}.
   *
   * @throws dev.orchestrator.template.TemplateException if a template cannot be rendered
   */
  public static ArtifactKey of(
      Artifact artifact, TemplateEngine templates, Map<String, Object> vars) {
    return new ArtifactKey(
        artifact.id(),
        templates.render(artifact.url(), vars),
        artifact.sha256().map(x -> templates.render(x, vars)).orElse(""));
  }

  /** Returns {@code id|url|sha256}, the form shown in an upload's output. */
  @Override
  public String toString() {
    return id + "|" + url + "|" + sha256;
  }
}
