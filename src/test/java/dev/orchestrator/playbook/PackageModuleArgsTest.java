package dev.orchestrator.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The arguments of {@code package}, {@code apt}, {@code yum} and {@code dnf} as the loader reads
 * them ({@link PackageModuleArgs}), in our format and in Ansible's play format ({@code k=v}).
 */
class PackageModuleArgsTest {
  @TempDir Path dir;

  private Playbook load(String text) throws IOException {
    Path file = dir.resolve("pb.yml");
    Files.writeString(file, text);
    return new PlaybookLoader().load(file);
  }

  private InputException error(String steps) {
    return assertThrows(InputException.class, () -> load("steps:\n" + steps));
  }

  private static ModuleCall call(Playbook pb, int i) {
    return pb.steps().get(i).extras().module().orElseThrow();
  }

  @Test
  void readsEachModuleWithAliasesAsTheArgumentTheyName() throws IOException {
    // given one step per module, with Ansible's aliases
    Playbook pb =
        load(
            """
            steps:
              - id: a
                apt: {pkg: [nginx, "curl=7.88*"], update-cache: yes, cache_valid_time: "3600", install-recommends: no}
              - id: y
                yum: {name: httpd, state: installed, enablerepo: epel, disable_gpg_check: true}
              - id: d
                dnf: {pkg: "a,b", state: removed, expire-cache: true}
              - id: p
                package: {name: git, state: latest, use: auto}
            """);
    // then each calls its module, aliases read as the names they stand for
    assertEquals(
        Map.of(
            "name",
            List.of("nginx", "curl=7.88*"),
            "update_cache",
            true,
            "cache_valid_time",
            3600,
            "install_recommends",
            false),
        call(pb, 0).args());
    assertEquals("yum", call(pb, 1).name());
    assertEquals(
        Map.of(
            "name", "httpd", "state", "installed", "enablerepo", "epel", "disable_gpg_check", true),
        call(pb, 1).args());
    assertEquals(
        Map.of("name", "a,b", "state", "removed", "update_cache", true), call(pb, 2).args());
    assertEquals("package", call(pb, 3).name());
  }

  @Test
  void readsAnsiblesFreeFormAndALoopOverNames() throws IOException {
    // given an Ansible play: k=v with a version, an FQCN, and a loop over names
    Playbook pb =
        load(
            """
            - hosts: all
              tasks:
                - name: pinned
                  apt: name=nginx=1.22* state=present update_cache=yes
                - name: each
                  yum: pkg={{ item }} state=present
                  with_items: [ntp, httpd]
                - name: any
                  ansible.builtin.package:
                    name: "{{ packages }}"
                    state: present
            """);
    // then the steps call the modules with Ansible's arguments
    assertEquals(
        Map.of("name", "nginx=1.22*", "state", "present", "update_cache", true),
        call(pb, 0).args());
    assertEquals(Map.of("name", "{{ item }}", "state", "present"), call(pb, 1).args());
    assertTrue(pb.steps().get(1).extras().loop().isPresent(), "a loop over names is a loop");
    assertEquals(Map.of("name", "{{ packages }}", "state", "present"), call(pb, 2).args());
  }

  @Test
  void argumentsWeDoNotRunAreErrorsAtTheirPlaceNamingTheOnesWeRun() {
    // given each invalid use
    InputException deb = error("  - id: a\n    apt: {deb: /tmp/x.deb}\n");
    InputException exclude = error("  - id: y\n    yum: {name: a, exclude: b}\n");
    InputException installed = error("  - id: a\n    apt: {name: a, state: installed}\n");
    InputException use = error("  - id: p\n    package: {name: a, use: zypper}\n");
    InputException nothing = error("  - id: d\n    dnf: {state: present}\n");
    InputException twice = error("  - id: a\n    apt: {name: a, pkg: b}\n");
    // then each says what is wrong and where, and what we run
    assertTrue(deb.getMessage().contains("pb.yml:3:11"), deb.getMessage());
    assertTrue(deb.getMessage().contains("'deb' of apt is not supported"), deb.getMessage());
    assertTrue(deb.hint().contains("cache_valid_time, install_recommends, name"), deb.hint());
    assertTrue(exclude.getMessage().contains("'exclude' of yum"), exclude.getMessage());
    assertTrue(
        exclude.hint().contains("disable_gpg_check, disablerepo, enablerepo"), exclude.hint());
    assertTrue(
        installed.getMessage().contains("unknown state 'installed'"), installed.getMessage());
    assertTrue(installed.hint().contains("Ansible refuses it too"), installed.hint());
    assertTrue(use.getMessage().contains("'use: zypper' is not supported"), use.getMessage());
    assertTrue(nothing.getMessage().contains("names no package"), nothing.getMessage());
    assertTrue(twice.getMessage().contains("gives 'name' twice"), twice.getMessage());
  }
}
