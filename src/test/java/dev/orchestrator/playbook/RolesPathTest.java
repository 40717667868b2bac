package dev.orchestrator.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ansible's {@code roles_path}: roles are looked for in the playbook's own {@code roles/}, then in
 * each folder of the path, the first found winning.
 */
class RolesPathTest {
  @TempDir Path dir;

  private void role(Path base, String name, String stepId) throws IOException {
    Path f = base.resolve(name).resolve("tasks/main.yml");
    Files.createDirectories(f.getParent());
    Files.writeString(f, "- id: " + stepId + "\n  shell: echo " + stepId + "\n");
  }

  private Path playbook() throws IOException {
    Path pb = dir.resolve("project/pb.yml");
    Files.createDirectories(pb.getParent());
    Files.writeString(pb, "roles:\n  - web\n  - db\n");
    return pb;
  }

  @Test
  void theOwnRolesFolderComesFirstThenTheRolesPathInOrder() throws IOException {
    // given web in the playbook's roles/ and in the first folder of the path, db in the second only
    Path shared1 = dir.resolve("shared1");
    Path shared2 = dir.resolve("shared2");
    role(dir.resolve("project/roles"), "web", "own");
    role(shared1, "web", "shared");
    role(shared1, "other", "x");
    role(shared2, "db", "db2");
    // when loaded with the roles path
    Playbook pb = new PlaybookLoader(List.of(shared1, shared2)).load(playbook());
    // then web is the playbook's own, db the second folder's
    assertEquals(List.of("web.own", "db.db2"), pb.steps().stream().map(Step::id).toList());
  }

  @Test
  void aRoleFoundNowhereNamesEveryPlaceLookedIn() throws IOException {
    // given web in the roles path and db nowhere
    Path shared = dir.resolve("shared");
    role(shared, "web", "w");
    // when loaded; then the error names the playbook's roles/ and the path's folder
    InputException e =
        assertThrows(
            InputException.class, () -> new PlaybookLoader(List.of(shared)).load(playbook()));
    assertTrue(e.getMessage().contains("role 'db' not found"), e.getMessage());
    assertTrue(e.getMessage().contains(dir.resolve("project/roles/db").toString()), e.getMessage());
    assertTrue(e.getMessage().contains(shared.resolve("db").toString()), e.getMessage());
    assertTrue(e.hint().contains("roles_path"), e.hint());
  }
}
