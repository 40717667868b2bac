package dev.orchestrator.template;

import dev.orchestrator.common.Secrets;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * A template could not be rendered: an undefined variable, a syntax error, or a value that would
 * become shell code where it stands. The caller adds where the template came from (step, file)
 * before showing it to the user.
 */
public final class TemplateException extends RuntimeException {
  private final String undefinedVariable;
  private final String hint;
  private final boolean knownAtRunTime;

  TemplateException(String message, String undefinedVariable) {
    this(message, undefinedVariable, null);
  }

  TemplateException(String message, String undefinedVariable, String hint) {
    this(message, undefinedVariable, hint, false);
  }

  TemplateException(String message, String undefinedVariable, String hint, boolean knownAtRunTime) {
    super(message);
    this.undefinedVariable = undefinedVariable;
    this.hint = hint;
    this.knownAtRunTime = knownAtRunTime;
  }

  /**
   * Returns whether the template used a value that only the run knows (a field of a result that a
   * step registers, {@link RegisteredResult#unknown}): not an error, the template is decided at run
   * time.
   */
  public boolean knownAtRunTime() {
    return knownAtRunTime;
  }

  /** Returns what to do about it, when the problem has a specific remedy. */
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

  /** A word of an error message: what lies between spaces, quotes and punctuation. */
  private static final java.util.regex.Pattern WORD =
      java.util.regex.Pattern.compile("[^\\s'\"=;|&()<>`$,\\[\\]{}]+");

  /**
   * Returns this error with no secret in it: {@code secrets} masked in its message, variable and
   * hint, and every word masked that differs from the same word of {@code other}, the same error
   * raised with every secret changed ({@link Secrets#perturbed}), so that a secret transformed
   * ({@code upper}, a substring, a product) is masked too. When {@code other} is empty (the secret
   * decided whether it fails) or differs in shape, the message says only that the expression fails
   * in a way that depends on a secret value.
   */
  TemplateException masked(Collection<String> secrets, Optional<TemplateException> other) {
    List<String> mine = fields();
    List<String> out = new java.util.ArrayList<>();
    for (int f = 0; f < mine.size(); f++) {
      int i = f;
      String text = mine.get(i);
      String theirs = other.map(o -> o.fields().get(i)).orElse(null);
      if (text == null && theirs == null && other.isPresent()) {
        out.add(null);
        continue;
      }
      Optional<String> kept = sameWords(text, theirs);
      if (kept.isEmpty()) {
        return new TemplateException(
            "the expression fails in a way that depends on a secret value (not shown)",
            null,
            "check the expressions that use secret variables; secrets are never shown");
      }
      out.add(Secrets.redact(kept.get(), secrets));
    }
    return new TemplateException(out.get(0), out.get(1), out.get(2), knownAtRunTime);
  }

  /**
   * Returns {@code mine} with each word that differs from {@code theirs}'s word at the same place
   * masked; empty when they do not have as many words or one is null.
   */
  private static Optional<String> sameWords(String mine, String theirs) {
    if (mine == null || theirs == null) {
      return Optional.empty();
    }
    java.util.regex.Matcher a = WORD.matcher(mine);
    java.util.regex.Matcher b = WORD.matcher(theirs);
    StringBuilder out = new StringBuilder();
    int from = 0;
    while (a.find()) {
      if (!b.find()) {
        return Optional.empty();
      }
      out.append(mine, from, a.start());
      out.append(a.group().equals(b.group()) ? a.group() : Secrets.MASK);
      from = a.end();
    }
    if (b.find()) {
      return Optional.empty();
    }
    return Optional.of(out.append(mine.substring(from)).toString());
  }

  /** The longest message shown: a value pasted into it (Jinjava's do) is cut. */
  static final int MAX_MESSAGE = 500;

  /**
   * Returns this error with a message of at most {@link #MAX_MESSAGE} characters and the number of
   * those left out (call it after {@link #masked}: a cut could split a secret).
   */
  TemplateException shortened() {
    String message = getMessage();
    if (message == null || message.length() <= MAX_MESSAGE) {
      return this;
    }
    return new TemplateException(
        message.substring(0, MAX_MESSAGE)
            + "... ("
            + (message.length() - MAX_MESSAGE)
            + " more characters)",
        undefinedVariable,
        hint,
        knownAtRunTime);
  }

  private List<String> fields() {
    return java.util.Arrays.asList(getMessage(), undefinedVariable, hint);
  }
}
