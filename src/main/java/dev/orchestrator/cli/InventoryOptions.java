package dev.orchestrator.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code -i/--inventory FILE} (repeatable): the inventory sources, in order; without {@code -i},
 * Ansible's configuration's ({@code ANSIBLE_INVENTORY}, {@code ansible.cfg}'s {@code [defaults]
 * inventory}); without either, the missing option is refused as picocli refuses it.
 */
final class InventoryOptions {
  @Option(
      names = {"-i", "--inventory"},
      paramLabel = "SOURCE",
      description =
          "The inventory file or folder (Ansible YAML or INI), or an inline host list"
              + " (web1,web2:2222, ; web1, is one host: Ansible's host_list); repeat -i to"
              + " merge several, in order, as Ansible does (default: ANSIBLE_INVENTORY, or"
              + " ansible.cfg's [defaults] inventory).")
  java.util.List<Path> paths;

  @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
  picocli.CommandLine.Model.CommandSpec mixee;

  /** The sources given with {@code -i}, else the configuration's. */
  java.util.List<Path> paths() {
    if (paths != null && !paths.isEmpty()) {
      return paths;
    }
    java.util.List<Path> configured = dev.orchestrator.app.AnsibleConfig.current().inventories();
    if (configured.isEmpty()) {
      throw new picocli.CommandLine.ParameterException(
          mixee.commandLine(), "Missing required option: '--inventory=FILE'");
    }
    return configured;
  }
}
