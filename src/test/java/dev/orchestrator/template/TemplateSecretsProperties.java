package dev.orchestrator.template;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * No template error shows a secret: whatever the secret's value and however the template fails, the
 * message, the variable it names and the hint are free of the value and of its upper-cased form
 * (issue 22).
 */
class TemplateSecretsProperties {
  /** Templates that fail because of, or with, a secret's value. */
  private static final List<String> FORMS =
      List.of(
          "{{ SECRET * 2 }}",
          "{{ {'a': SECRET}[SECRET] }}",
          "{{ SECRET | truncate(SECRET) }}",
          "{{ (SECRET | upper) * 2 }}",
          "{{ box[SECRET] }}",
          "{{ box[SECRET | upper] }}",
          "{{ SECRET | int + nope }}",
          "{{ range(SECRET) | list }}",
          "{{ SECRET.nope }}",
          "{{ SECRET | version_compare(none) }}",
          "{% for x in SECRET %}{{ x * 2 }}{% endfor %}",
          "{{ SECRET ~ nope }}");

  private final TemplateEngine engine = new TemplateEngine(Set.of("apikey"));

  @Provide
  Arbitrary<String> secrets() {
    return Arbitraries.strings()
        .withCharRange('a', 'z')
        .withCharRange('A', 'Z')
        .withCharRange('0', '9')
        .withChars("-_.:/+=!@#%^&()[]{}<>,;?~ ")
        .ofMinLength(4)
        .ofMaxLength(24);
  }

  @Property(tries = 300)
  void noTemplateErrorShowsASecret(
      @ForAll("secrets") String secret,
      @ForAll("names") String name,
      @ForAll("forms") String form) {
    // given a secret variable (by its name, or declared secret) and a template that uses it
    Map<String, Object> vars = Map.of(name, secret, "box", Map.of("k", "v"));
    String template = form.replace("SECRET", name);

    // when the template is rendered, as a shell command and as a condition
    List<Consumer<String>> uses =
        List.of(
            t -> engine.render(t, vars),
            t -> engine.renderShell("echo " + t, vars),
            t -> engine.evaluate(t, vars));
    for (Consumer<String> use : uses) {
      try {
        use.accept(template);
        Statistics.label("outcome").collect("rendered");
      } catch (TemplateException e) {
        Statistics.label("outcome").collect("failed");
        // then no part of the error holds the secret or its upper-cased form
        for (String text :
            List.of(e.getMessage(), e.undefinedVariable().orElse(""), e.hint().orElse(""))) {
          assert !text.contains(secret) : template + " with " + secret + ": " + text;
          String upper = secret.toUpperCase(Locale.ROOT);
          assert upper.equals(secret) || !text.contains(upper)
              : template + " with " + secret + ": " + text;
        }
      }
    }
  }

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.of("db_password", "apikey");
  }

  @Provide
  Arbitrary<String> forms() {
    return Arbitraries.of(FORMS);
  }
}
