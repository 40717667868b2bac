package dev.orchestrator.template;

import dev.orchestrator.common.Secrets;
import java.util.Map;

/**
 * Tells whether a rendered text derives from a secret var, for a text that would otherwise be shown
 * or kept (a loop item's label, which becomes a checkpoint id, a log file's name and a line of the
 * console; a name in an error message): rendered again with every secret value changed ({@link
 * Secrets#perturbed}) it differs, however the secret was transformed ({@code upper}, a substring).
 * Secrets are those of the engine: secret-looking names at any depth, and the names it was given.
 */
public final class SecretDerivation {
  private SecretDerivation() {}

  /**
   * Returns whether {@code vars} hold a secret ({@link Secrets#values(Map, java.util.Set)}).
   *
   * @param engine whose declared secret names count too
   */
  public static boolean anySecret(TemplateEngine engine, Map<String, ?> vars) {
    return Secrets.anySecret(vars.keySet(), engine.secretNames)
        || !Secrets.values(vars, engine.secretNames).isEmpty();
  }

  /**
   * Returns {@code vars} with every secret value changed ({@link Secrets#perturbed}).
   *
   * @param engine whose declared secret names count too
   */
  public static Map<String, Object> perturbed(TemplateEngine engine, Map<String, ?> vars) {
    return Secrets.perturbed(vars, engine.secretNames);
  }

  /**
   * Returns whether the text {@code template} rendered to with {@code vars} derives from a secret:
   * rendered with {@link #perturbed} vars it differs, or fails.
   *
   * @param rendered what {@code template} rendered to with {@code vars}
   */
  public static boolean derives(
      TemplateEngine engine, String template, Map<String, Object> vars, String rendered) {
    if (!anySecret(engine, vars)) {
      return false;
    }
    try {
      return !engine.render(template, perturbed(engine, vars)).strip().equals(rendered.strip());
    } catch (RuntimeException e) {
      return true;
    }
  }
}
