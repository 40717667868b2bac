package dev.orchestrator.playbook;

import dev.orchestrator.yaml.YamlNode;
import java.util.List;

/**
 * How a file's steps are written: our format, or Ansible's tasks ({@link AnsibleTasks}), which are
 * rewritten into ours as each file is read (with PyYAML's scalar types, as Ansible reads them).
 *
 * @param typing how plain scalars are typed
 * @param rewrite turns a file's items into our steps (a new rewrite per file: ids are unique within
 *     a file)
 */
record StepDialect(
    dev.orchestrator.yaml.YamlTyping typing,
    java.util.function.Supplier<java.util.function.UnaryOperator<List<YamlNode>>> rewrite) {
  /** Our own format: read as written. */
  static final StepDialect OURS =
      new StepDialect(dev.orchestrator.yaml.YamlTyping.YAML_1_2_JSON, () -> items -> items);
}
