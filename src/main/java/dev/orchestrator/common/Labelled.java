package dev.orchestrator.common;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A state whose external spelling (in JSON files, events and messages) is a fixed text, its {@link
 * #label()}: e.g. {@code rolled-back} or {@code in doubt}. The states of the engine are enums
 * implementing this; the text appears only in the enum, so code compares states, never strings.
 */
public interface Labelled {
  /** The external spelling, as written to JSON and shown to people; never changes meaning. */
  String label();

  /**
   * Finds the constant of {@code type} spelled {@code text}: its {@link #label()}, or its Java name
   * in any case (so {@code ROLLED_BACK}, {@code rolled_back} and {@code rolled-back} are one
   * state).
   *
   * @param type the enum
   * @param text the spelling, may be null
   * @return the constant, or empty when {@code text} names none (e.g. a state of a newer version)
   */
  static <E extends Enum<E> & Labelled> Optional<E> find(Class<E> type, String text) {
    if (text == null) {
      return Optional.empty();
    }
    for (E e : type.getEnumConstants()) {
      if (e.label().equals(text) || e.name().equalsIgnoreCase(text.replace('-', '_'))) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  /**
   * Like {@link #find}, for input that must name a constant.
   *
   * @throws IllegalArgumentException naming the text and the accepted spellings (Jackson reports it
   *     as an unreadable value)
   */
  static <E extends Enum<E> & Labelled> E parse(Class<E> type, String text) {
    return find(type, text)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "'"
                        + text
                        + "' is not a "
                        + type.getSimpleName()
                        + "; expected one of "
                        + Arrays.stream(type.getEnumConstants())
                            .map(Labelled::label)
                            .collect(Collectors.joining(", "))));
  }

  /** The lower-case Java name: the label of most states. */
  static String lowerCase(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }
}
