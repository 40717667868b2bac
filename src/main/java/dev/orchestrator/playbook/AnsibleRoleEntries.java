package dev.orchestrator.playbook;

import dev.orchestrator.yaml.YamlMap;
import dev.orchestrator.yaml.YamlNode;
import dev.orchestrator.yaml.YamlNodes;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An Ansible play's {@code roles:} entries in our form ({@link AnsiblePlays}): {@code name:} is
 * {@code role:}, {@code when} and {@code tags} kept, {@code vars} and the other keys (role
 * parameters) the role's vars, the role keywords we do not apply refused.
 */
final class AnsibleRoleEntries {
  private AnsibleRoleEntries() {}

  /**
   * The keywords of a role entry we do not apply: every field of ansible-core 2.14's {@code
   * RoleDefinition} ({@code playbook/base.py} {@code Base}, {@code collectionsearch.py}) but {@code
   * name}, {@code role}, {@code vars}, {@code when} and {@code tags}, which we read; Ansible reads
   * any other key as a role parameter ({@code role/definition.py} {@code _split_role_params}), and
   * so do we. {@code delegate_to} is no role keyword in Ansible (it would be a parameter), but a
   * role entry naming it surely means delegation: refused too. Read as parameters, these would be
   * silently ignored: a role entry's {@code check_mode: yes} would change the hosts.
   */
  static final Set<String> REFUSED =
      Set.of(
          "connection",
          "port",
          "remote_user",
          "module_defaults",
          "environment",
          "no_log",
          "run_once",
          "ignore_errors",
          "ignore_unreachable",
          "check_mode",
          "diff",
          "any_errors_fatal",
          "throttle",
          "timeout",
          "debugger",
          "become",
          "become_method",
          "become_user",
          "become_flags",
          "become_exe",
          "collections",
          "delegate_to");

  /** Ansible's role entries in our form: {@code name:} is {@code role:}, other keys its vars. */
  static YamlNode read(YamlNode list) {
    List<YamlNode> out = new ArrayList<>();
    for (YamlNode r : list.asList("roles")) {
      if (!r.isMapping()) {
        out.add(r);
        continue;
      }
      YamlMap m = r.asMap("a role");
      List<Map.Entry<YamlNode, YamlNode>> entry = new ArrayList<>();
      List<Map.Entry<YamlNode, YamlNode>> params = new ArrayList<>();
      Optional<YamlMap.Entry> vars = m.entry("vars");
      for (YamlMap.Entry e : m.entries()) {
        switch (e.name()) {
          case "role", "when", "tags" ->
              entry.add(new AbstractMap.SimpleEntry<>(e.key(), e.value()));
          case "name" -> entry.add(entry(e.key(), "role", e.value()));
          case "vars" -> {}
          default -> {
            if (REFUSED.contains(e.name())) {
              throw e.key()
                  .error(
                      "the role keyword '" + e.name() + "' is not supported",
                      "set it on the play, or on the role's tasks");
            }
            params.add(new AbstractMap.SimpleEntry<>(e.key(), e.value()));
          }
        }
      }
      if (!params.isEmpty() || vars.isPresent()) {
        List<Map.Entry<YamlNode, YamlNode>> all = new ArrayList<>(params);
        vars.ifPresent(
            v ->
                v.value()
                    .asMap("vars")
                    .entries()
                    .forEach(x -> all.add(new AbstractMap.SimpleEntry<>(x.key(), x.value()))));
        entry.add(entry(r, "vars", YamlNodes.mapping(r, all)));
      }
      out.add(YamlNodes.mapping(r, entry));
    }
    return YamlNodes.sequence(list, out);
  }

  private static Map.Entry<YamlNode, YamlNode> entry(YamlNode at, String key, YamlNode value) {
    return new AbstractMap.SimpleEntry<>(YamlNodes.scalar(at, key), value);
  }
}
