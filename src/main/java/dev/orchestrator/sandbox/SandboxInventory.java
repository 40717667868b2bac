package dev.orchestrator.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

/** Writes the inventory of a started fleet: loopback hosts, their ports, paths and URLs. */
final class SandboxInventory {
  private final SandboxFleet fleet;

  SandboxInventory(SandboxFleet fleet) {
    this.fleet = fleet;
  }

  /**
   * Writes the inventory of the fleet's hosts, their status and the releases on {@code statusPort}.
   */
  void write(int statusPort) throws IOException {
    StringBuilder y = new StringBuilder();
    y.append(
        "# Written by `orchestrator sandbox`: simulated Nextcloud instances served over SSH on loopback.\n");
    y.append(
        "# The same playbook runs against real hosts with e.g. inventory/example-production.yml.\n");
    y.append("all:\n  vars:\n");
    y.append("    ansible_host: 127.0.0.1\n");
    y.append("    user: ops\n");
    y.append("    private_key_file: ")
        .append(yamlString(fleet.dir().resolve("client_key").toString()))
        .append('\n');
    y.append("    as_web_user: ''\n");
    y.append("    occ: \"{{ php }} {{ nextcloud_root }}/occ\"\n");
    y.append("    web_user: ").append(yamlString(System.getProperty("user.name"))).append('\n');
    y.append("    target_version: ").append(yamlString(fleet.layout().toVersion())).append('\n');
    // as download.nextcloud.com: the archive and its .sha256 beside it
    y.append("    release_url: ")
        .append(
            yamlString(
                "http://127.0.0.1:"
                    + statusPort
                    + "/releases/nextcloud-{{ target_version }}.tar.bz2"))
        .append('\n');
    // the updater's own download of the same release (it takes zip only): code_swap auto then
    // drives updater/updater.phar --url; -e code_swap=manual takes the manual route
    y.append("    updater_url: ")
        .append(
            yamlString(
                "http://127.0.0.1:" + statusPort + "/releases/nextcloud-{{ target_version }}.zip"))
        .append('\n');
    y.append("  children:\n");
    for (String group : List.of("qa", "production")) {
      y.append("    ").append(group).append(":\n      hosts:\n");
      for (SandboxFleet.SandboxHost h : fleet.hosts()) {
        if (h.group().equals(group)) {
          y.append("        ").append(h.name()).append(":\n");
          y.append("          port: ").append(h.port()).append('\n');
          y.append("          nextcloud_root: ")
              .append(yamlString(fleet.nextcloudRoot(h.name()).toString()))
              .append('\n');
          y.append("          status_url: ")
              .append(yamlString("http://127.0.0.1:" + statusPort + "/" + h.name() + "/status.php"))
              .append('\n');
          y.append("          release_archive: ")
              .append(
                  yamlString(
                      fleet
                          .home(h.name())
                          .resolve("tmp")
                          .resolve("nextcloud-{{ target_version }}.tar.bz2")
                          .toString()))
              .append('\n');
          y.append("          php: ")
              .append(yamlString(fleet.home(h.name()).resolve("bin/php").toString()))
              .append('\n');
          y.append("          backup_root: ")
              .append(yamlString(fleet.home(h.name()).resolve("backups").toString()))
              .append('\n');
        }
      }
    }
    Files.writeString(fleet.inventory(), y.toString());
  }

  private static String yamlString(String s) {
    return "'" + s.replace("'", "''") + "'";
  }
}
