package dev.orchestrator.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The arguments of {@code git} as the loader reads them ({@link SourceModuleArgs}). */
class SourceModuleArgsTest {
  @TempDir Path dir;

  private Playbook load(String steps) throws IOException {
    Path file = dir.resolve("pb.yml");
    Files.writeString(file, "steps:\n" + steps);
    return new PlaybookLoader().load(file);
  }

  private InputException error(String steps) {
    return assertThrows(InputException.class, () -> load(steps));
  }

  @Test
  void readsGitWithAnsiblesArgumentsAndAliases() throws IOException {
    // given a git step with Ansible's arguments, repo by its alias name, booleans as Ansible spells
    Playbook pb =
        load(
            "  - id: g\n    git: {name: /srv/repo.git, dest: /srv/app, version: v1, force: yes,"
                + " depth: '1', accept_hostkey: true, update: 'no'}\n");
    // then the step calls git with them, the alias as repo, booleans and numbers converted
    ModuleCall call = pb.steps().get(0).extras().module().orElseThrow();
    assertEquals("git", call.name());
    assertEquals(
        Map.of(
            "repo",
            "/srv/repo.git",
            "dest",
            "/srv/app",
            "version",
            "v1",
            "force",
            true,
            "depth",
            1,
            "accept_hostkey",
            true,
            "update",
            false),
        call.args());
  }

  @Test
  void anAnsibleTaskWithKeyValueArgumentsCallsGit() throws IOException {
    // given an Ansible play whose task writes git's arguments as k=v (lamp_haproxy's web role)
    Path file = dir.resolve("site.yml");
    Files.writeString(
        file,
        "- hosts: all\n  tasks:\n    - name: checkout\n"
            + "      ansible.builtin.git: repo={{ repository }} version={{ v }} dest=/var/www/html/\n");
    // when it is loaded
    Playbook pb = new PlaybookLoader().load(file);
    // then the step calls git with the three arguments
    ModuleCall call = pb.steps().get(0).extras().module().orElseThrow();
    assertEquals(
        Map.of("repo", "{{ repository }}", "version", "{{ v }}", "dest", "/var/www/html/"),
        call.args());
  }

  @Test
  void invalidAndUnsupportedArgumentsAreErrorsAtTheirPlace() {
    // given each invalid use
    InputException unknown = error("  - id: g\n    git: {repo: r, dest: d, verison: v1}\n");
    InputException refused = error("  - id: g\n    git: {repo: r, dest: d, refspec: x}\n");
    InputException opts = error("  - id: g\n    git: {repo: r, dest: d, ssh_opts: '-o X=y'}\n");
    InputException repoless = error("  - id: g\n    git: {dest: d}\n");
    InputException destless = error("  - id: g\n    git: {repo: r}\n");
    InputException both =
        error("  - id: g\n    git: {repo: r, dest: d, accept_hostkey: 1, accept_newhostkey: 1}\n");
    InputException depth = error("  - id: g\n    git: {repo: r, dest: d, depth: deep}\n");
    // then each says what is wrong, where, and what to write instead
    assertTrue(unknown.getMessage().contains("pb.yml:3:29"), unknown.getMessage());
    assertTrue(unknown.hint().contains("did you mean 'version'?"), unknown.hint());
    assertTrue(
        refused.getMessage().contains("'refspec' of git is not supported"), refused.getMessage());
    assertTrue(refused.hint().contains("git -C DEST fetch"), refused.hint());
    assertTrue(opts.hint().contains("accept_hostkey"), opts.hint());
    assertTrue(repoless.getMessage().contains("has no 'repo'"), repoless.getMessage());
    assertTrue(
        destless.getMessage().contains("the destination directory must be specified"),
        destless.getMessage());
    assertTrue(both.getMessage().contains("mutually exclusive"), both.getMessage());
    assertTrue(depth.getMessage().contains("'depth' must be a number"), depth.getMessage());
  }

  @Test
  void cloneNoNeedsNoDest() throws IOException {
    // given git with clone: no and no dest (Ansible then only asks the remote)
    Playbook pb = load("  - id: g\n    git: {repo: r, clone: false}\n");
    // then it loads
    assertEquals(
        Map.of("repo", "r", "clone", false),
        pb.steps().get(0).extras().module().orElseThrow().args());
  }

  @Test
  void readsGetUrlWithAnsiblesArgumentsAndRefusesWhatItDoesNotRun() throws IOException {
    // given a get_url step with aliases, a YAML octal mode and headers
    Playbook pb =
        load(
            "  - id: d\n    get_url: {url: 'https://x/a.tgz', dest: /srv/, checksum: 'sha256:ab',"
                + " username: u, password: '{{ pw }}', mode: 0640, headers: {X-Id: '1'},"
                + " timeout: 30, force: no}\n");
    // then the step calls get_url with Ansible's names
    assertEquals(
        Map.of(
            "url", "https://x/a.tgz",
            "dest", "/srv/",
            "checksum", "sha256:ab",
            "url_username", "u",
            "url_password", "{{ pw }}",
            "mode", "0640",
            "headers", Map.of("X-Id", "1"),
            "timeout", 30,
            "force", false),
        pb.steps().get(0).extras().module().orElseThrow().args());
    // and what it does not run is refused at its place, naming what to write instead
    InputException removed = error("  - id: d\n    get_url: {url: u, dest: d, sha256sum: ab}\n");
    InputException unknown = error("  - id: d\n    get_url: {url: u, dest: d, chksum: ab}\n");
    InputException destless = error("  - id: d\n    get_url: {url: u}\n");
    InputException mode = error("  - id: d\n    get_url: {url: u, dest: d, mode: 644}\n");
    assertTrue(removed.hint().contains("checksum: \"sha256:HEX\""), removed.hint());
    assertTrue(unknown.hint().contains("did you mean 'checksum'?"), unknown.hint());
    assertTrue(destless.getMessage().contains("has no 'dest'"), destless.getMessage());
    assertTrue(mode.getMessage().contains("decimal"), mode.getMessage());
  }
}
