package dev.orchestrator.playbook;

import dev.orchestrator.template.Facts;
import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.yaml.YamlMap;
import dev.orchestrator.yaml.YamlNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Reads the facts and become keys of the playbook format: top-level {@code gather_facts}, and the
 * step keys {@code fact}, {@code become_method}, {@code become_flags} and {@code become_password}
 * (README "Playbook reference").
 */
final class FactsKeys {
  private FactsKeys() {}

  /**
   * {@code gather_facts}: as written, or when the playbook does not say, whether its text reads a
   * fact ({@link Facts#mentioned}): Ansible gathers by default; a playbook that reads no fact pays
   * nothing for them.
   */
  static boolean gatherFacts(YamlMap top, Path file) {
    return gatherFacts(top, file, List.of(), List.of());
  }

  /**
   * Whether each host's facts are gathered: {@code gather_facts} when given, else whether any text
   * the playbook brings names a fact: the playbook file, every file its steps, rollback steps and
   * handlers come from (step files, roles' tasks), the roles' defaults and vars, and the sources of
   * its {@code template:} steps.
   */
  static boolean gatherFacts(
      YamlMap top, Path file, java.util.Collection<Step> steps, List<LoadedRole> roles) {
    Optional<YamlNode> explicit = top.get("gather_facts");
    if (explicit.isPresent()) {
      return explicit.get().asBoolean("gather_facts");
    }
    java.util.Set<Path> files = new java.util.LinkedHashSet<>();
    files.add(file);
    List<String> texts = new java.util.ArrayList<>();
    for (Step s : steps) {
      files.add(s.location().file());
      s.extras()
          .file()
          .flatMap(FileModule::source)
          .flatMap(FileModule.Source::text)
          .ifPresent(texts::add);
    }
    for (LoadedRole r : roles) {
      texts.add(String.valueOf(r.defaults()));
      texts.add(String.valueOf(r.vars()));
    }
    if (texts.stream().anyMatch(Facts::mentioned)) {
      return true;
    }
    for (Path f : files) {
      try {
        if (Facts.mentioned(Files.readString(f, StandardCharsets.UTF_8))) {
          return true;
        }
      } catch (IOException | java.io.UncheckedIOException e) {
        return true; // it was just read; if it cannot be read again, gather as Ansible does
      }
    }
    return false;
  }

  /**
   * Reads a step's {@code fact} and become keys into its extras.
   *
   * @param m the step's keys
   * @param where the step, for messages ({@code step 'x'})
   * @param templates checks the password template's syntax
   */
  static StepExtras extras(YamlMap m, String where, TemplateEngine templates) {
    boolean fact = m.get("fact").map(v -> v.asBoolean("fact")).orElse(false);
    Optional<String> method = Optional.empty();
    if (m.get("become_method").isPresent()) {
      YamlNode node = m.get("become_method").get();
      String value = node.asString("become_method");
      if (!StepBecome.METHODS.contains(value)) {
        throw node.error(
            where + ": become_method '" + value + "' is not supported",
            "write become_method: sudo or become_method: su");
      }
      method = Optional.of(value);
    }
    Optional<String> flags = m.string("become_flags");
    Optional<String> password = Optional.empty();
    if (m.get("become_password").isPresent()) {
      YamlNode node = m.get("become_password").get();
      String value = node.asString("become_password");
      if (!TemplateEngine.isTemplate(value)) {
        // never echo the value: it may be the password itself
        throw node.error(
            where + ": become_password is written as plain text in the playbook",
            "keep the password in a secret variable (the inventory's ansible_become_password, or"
                + " -e @secrets.yml) and write become_password: \"{{ sudo_password }}\"");
      }
      try {
        templates.render(value, java.util.Map.of());
      } catch (dev.orchestrator.template.TemplateException e) {
        if (e.undefinedVariable().isEmpty()) {
          throw node.error(
              where + ", 'become_password': the template cannot be read",
              "write become_password: \"{{ sudo_password }}\"");
        }
      }
      password = Optional.of(value);
    }
    StepBecome become = new StepBecome(method, flags, password);
    if (!fact && become.equals(StepBecome.NONE)) {
      return StepExtras.NONE;
    }
    return StepExtras.NONE.withFacts(fact, become);
  }
}
