package dev.orchestrator.artifact;

import java.nio.file.Path;
import java.util.Objects;

/**
 * An artifact on the controller, verified and ready to upload.
 *
 * @param id the artifact id
 * @param file the local file
 * @param sha256 its SHA-256, hex
 * @param size its size in bytes
 * @param source where it came from (URL)
 */
public record FetchedArtifact(String id, Path file, String sha256, long size, String source) {
  /** Validates the fields. */
  public FetchedArtifact {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(source, "source");
  }
}
