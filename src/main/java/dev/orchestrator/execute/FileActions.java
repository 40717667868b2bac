package dev.orchestrator.execute;

import dev.orchestrator.playbook.FileMode;
import dev.orchestrator.playbook.FileModule;
import dev.orchestrator.playbook.FileSources;
import dev.orchestrator.playbook.Step;
import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.template.TemplateException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.Optional;

/**
 * Renders a {@code template:} or {@code copy:} step for one host into a {@link FileWrite}: the
 * destination, mode, owner and group rendered as text (they reach the host's shell as single-quoted
 * words, never as code), and the content: a template's source rendered as Ansible's template module
 * does ({@link dev.orchestrator.template.FileTemplates}), {@code copy}'s {@code content} rendered,
 * or its {@code src} read as bytes and checked against the SHA-256 it had when the playbook was
 * loaded (a templated {@code src} is rendered for the host and found now: {@link FileSources}). The
 * secrets the content derives from are masked from then on ({@link DerivedSecrets}).
 */
final class FileActions {
  private FileActions() {}

  /**
   * Renders the file step {@code step} for a host.
   *
   * @param vars the host's vars
   * @throws TemplateException on an undefined variable or a syntax error
   * @throws IllegalArgumentException when a rendered value is invalid (a mode, an empty dest) or
   *     the source changed since the playbook was loaded
   */
  static FileWrite render(
      Step step, Map<String, Object> vars, TemplateEngine templates, DerivedSecrets secrets)
      throws TemplateException {
    FileModule f = step.extras().file().orElseThrow();
    String dest = templates.render(f.dest(), vars).strip();
    Optional<FileMode> mode =
        f.mode().map(m -> templates.render(m, vars).strip()).map(FileMode::new);
    Optional<String> owner = f.owner().map(o -> templates.render(o, vars).strip());
    Optional<String> group = f.group().map(g -> templates.render(g, vars).strip());
    Optional<FileModule.Source> source = source(f, vars, templates);
    byte[] content;
    if (f.content().isPresent()) {
      content = templates.render(f.content().get(), vars).getBytes(StandardCharsets.UTF_8);
      secrets.learn(f.content().get(), vars);
    } else if (f.kind() == FileModule.Kind.TEMPLATE) {
      String text = source.orElseThrow().text().orElseThrow();
      Map<String, Object> withTemplateVars =
          dev.orchestrator.template.FileTemplates.withTemplateVars(
              vars, source.orElseThrow().path(), dest);
      content =
          dev.orchestrator.template.FileTemplates.render(text, withTemplateVars, secrets.names())
              .getBytes(StandardCharsets.UTF_8);
      secrets.learn(text, withTemplateVars);
    } else {
      content = read(source.orElseThrow());
    }
    return new FileWrite(
        step,
        dest,
        content,
        mode,
        owner,
        group,
        f.backup(),
        f.force(),
        source.map(s -> s.path().toString()));
  }

  /**
   * The step's source file: the one found at load, or a templated {@code src} rendered for this
   * host and found now ({@link FileSources#resolve}); empty for {@code copy: content:}.
   */
  static Optional<FileModule.Source> source(
      FileModule f, Map<String, Object> vars, TemplateEngine templates) throws TemplateException {
    if (f.perHostSource().isPresent()) {
      return Optional.of(
          FileSources.resolve(f, templates.render(f.perHostSource().get().src(), vars)));
    }
    return f.source();
  }

  /** The action: {@code template SRC to DEST}, {@code copy content to DEST}. */
  static StepAction.WriteFile action(
      Step step, Map<String, Object> vars, TemplateEngine templates, DerivedSecrets secrets)
      throws TemplateException {
    FileModule f = step.extras().file().orElseThrow();
    return new StepAction.WriteFile(
        f.kind().key(),
        source(f, vars, templates).map(FileModule.Source::src).orElse("content"),
        render(step, vars, templates, secrets));
  }

  private static byte[] read(FileModule.Source source) {
    try {
      byte[] bytes = Files.readAllBytes(source.path());
      if (!FileWrite.digest("SHA-256", bytes).equals(source.sha256())) {
        throw new IllegalArgumentException(
            source.path()
                + " changed since the playbook was loaded: run the plan again (a resume refuses an"
                + " edited step that already ran)");
      }
      return bytes;
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + source.path() + ": " + e.getMessage());
    }
  }
}
