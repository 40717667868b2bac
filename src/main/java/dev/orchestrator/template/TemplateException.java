package dev.orchestrator.template;

import java.util.Optional;

/**
 * A template could not be rendered: an undefined variable, or a syntax error. The caller adds where
 * the template came from (step, file) before showing it to the user.
 */
public final class TemplateException extends RuntimeException {
  private final String undefinedVariable;
  private final String hint;

  TemplateException(String message, String undefinedVariable) {
    this(message, undefinedVariable, null);
  }

  TemplateException(String message, String undefinedVariable, String hint) {
    super(message);
    this.undefinedVariable = undefinedVariable;
    this.hint = hint;
  }

  /** Returns what to do about it, when the engine knows better than "fix the syntax". */
  public Optional<String> hint() {
    return Optional.ofNullable(hint);
  }

  /** Returns the undefined variable (e.g. {@code result.stdout}), if that was the problem. */
  public Optional<String> undefinedVariable() {
    return Optional.ofNullable(undefinedVariable);
  }

  /** Returns the root name of the undefined variable ({@code result} for {@code result.rc}). */
  public Optional<String> undefinedRoot() {
    return undefinedVariable().map(v -> v.split("[.\\[]", 2)[0]);
  }
}
