package dev.orchestrator.common;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the durations users write in playbooks: {@code 30}, {@code 30s}, {@code 10m}, {@code 2h}.
 */
public final class Durations {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

  private Durations() {}

  /**
   * Parses a duration; a bare number means seconds.
   *
   * @param text the duration text
   * @return the duration
   * @throws IllegalArgumentException if the text is not a duration
   */
  public static Duration parse(String text) {
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration; write e.g. 30, 30s, 10m or 2h");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  /** Formats a duration for humans, e.g. {@code 1.2s}, {@code 3m05s}. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms < 60_000) {
      return String.format("%.1fs", ms / 1000.0);
    }
    long s = ms / 1000;
    return String.format("%dm%02ds", s / 60, s % 60);
  }
}
