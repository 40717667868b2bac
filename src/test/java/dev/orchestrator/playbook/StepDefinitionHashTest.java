package dev.orchestrator.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A step's definition hash covers its action: an upload's artifact and destination like a shell
 * step's command. Hashes that earlier versions stored still match (journals of runs under way).
 */
class StepDefinitionHashTest {
  @TempDir Path dir;

  private Step step(String yaml) throws Exception {
    Files.writeString(
        dir.resolve("pb.yml"),
        "artifacts:\n"
            + "  - {id: a, url: \"https://example.org/a\", sha256: abc}\n"
            + "  - {id: b, url: \"https://example.org/b\", sha256: abc}\n"
            + "steps:\n  - "
            + yaml
            + "\n");
    return new PlaybookLoader().load(dir.resolve("pb.yml")).steps().get(0);
  }

  @Test
  void anUploadsDestAndArtifactArePartOfItsHash() throws Exception {
    Step upload = step("{id: up, upload: {artifact: a, dest: /srv/a}}");
    assertNotEquals(
        upload.definitionHash(),
        step("{id: up, upload: {artifact: a, dest: /srv/b}}").definitionHash());
    assertNotEquals(
        upload.definitionHash(),
        step("{id: up, upload: {artifact: b, dest: /srv/a}}").definitionHash());
    assertEquals(
        upload.definitionHash(),
        step("{id: up, name: renamed, upload: {artifact: a, dest: /srv/a}}").definitionHash());
  }

  @Test
  void aShellStepsHashIsTheOneEarlierVersionsStored() throws Exception {
    // the value the version before this change computed for this step
    assertEquals(SHELL_HASH, step("{id: a, shell: echo 1}").definitionHash());
  }

  @Test
  void anUploadCheckpointOfAnEarlierVersionStillMatches() throws Exception {
    Step upload = step("{id: up, upload: {artifact: a, dest: /srv/a}}");
    assertTrue(upload.matchesDefinition(upload.definitionHash()));
    assertTrue(upload.matchesDefinition(UPLOAD_HASH_BEFORE), "stored before the action was hashed");
    assertFalse(
        step("{id: up, upload: {artifact: a, dest: /srv/b}}")
            .matchesDefinition(upload.definitionHash()));
  }

  private static final String SHELL_HASH = "aef1ff7214528b3c";
  private static final String UPLOAD_HASH_BEFORE = "2d887152a0ea8556";
}
