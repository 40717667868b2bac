package dev.orchestrator.inventory;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A host's variables from the inventory and the vars files, merged in Ansible 2.14's order ({@code
 * get_vars} in {@code lib/ansible/vars/manager.py} with the default {@code VARIABLE_PRECEDENCE}),
 * lowest first:
 *
 * <ol>
 *   <li>the inventory's vars of {@code all};
 *   <li>the inventory's vars of the host's other groups, in group order (parents before children,
 *       then by name);
 *   <li>{@code group_vars/all} of each inventory source's folder, in source order;
 *   <li>{@code group_vars/all} of the playbook's folder, if any;
 *   <li>{@code group_vars/GROUP} of each source's folder: source by source, in each the host's
 *       other groups in group order;
 *   <li>{@code group_vars/GROUP} of the playbook's folder;
 *   <li>the inventory's vars of the host;
 *   <li>{@code host_vars/HOST} of each source's folder, then of the playbook's folder.
 * </ol>
 *
 * <p>So a {@code group_vars/all.yml} beats a child group's vars written in the inventory file, as
 * in Ansible. Each step replaces top-level keys (Ansible's default {@code hash_behaviour:
 * replace}).
 *
 * @param sourceFolders the folders of the inventory sources, in {@code -i} order ({@link
 *     InventorySources#varsBase})
 * @param playbookFolder the playbook's folder ({@code ansible-playbook} reads its {@code
 *     group_vars/} and {@code host_vars/} too; {@code ansible-inventory} does not), if any
 * @param files the vars files, read once
 */
record VarsPrecedence(
    List<Path> sourceFolders, java.util.Optional<Path> playbookFolder, VarsFiles files) {
  /** Validates the fields. */
  VarsPrecedence {
    sourceFolders = List.copyOf(sourceFolders);
    Objects.requireNonNull(playbookFolder, "playbookFolder");
    Objects.requireNonNull(files, "files");
  }

  /**
   * A host's merged vars.
   *
   * @param host the host
   * @param groups the host's groups in group order, {@code all} first
   * @param groupVars the inventory's vars of each group
   * @param ownVars the inventory's vars of the host
   * @return the vars, a new map
   */
  Map<String, Object> hostVars(
      String host,
      List<String> groups,
      Map<String, Map<String, Object>> groupVars,
      Map<String, Object> ownVars) {
    List<String> others = groups.stream().filter(g -> !g.equals("all")).toList();
    Map<String, Object> vars = new LinkedHashMap<>(groupVars.getOrDefault("all", Map.of()));
    others.forEach(g -> vars.putAll(groupVars.getOrDefault(g, Map.of())));
    sourceFolders.forEach(f -> vars.putAll(files.vars(f, "group_vars", "all")));
    playbookFolder.ifPresent(f -> vars.putAll(files.vars(f, "group_vars", "all")));
    sourceFolders.forEach(f -> others.forEach(g -> vars.putAll(files.vars(f, "group_vars", g))));
    playbookFolder.ifPresent(f -> others.forEach(g -> vars.putAll(files.vars(f, "group_vars", g))));
    vars.putAll(ownVars);
    sourceFolders.forEach(f -> vars.putAll(files.vars(f, "host_vars", host)));
    playbookFolder.ifPresent(f -> vars.putAll(files.vars(f, "host_vars", host)));
    return vars;
  }
}
