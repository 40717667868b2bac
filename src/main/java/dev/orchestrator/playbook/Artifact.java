package dev.orchestrator.playbook;

import dev.orchestrator.common.SourceLocation;
import java.util.Objects;
import java.util.Optional;

/**
 * A file the controller fetches once per run and uploads to the hosts that need it (e.g. a
 * Nextcloud release), declared under {@code artifacts:}. Text fields are templates, rendered with
 * the vars of the hosts that upload it (they must agree: put them in {@code all:} or the playbook).
 *
 * @param id the name {@code upload:} steps refer to
 * @param url a pinned download URL; when it renders empty, the update server is asked
 * @param sha256 the expected SHA-256 (hex), if pinned
 * @param sha256Url a URL whose first word is the SHA-256 (as Nextcloud's {@code .sha256} files);
 *     used only with a pinned {@code url} (see {@code ArtifactSource})
 * @param updateServer the update server to ask for the URL and signature, if any
 * @param publicKey a PEM public key or certificate to verify {@code signature} (RSA-SHA512) with
 * @param expectEntry an archive entry that must exist (e.g. {@code nextcloud/version.php})
 * @param expectContains a text that entry must contain (e.g. the version string)
 * @param location where it is declared
 */
public record Artifact(
    String id,
    String url,
    Optional<String> sha256,
    Optional<String> sha256Url,
    Optional<UpdateServer> updateServer,
    Optional<String> publicKey,
    Optional<String> expectEntry,
    Optional<String> expectContains,
    SourceLocation location) {
  /** Validates the fields. */
  public Artifact {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(sha256Url, "sha256Url");
    Objects.requireNonNull(updateServer, "updateServer");
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(expectEntry, "expectEntry");
    Objects.requireNonNull(expectContains, "expectContains");
    Objects.requireNonNull(location, "location");
  }

  /**
   * Nextcloud's update server query (nextcloud/updater lib/Updater.php): {@code GET
   * URL?version=V.x.x.xxxCHANNELxxBUILDxPHP_MAJORxPHP_MINORxPHP_RELEASE}, answered by XML with
   * {@code version}, {@code versionstring}, {@code url}, {@code signature}, {@code autoupdater},
   * {@code eol}; an empty body means no update.
   *
   * @param url the server, e.g. {@code https://updates.nextcloud.com/updater_server/}
   * @param installedVersion the 4-part version the fleet runs now, e.g. {@code 27.1.11.0}
   * @param channel {@code stable}, {@code beta}, ...
   * @param phpVersion the PHP version to report, e.g. {@code 8.2.20}
   */
  public record UpdateServer(
      String url, String installedVersion, String channel, String phpVersion) {
    /** Validates the fields. */
    public UpdateServer {
      Objects.requireNonNull(url, "url");
      Objects.requireNonNull(installedVersion, "installedVersion");
      Objects.requireNonNull(channel, "channel");
      Objects.requireNonNull(phpVersion, "phpVersion");
    }
  }
}
