package dev.orchestrator.common;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the durations users write in playbooks: {@code 30}, {@code 30s}, {@code 10m}, {@code 2h}.
 * A duration is at most {@link #MAX} (30 days), so that no arithmetic on it (deadlines, {@code
 * toMillis}) can overflow once a run has started.
 */
public final class Durations {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

  /** The longest duration accepted: 30 days, beyond any step, gate or soak time. */
  public static final Duration MAX = Duration.ofDays(30);

  private Durations() {}

  /**
   * Parses a duration; a bare number means seconds.
   *
   * @param text the duration text
   * @return the duration, from zero to {@link #MAX}
   * @throws IllegalArgumentException if the text is not a duration or is longer than {@link #MAX}
   */
  public static Duration parse(String text) {
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration; write e.g. 30, 30s, 10m or 2h");
    }
    String unit = m.group(2) == null ? "s" : m.group(2);
    java.math.BigInteger n = new java.math.BigInteger(m.group(1));
    java.math.BigInteger perUnit =
        java.math.BigInteger.valueOf(
            switch (unit) {
              case "ms" -> 1L;
              case "s" -> 1_000L;
              case "m" -> 60_000L;
              default -> 3_600_000L;
            });
    java.math.BigInteger millis = n.multiply(perUnit);
    if (millis.compareTo(java.math.BigInteger.valueOf(MAX.toMillis())) > 0) {
      throw new IllegalArgumentException(
          "'" + text.trim() + "' is longer than the maximum of 30 days (720h)");
    }
    return Duration.ofMillis(millis.longValueExact());
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
