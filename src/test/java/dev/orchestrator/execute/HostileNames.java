package dev.orchestrator.execute;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * Names for the system modules' properties ({@link ServiceNameProperties}, {@link
 * GroupNameProperties}): shell code that would create a {@code PWNED} file if it ran, any text, and
 * the two mixed.
 */
final class HostileNames {
  private HostileNames() {}

  /** Hostile, arbitrary and mixed names. */
  static Arbitrary<String> names() {
    Arbitrary<String> hostile =
        Arbitraries.of(
            "$(touch PWNED)",
            "`touch PWNED`",
            ";touch PWNED",
            "';touch PWNED;'",
            "\";touch PWNED;\"",
            "x && touch PWNED #",
            "x\ntouch PWNED",
            "'\"$(touch PWNED)\"';touch PWNED",
            "%s%n\\ $IFS *");
    Arbitrary<String> any =
        Arbitraries.strings()
            .withCharRange('\u0001', '\u007f')
            .withCharRange('\u00a0', '\ud7ff')
            .ofMinLength(1)
            .ofMaxLength(30);
    return Arbitraries.oneOf(hostile, any, hostile.flatMap(h -> any.map(a -> "a" + a + h)));
  }
}
