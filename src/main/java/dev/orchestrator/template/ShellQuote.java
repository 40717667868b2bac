package dev.orchestrator.template;

import java.util.regex.Pattern;

/** POSIX shell quoting: the result is one word for {@code /bin/sh}, whatever the input. */
public final class ShellQuote {
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

  private ShellQuote() {}

  /**
   * Quotes a value for {@code /bin/sh}: safe words stay as they are, anything else is wrapped in
   * single quotes with embedded single quotes written as {@code '\''}.
   */
  public static String quote(String value) {
    if (!value.isEmpty() && SAFE.matcher(value).matches()) {
      return value;
    }
    return "'" + value.replace("'", "'\\''") + "'";
  }
}
