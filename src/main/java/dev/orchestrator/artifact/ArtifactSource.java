package dev.orchestrator.artifact;

import dev.orchestrator.common.InputException;
import dev.orchestrator.playbook.Artifact;
import dev.orchestrator.template.TemplateEngine;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where an {@link Artifact} comes from, as rendered for some vars and checked before anything runs:
 * either a pinned URL (with an optional SHA-256 or a URL of one) or the update server to ask.
 *
 * <p>The rules: a field that renders empty is not set; {@code url} empty means the update server is
 * asked (an error when the artifact declares none); {@code sha256_url} is the checksum published
 * beside the pinned url, so it is only used when {@code url} is set (the playbook's default {@code
 * "{{ release_url }}.sha256"} renders to {@code .sha256} when the release comes from the update
 * server: that is not a URL, and the update server's signature checks the download instead); every
 * URL that is used must be an absolute {@code http}, {@code https} or {@code file} URL.
 *
 * @param id the artifact's id
 * @param url the pinned download, if any
 * @param sha256 the pinned SHA-256 (lower-case hex), if any
 * @param sha256Url where to read the SHA-256, if any (only with {@code url})
 * @param updateServer the update server to ask, when {@code url} is empty
 */
public record ArtifactSource(
    String id,
    Optional<URI> url,
    Optional<String> sha256,
    Optional<URI> sha256Url,
    Optional<URI> updateServer) {
  /** Validates the fields: exactly one of url and updateServer; sha256Url only with url. */
  public ArtifactSource {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(sha256Url, "sha256Url");
    Objects.requireNonNull(updateServer, "updateServer");
    if (url.isPresent() == updateServer.isPresent()) {
      throw new IllegalArgumentException("exactly one of url and updateServer: " + id);
    }
    if (sha256Url.isPresent() && url.isEmpty()) {
      throw new IllegalArgumentException("sha256Url without url: " + id);
    }
    url.ifPresent(ArtifactSource::requireFetchable);
    sha256Url.ifPresent(ArtifactSource::requireFetchable);
    updateServer.ifPresent(ArtifactSource::requireFetchable);
  }

  /**
   * Renders an artifact's fields with some vars and checks its URLs (no network).
   *
   * @param artifact the declaration
   * @param vars the vars of a host (and hop) that uploads it
   * @param templates renders the fields
   * @return where to fetch it from
   * @throws InputException (exit 2) naming the artifact, its place in the playbook, the field and
   *     its template, when a URL that would be used is not an absolute http(s) or file URL, or when
   *     {@code url} renders empty and no update server is declared
   * @throws dev.orchestrator.template.TemplateException when a field cannot be rendered
   */
  public static ArtifactSource resolve(
      Artifact artifact, Map<String, Object> vars, TemplateEngine templates) {
    String where = artifact.location() + ": artifact '" + artifact.id() + "'";
    Optional<URI> url = uri(where, "url", artifact.url(), vars, templates);
    Optional<String> sha256 =
        artifact
            .sha256()
            .map(s -> templates.render(s, vars).trim().toLowerCase(Locale.ROOT))
            .filter(s -> !s.isEmpty());
    Optional<URI> sha256Url = Optional.empty();
    Optional<URI> server = Optional.empty();
    if (url.isPresent()) {
      if (sha256.isEmpty() && artifact.sha256Url().isPresent()) {
        sha256Url = uri(where, "sha256_url", artifact.sha256Url().get(), vars, templates);
      }
    } else {
      if (artifact.updateServer().isEmpty()) {
        throw new InputException(
            where
                + ": 'url' ("
                + artifact.url()
                + ") renders empty and the artifact declares no update_server to ask instead",
            "set the variable the url names to the release's http(s) URL, or declare update_server");
      }
      server =
          Optional.of(
              uri(where, "update_server.url", artifact.updateServer().get().url(), vars, templates)
                  .orElseThrow(
                      () ->
                          new InputException(
                              where
                                  + ": 'url' renders empty, so the update server is asked, but"
                                  + " 'update_server.url' ("
                                  + artifact.updateServer().get().url()
                                  + ") renders empty too",
                              "set the update server's URL (e.g."
                                  + " https://updates.nextcloud.com/updater_server/), or pin the"
                                  + " release's url")));
    }
    return new ArtifactSource(artifact.id(), url, sha256, sha256Url, server);
  }

  /** Whether a URL is one the fetcher can read: absolute, http, https or file, with a path. */
  static boolean fetchable(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    return switch (scheme) {
      case "http", "https" -> uri.getHost() != null && !uri.isOpaque();
      case "file" -> !uri.isOpaque() && uri.getPath() != null && !uri.getPath().isEmpty();
      default -> false;
    };
  }

  private static void requireFetchable(URI uri) {
    if (!fetchable(uri)) {
      throw new IllegalArgumentException("not an absolute http(s) or file URL: " + uri);
    }
  }

  private static Optional<URI> uri(
      String where,
      String field,
      String template,
      Map<String, Object> vars,
      TemplateEngine templates) {
    String rendered = templates.render(template, vars).trim();
    if (rendered.isEmpty()) {
      return Optional.empty();
    }
    String problem;
    try {
      URI uri = new URI(rendered);
      if (fetchable(uri)) {
        return Optional.of(uri);
      }
      problem = "is not an absolute http(s) or file URL";
    } catch (URISyntaxException e) {
      problem = "is not a URL (" + e.getReason() + " at index " + e.getIndex() + ")";
    }
    throw new InputException(
        where
            + ": '"
            + field
            + "' ("
            + template
            + ") renders to \""
            + rendered
            + "\", which "
            + problem,
        "set the variables it names to an absolute URL such as"
            + " https://download.example.org/release.tar.bz2 or file:///srv/release.tar.bz2"
            + (field.equals("sha256_url")
                ? ", or leave sha256_url empty (with sha256 pinned instead)"
                : ""));
  }
}
