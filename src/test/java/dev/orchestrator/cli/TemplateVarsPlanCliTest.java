package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The variables Ansible's template module adds for the file it renders ({@code ansible_managed},
 * {@code template_destpath}, ...) are defined when {@code plan} checks a template's source, as when
 * the run renders it: ansible-examples' {@code lamp_haproxy} {@code iptables.j2} starts with {@code
 * # {{ ansible_managed }}}, which {@code plan} (and so {@code run}) refused as undefined.
 */
class TemplateVarsPlanCliTest {
  @TempDir Path dir;

  @Test
  void aTemplateNamingAnsibleManagedPlansAndRendersAsAnsibleDoes(@TempDir Path home)
      throws Exception {
    // given a play whose template names ansible_managed and template_destpath
    Path dest = dir.resolve("out.conf");
    Files.writeString(dir.resolve("t.j2"), "# {{ ansible_managed }}\n# {{ template_destpath }}\n");
    Files.writeString(
        dir.resolve("pb.yml"),
        "- hosts: all\n  gather_facts: false\n  tasks:\n    - name: render\n"
            + "      template: {src: t.j2, dest: '"
            + dest
            + "'}\n");
    Files.writeString(dir.resolve("inv.yml"), "all:\n  hosts:\n    h1:\n      connection: local\n");
    Cli.Session cli = Cli.withLocalHome(home);
    String pb = dir.resolve("pb.yml").toString();
    String inv = dir.resolve("inv.yml").toString();
    // when it is planned, then run
    Cli.Result plan = cli.run("plan", pb, "-i", inv);
    Cli.Result run = cli.run("run", pb, "-i", inv, "--state-dir", dir.resolve("state").toString());
    // then both accept it, and the file holds Ansible's default text and the destination
    assertEquals(0, plan.exitCode(), plan.out() + plan.err());
    assertEquals(0, run.exitCode(), run.out() + run.err());
    assertEquals("# Ansible managed\n# " + dest + "\n", Files.readString(dest));
  }
}
