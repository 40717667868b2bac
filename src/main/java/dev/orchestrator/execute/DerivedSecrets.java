package dev.orchestrator.execute;

import dev.orchestrator.common.Redactor;
import dev.orchestrator.common.Secrets;
import dev.orchestrator.playbook.Step;
import dev.orchestrator.template.ShellTemplate;
import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.template.TemplateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds what templates derive from secrets ({@code {{ db_password | upper }}}, {@code b64encode}, a
 * substring...) and adds it to the run's {@link Redactor}: a template is rendered again with every
 * secret replaced by another value of the same shape ({@link Secrets#perturbed}), and every
 * rendered value that changes is a derived secret ({@link Secrets#derived}).
 */
final class DerivedSecrets {
  private final TemplateEngine templates;
  private final Set<String> secretNames;
  private final Redactor redactor;

  /**
   * @param secretNames the names of secret vars beyond the secret-looking ones
   */
  DerivedSecrets(TemplateEngine templates, Set<String> secretNames, Redactor redactor) {
    this.templates = templates;
    this.secretNames = Set.copyOf(secretNames);
    this.redactor = redactor;
  }

  /** Returns the names of the secret vars beyond the secret-looking ones. */
  Set<String> names() {
    return secretNames;
  }

  /** Returns a live view of the values masked so far (for the step logs). */
  Set<String> values() {
    return redactor.values();
  }

  /** Masks, from now on, this secret value (a become password). */
  void add(String secret) {
    redactor.addAll(java.util.List.of(secret));
  }

  /** Masks, from now on, the secret values among {@code vars}. */
  void addSecretsOf(Map<String, Object> vars) {
    redactor.addSecretsOf(vars, secretNames);
  }

  /**
   * Masks what a step's shell, environment and {@code creates} derive from the secrets of {@code
   * vars}, as rendered into {@code shell} and {@code env}. No second render without a secret among
   * the vars.
   */
  void learn(Step step, Map<String, Object> vars, ShellTemplate shell, Map<String, String> env) {
    Map<String, Object> other = Secrets.perturbed(vars, secretNames);
    if (other.equals(vars)) {
      return; // no secret among the vars: nothing can derive from one, no second render
    }
    List<String> real = new ArrayList<>(shell.values().values());
    real.addAll(env.values());
    Optional<ShellTemplate> otherShell;
    Optional<List<String>> otherValues;
    try {
      ShellTemplate o = templates.renderShell(step.shell(), other);
      List<String> values = new ArrayList<>(o.values().values());
      for (String e : step.environment().values()) {
        values.add(templates.render(e, other));
      }
      otherShell = Optional.of(o);
      otherValues = Optional.of(values);
    } catch (TemplateException | IllegalArgumentException e) {
      otherShell = Optional.empty();
      otherValues = Optional.empty();
    }
    redactor.addAll(Secrets.derived(real, otherValues));
    redactor.addAll(Secrets.derivedWords(shell.text(), otherShell.map(ShellTemplate::text)));
    step.creates().ifPresent(c -> learn(c, vars, other));
  }

  /**
   * Masks what one template derives from the secrets of {@code vars} (an artifact's URL...). A
   * template that cannot be rendered is reported where it is used.
   */
  void learn(String template, Map<String, Object> vars) {
    Map<String, Object> other = Secrets.perturbed(vars, secretNames);
    if (!other.equals(vars)) {
      learn(template, vars, other);
    }
  }

  private void learn(String template, Map<String, Object> vars, Map<String, Object> other) {
    Optional<List<String>> o;
    try {
      o = Optional.of(List.of(templates.render(template, other)));
    } catch (TemplateException | IllegalArgumentException e) {
      o = Optional.empty();
    }
    try {
      redactor.addAll(Secrets.derived(List.of(templates.render(template, vars)), o));
    } catch (TemplateException e) {
      // reported by the step itself
    }
  }

  /**
   * Learns the secrets of a plan before its artifacts are fetched: the secret values among its
   * hosts' vars, and what its upload steps' artifact URL and SHA-256 templates derive from them.
   */
  void learnArtifactsOf(dev.orchestrator.plan.Plan plan) {
    plan.hosts()
        .forEach(
            h -> {
              Map<String, Object> vars = new java.util.LinkedHashMap<>(h.vars());
              addSecretsOf(vars);
              for (var s : h.steps()) {
                vars.putAll(s.overrides());
                s.step()
                    .traits()
                    .upload()
                    .flatMap(u -> plan.playbook().artifact(u.artifact()))
                    .ifPresent(
                        a -> {
                          learn(a.url(), vars);
                          a.sha256().ifPresent(sum -> learn(sum, vars));
                        });
              }
            });
  }
}
