package dev.orchestrator.common;

/**
 * User-supplied text as an error message may echo it: quoted, control characters shown escaped (so
 * a value cannot move a terminal's cursor or forge a line), and at most {@link #MAX} characters of
 * it, the rest elided with its length said. A 5,000-character run id is named by its start, not
 * repeated in full.
 */
public final class Echo {
  /** The most characters of a value an error repeats; a run id (at most 128) fits whole. */
  public static final int MAX = 160;

  /** How many characters of a longer value are kept. */
  static final int KEPT = 60;

  private Echo() {}

  /**
   * Returns the value quoted ({@code 'value'}), bounded and escaped, for an error message.
   *
   * @param value what the user gave; {@code null} is shown as {@code null}
   */
  public static String quote(String value) {
    return value == null ? "null" : "'" + bounded(value) + "'";
  }

  /**
   * Returns the value bounded and escaped, unquoted: whole up to {@link #MAX} characters, else its
   * first {@link #KEPT} and {@code ... (N characters)}.
   *
   * @param value what the user gave, not null
   */
  public static String bounded(String value) {
    String shown =
        value.length() <= MAX
            ? value
            : value.substring(
                    0, Character.isHighSurrogate(value.charAt(KEPT - 1)) ? KEPT - 1 : KEPT)
                + "... ("
                + value.length()
                + " characters)";
    return escaped(shown);
  }

  /**
   * Returns the value with every control, format and line-separator character shown as a backslash,
   * {@code u} and four hex digits, unbounded: for a host's output in a message that bounds it
   * itself (a failed step's last line), so that it cannot move a terminal's cursor or forge a line.
   *
   * @param value the text, not null
   */
  public static String escaped(String value) {
    return escaped(value, false);
  }

  /**
   * Returns several lines of text (a host's output in a step log) escaped as {@link #escaped} does,
   * except its line feeds and tabs, kept: the lines stay lines, and no escape sequence, carriage
   * return or bidirectional override reaches the terminal.
   *
   * @param text the text, not null
   */
  public static String escapedLines(String text) {
    return escaped(text, true);
  }

  private static String escaped(String value, boolean lines) {
    StringBuilder out = new StringBuilder(value.length());
    value
        .codePoints()
        .forEach(
            c -> {
              if (lines && (c == '\n' || c == '\t')) {
                out.append((char) c);
              } else if (Character.isISOControl(c)
                  || Character.getType(c) == Character.FORMAT
                  || c == 0x2028
                  || c == 0x2029) {
                out.append(String.format("\\u%04x", c));
              } else {
                out.appendCodePoint(c);
              }
            });
    return out.toString();
  }
}
