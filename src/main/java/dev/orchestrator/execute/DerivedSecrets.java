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
    Map<String, Object> other = Secrets.perturbed(vars, secretNames, redactor.values());
    if (nothingToLearn(
        vars,
        other,
        java.util.stream.Stream.concat(
            java.util.stream.Stream.of(step.shell()), step.environment().values().stream()))) {
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
    Map<String, Object> other = Secrets.perturbed(vars, secretNames, redactor.values());
    if (!nothingToLearn(vars, other, java.util.stream.Stream.of(template))) {
      learn(template, vars, other);
    }
  }

  /**
   * Whether a second render cannot find a derived secret: no secret among the host's own vars, and
   * neither the templates nor a var's text names {@code hostvars} (through which another host's
   * secrets are read, {@link Secrets#perturbed}). Every host's vars hold {@code hostvars}, so
   * without the second condition every step would be rendered twice.
   */
  private static boolean nothingToLearn(
      Map<String, Object> vars,
      Map<String, Object> other,
      java.util.stream.Stream<String> templates) {
    boolean ownSecret = false;
    for (Map.Entry<String, Object> e : vars.entrySet()) {
      if (!(e.getValue() instanceof dev.orchestrator.common.SharedVars)
          && !java.util.Objects.equals(e.getValue(), other.get(e.getKey()))) {
        ownSecret = true;
        break;
      }
    }
    if (ownSecret) {
      return false;
    }
    return templates.noneMatch(t -> t.contains("hostvars"))
        && vars.values().stream().noneMatch(DerivedSecrets::namesHostvars);
  }

  /** Whether a var's text (in nested lists and maps too) names {@code hostvars}. */
  private static boolean namesHostvars(Object value) {
    if (value instanceof String text) {
      return text.contains("hostvars");
    }
    if (value instanceof dev.orchestrator.common.SharedVars) {
      return false; // hostvars itself: its hosts' vars are looked at when a template reads them
    }
    try {
      if (value instanceof Map<?, ?> map) {
        return map.values().stream().anyMatch(DerivedSecrets::namesHostvars);
      }
      if (value instanceof java.util.Collection<?> list) {
        return list.stream().anyMatch(DerivedSecrets::namesHostvars);
      }
    } catch (RuntimeException e) {
      return false; // a value known at run time only (its shape): it has no text yet
    }
    return false; // numbers, booleans
  }

  private void learn(String template, Map<String, Object> vars, Map<String, Object> other) {
    Optional<List<String>> o;
    try {
      o = Optional.of(List.of(templates.render(template, other)));
    } catch (TemplateException | IllegalArgumentException e) {
      o = Optional.empty();
    }
    try {
      redactor.addAll(
          Secrets.derivedParts(templates.render(template, vars), o.map(texts -> texts.get(0))));
    } catch (TemplateException | IllegalArgumentException e) {
      // reported by the step itself
    }
  }

  /**
   * Masks what the arguments of a module call derive from the secrets of {@code vars}: {@code
   * debug}'s {@code msg} and {@code var}, {@code fail}'s {@code msg}, {@code assert}'s messages,
   * {@code set_fact}'s values (which, equal to a masked value, are secrets themselves from then on:
   * {@link Secrets#perturbed(Map, Set, Set)}), at any depth of the arguments.
   */
  void learn(dev.orchestrator.playbook.ModuleCall call, Map<String, Object> vars) {
    call.args()
        .forEach(
            (name, value) -> {
              if (call.name().equals("debug") && name.equals("var")) {
                learnTemplates("{{ " + value + " }}", vars);
              } else if (!(call.name().equals("assert") && name.equals("that"))) {
                learnTemplates(value, vars);
              }
            });
  }

  private void learnTemplates(Object value, Map<String, Object> vars) {
    if (value instanceof String template && (template.contains("{{") || template.contains("{%"))) {
      learn(template, vars);
    } else if (value instanceof Map<?, ?> map) {
      map.values().forEach(v -> learnTemplates(v, vars));
    } else if (value instanceof java.util.Collection<?> list) {
      list.forEach(v -> learnTemplates(v, vars));
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
