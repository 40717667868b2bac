package dev.orchestrator.plan;

import dev.orchestrator.common.InputException;
import dev.orchestrator.inventory.Host;
import dev.orchestrator.playbook.FileModule;
import dev.orchestrator.playbook.FileSources;
import dev.orchestrator.playbook.Step;
import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.template.TemplateException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code plan} knows of a {@code template:}/{@code copy:} step's templated {@code src} on one
 * host ({@link FileSources}): rendered with the host's (and loop item's) vars, the file it names is
 * found now, named in the plan, and a template's text checked like the step's other templates; a
 * file that is not there is an error before anything runs, as a literal {@code src} is at load.
 * When the {@code src} depends on a value registered at run time, the plan says the file is decided
 * at run.
 */
final class FileSourcePlanning {
  private FileSourcePlanning() {}

  /** The step's templates to check on this host, with a templated src's file text once found. */
  static Map<String, String> templates(
      Step step, Host host, Map<String, Object> vars, TemplateEngine templates) {
    Optional<FileModule> file = step.extras().file();
    if (file.isEmpty()) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>(file.get().templates());
    found(step, host, vars, templates)
        .flatMap(s -> s.text().map(t -> Map.entry(s, t)))
        .ifPresent(
            e -> out.put(file.get().kind().key() + " src " + e.getKey().src(), e.getValue()));
    return out;
  }

  /**
   * The plan's note for a step with a templated src: the file found on this host, or that it is
   * decided at run; empty for any other step.
   */
  static String note(Step step, Host host, Map<String, Object> vars, TemplateEngine templates) {
    if (step.extras().file().flatMap(FileModule::perHostSource).isEmpty()) {
      return "";
    }
    return found(step, host, vars, templates)
        .map(s -> "src: " + s.path())
        .orElse("src decided at run: it depends on values registered at run time");
  }

  private static Optional<FileModule.Source> found(
      Step step, Host host, Map<String, Object> vars, TemplateEngine templates) {
    Optional<FileModule> file = step.extras().file();
    if (file.isEmpty() || file.get().perHostSource().isEmpty()) {
      return Optional.empty();
    }
    String src;
    try {
      src = templates.render(file.get().perHostSource().get().src(), vars);
    } catch (TemplateException e) {
      return Optional.empty(); // reported (or planned run?) with the step's other templates
    }
    try {
      return Optional.of(FileSources.resolve(file.get(), src));
    } catch (IllegalArgumentException e) {
      throw new InputException(
          step.location(),
          "step '" + step.id() + "', on host '" + host.name() + "': " + e.getMessage(),
          "put the file in the role's templates/ or files/, or next to the playbook, or fix the"
              + " variable that names it");
    }
  }
}
