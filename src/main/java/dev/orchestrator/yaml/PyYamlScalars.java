package dev.orchestrator.yaml;

import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;

/**
 * YAML 1.1 scalar typing as PyYAML (the YAML library Ansible uses) does it: the implicit resolvers
 * of its {@code resolver.py}, which tag a plain scalar by regular expressions, and the constructors
 * of its {@code constructor.py} ({@code SafeConstructor}), which turn the tagged text into a value.
 * Written from PyYAML 6.0's rules and checked against {@code ansible-inventory} (ansible-core
 * 2.14); no code is copied.
 *
 * <p>Values are given as the project's plain Java values: {@code Boolean}, {@code Long} (a {@code
 * BigInteger} beyond it: Python integers have no limit), {@code Double}, {@code null}, and, for a
 * timestamp, the text Python's {@code isoformat()} gives it (what {@code ansible-inventory --list}
 * prints).
 */
final class PyYamlScalars implements ScalarResolver {
  /** YAML 1.1's timestamp tag. */
  static final Tag TIMESTAMP = new Tag(Tag.PREFIX + "timestamp");

  /** YAML 1.1's merge key {@code <<}. */
  static final Tag MERGE = new Tag(Tag.PREFIX + "merge");

  /** YAML 1.1's value key {@code =}, which PyYAML's safe loader has no constructor for. */
  static final Tag VALUE = new Tag(Tag.PREFIX + "value");

  private static final Pattern BOOL =
      Pattern.compile("yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF");

  private static final Pattern FLOAT =
      Pattern.compile(
          "[-+]?[0-9][0-9_]*\\.[0-9_]*(?:[eE][-+][0-9]+)?"
              + "|\\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
              + "|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*"
              + "|[-+]?\\.(?:inf|Inf|INF)"
              + "|\\.(?:nan|NaN|NAN)");

  private static final Pattern INT =
      Pattern.compile(
          "[-+]?0b[0-1_]+"
              + "|[-+]?0[0-7_]+"
              + "|[-+]?(?:0|[1-9][0-9_]*)"
              + "|[-+]?0x[0-9a-fA-F_]+"
              + "|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+");

  private static final Pattern NULL = Pattern.compile("~|null|Null|NULL|");

  /** What the resolver takes for a timestamp (a date needs two-digit months and days). */
  private static final Pattern TIMESTAMP_RESOLVED =
      Pattern.compile(
          "[0-9]{4}-[0-9]{2}-[0-9]{2}"
              + "|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \\t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}"
              + "(?:\\.[0-9]*)?(?:[ \\t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?");

  /** How the constructor splits a timestamp into its fields. */
  private static final Pattern TIMESTAMP_FIELDS =
      Pattern.compile(
          "(?<year>[0-9]{4})-(?<month>[0-9]{1,2})-(?<day>[0-9]{1,2})"
              + "(?:(?:[Tt]|[ \\t]+)(?<hour>[0-9]{1,2}):(?<minute>[0-9]{2}):(?<second>[0-9]{2})"
              + "(?:\\.(?<fraction>[0-9]*))?"
              + "(?:[ \\t]*(?<tz>Z|(?<sign>[-+])(?<tzh>[0-9]{1,2})(?::(?<tzm>[0-9]{2}))?))?)?");

  private static final Map<String, Boolean> BOOLS =
      Map.of("yes", true, "no", false, "true", true, "false", false, "on", true, "off", false);

  /**
   * Tags a scalar: quoted ones ({@code implicit} false) are strings, plain ones by PyYAML's rules.
   */
  @Override
  public Tag resolve(String value, Boolean implicit) {
    if (!implicit) {
      return Tag.STR;
    }
    if (BOOL.matcher(value).matches()) {
      return Tag.BOOL;
    }
    if (FLOAT.matcher(value).matches()) {
      return Tag.FLOAT;
    }
    if (INT.matcher(value).matches()) {
      return Tag.INT;
    }
    if (value.equals("<<")) {
      return MERGE;
    }
    if (NULL.matcher(value).matches()) {
      return Tag.NULL;
    }
    if (TIMESTAMP_RESOLVED.matcher(value).matches()) {
      return TIMESTAMP;
    }
    if (value.equals("=")) {
      return VALUE;
    }
    return Tag.STR;
  }

  /**
   * Builds the value of a scalar with one of YAML 1.1's tags, as PyYAML's safe constructor does.
   *
   * @param tag the scalar's tag (resolved or explicit, e.g. {@code !!int})
   * @param text the scalar's text
   * @return the value; the text itself for tags other than bool, int, float, null and timestamp
   * @throws IllegalArgumentException with the reason, where PyYAML (and so Ansible) refuses the
   *     scalar: {@code =}, an invalid date, {@code !!bool maybe}, {@code 0b_}
   */
  static Object construct(Tag tag, String text) {
    if (Tag.NULL.equals(tag)) {
      return null;
    }
    if (Tag.BOOL.equals(tag)) {
      Boolean b = BOOLS.get(text.toLowerCase(Locale.ROOT));
      if (b == null) {
        throw new IllegalArgumentException("'" + text + "' is not a YAML 1.1 boolean");
      }
      return b;
    }
    if (Tag.INT.equals(tag)) {
      return integer(text);
    }
    if (Tag.FLOAT.equals(tag)) {
      return floating(text);
    }
    if (TIMESTAMP.equals(tag)) {
      return timestamp(text);
    }
    if (VALUE.equals(tag)) {
      throw new IllegalArgumentException(
          "a plain '=' is YAML 1.1's value key, which Ansible (PyYAML) refuses to load");
    }
    return text;
  }

  /** Returns whether {@link #construct} gives a boolean, number or null for this tag. */
  static boolean typed(Tag tag) {
    return Tag.NULL.equals(tag)
        || Tag.BOOL.equals(tag)
        || Tag.INT.equals(tag)
        || Tag.FLOAT.equals(tag);
  }

  private static Number integer(String text) {
    String v = text.replace("_", "");
    if (v.isEmpty()) {
      throw new IllegalArgumentException("'" + text + "' is not an integer");
    }
    boolean negative = v.charAt(0) == '-';
    if (v.charAt(0) == '-' || v.charAt(0) == '+') {
      v = v.substring(1);
    }
    BigInteger n;
    try {
      if (v.equals("0")) {
        n = BigInteger.ZERO;
      } else if (v.startsWith("0b")) {
        n = new BigInteger(v.substring(2), 2);
      } else if (v.startsWith("0x")) {
        n = new BigInteger(v.substring(2), 16);
      } else if (v.startsWith("0")) {
        n = new BigInteger(v, 8);
      } else if (v.indexOf(':') >= 0) {
        n = BigInteger.ZERO;
        for (String part : v.split(":", -1)) {
          n = n.multiply(BigInteger.valueOf(60)).add(new BigInteger(part));
        }
      } else {
        n = new BigInteger(v);
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not an integer");
    }
    n = negative ? n.negate() : n;
    return n.bitLength() < 64 ? (Number) n.longValue() : n;
  }

  private static double floating(String text) {
    String v = text.replace("_", "").toLowerCase(Locale.ROOT);
    if (v.isEmpty()) {
      throw new IllegalArgumentException("'" + text + "' is not a number");
    }
    double sign = v.charAt(0) == '-' ? -1 : 1;
    if (v.charAt(0) == '-' || v.charAt(0) == '+') {
      v = v.substring(1);
    }
    try {
      if (v.equals(".inf")) {
        return sign * Double.POSITIVE_INFINITY;
      }
      if (v.equals(".nan")) {
        return Double.NaN;
      }
      if (v.indexOf(':') >= 0) {
        // in PyYAML's order: the last part first, each added times its power of 60
        String[] parts = v.split(":", -1);
        double d = 0;
        double base = 1;
        for (int i = parts.length - 1; i >= 0; i--) {
          d += pythonFloat(parts[i]) * base;
          base *= 60;
        }
        return sign * d;
      }
      return sign * pythonFloat(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not a number");
    }
  }

  /** Python's {@code float()} of the digit forms the resolver lets through. */
  private static double pythonFloat(String digits) {
    if (digits.isEmpty() || !digits.matches("[0-9]*\\.?[0-9]*(?:e[-+]?[0-9]+)?")) {
      throw new NumberFormatException(digits);
    }
    return Double.parseDouble(digits);
  }

  /**
   * A timestamp as Python's {@code date.isoformat()} or {@code datetime.isoformat()} writes it,
   * e.g. {@code 2001-12-14 21:59:43.10 -5} becomes {@code 2001-12-14T21:59:43.100000-05:00}.
   */
  private static String timestamp(String text) {
    Matcher m = TIMESTAMP_FIELDS.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a timestamp");
    }
    try {
      int year = Integer.parseInt(m.group("year"));
      int month = Integer.parseInt(m.group("month"));
      int day = Integer.parseInt(m.group("day"));
      if (year < 1) {
        throw new DateTimeException("year 0 is out of range");
      }
      if (m.group("hour") == null) {
        return LocalDate.of(year, month, day).toString();
      }
      String fraction = m.group("fraction") == null ? "" : m.group("fraction");
      fraction = (fraction + "000000").substring(0, 6);
      int micros = Integer.parseInt(fraction);
      LocalDateTime t =
          LocalDateTime.of(
              year,
              month,
              day,
              Integer.parseInt(m.group("hour")),
              Integer.parseInt(m.group("minute")),
              Integer.parseInt(m.group("second")),
              micros * 1000);
      StringBuilder out =
          new StringBuilder(
              String.format(
                  Locale.ROOT,
                  "%04d-%02d-%02dT%02d:%02d:%02d",
                  t.getYear(),
                  t.getMonthValue(),
                  t.getDayOfMonth(),
                  t.getHour(),
                  t.getMinute(),
                  t.getSecond()));
      if (micros != 0) {
        out.append(String.format(Locale.ROOT, ".%06d", micros));
      }
      if (m.group("tz") != null) {
        int minutes = 0;
        if (m.group("sign") != null) {
          minutes =
              Integer.parseInt(m.group("tzh")) * 60
                  + (m.group("tzm") == null ? 0 : Integer.parseInt(m.group("tzm")));
          if (minutes >= 24 * 60) {
            throw new DateTimeException("offset " + m.group("tz") + " is a day or more");
          }
          minutes = m.group("sign").equals("-") ? -minutes : minutes;
        }
        out.append(
            String.format(
                Locale.ROOT,
                "%s%02d:%02d",
                minutes < 0 ? "-" : "+",
                Math.abs(minutes) / 60,
                Math.abs(minutes) % 60));
      }
      return out.toString();
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          "'" + text + "' looks like a timestamp but is not a valid one (" + e.getMessage() + ")");
    }
  }
}
