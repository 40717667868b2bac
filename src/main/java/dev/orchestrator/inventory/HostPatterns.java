package dev.orchestrator.inventory;

import dev.orchestrator.common.InputException;
import dev.orchestrator.common.SourceLocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The host patterns of an inventory (an INI host line's first word, a YAML {@code hosts:} key): a
 * name with an optional {@code :port} and host ranges, expanded as Ansible 2.14 expands them
 * ({@code _expand_hostpattern} in {@code lib/ansible/plugins/inventory/__init__.py}, with {@code
 * parse_address} of {@code lib/ansible/parsing/utils/addresses.py} and {@code
 * expand_hostname_range}). The rules, as Ansible applies them:
 *
 * <ul>
 *   <li>A port: {@code web1:2222}, {@code [2001:db8::1]:2222}, {@code web[1:3]:2222}. It is taken
 *       off only when what is left is a valid host name, IPv4 or IPv6 address (ranges allowed);
 *       otherwise the whole text, colon included, is the pattern. A bare IPv6 address ({@code
 *       fe80::1}) has no port.
 *   <li>A range {@code [begin:end]} or {@code [begin:end:step]}, anywhere in the name, several in
 *       one name: numbers ({@code [1:20]}, {@code [01:20]} zero-padded to the begin's width, which
 *       the end must share), an empty begin meaning 0 ({@code [:5]}), or letters of {@code a-zA-Z}
 *       in that order ({@code [a:f]}, {@code [x:B]}). A step is Python's: a numeric range with a
 *       negative step counts down and stops before {@code end + 1} ({@code [5:1:-1]} is 5, 4, 3); a
 *       numeric range whose end is before its begin (step positive), or an alphabetic one with a
 *       negative step, is empty: Ansible adds no host (a warning here).
 *   <li>Anything else in brackets is an error: Ansible fails to parse the whole file (and, as a
 *       source it cannot parse, skips it with a warning); here it is an error naming the line.
 * </ul>
 */
final class HostPatterns {
  private HostPatterns() {}

  /** The most hosts one pattern may expand to through ranges. */
  static final int MAX_HOSTS = 100_000;

  /** Ansible's letters for alphabetic ranges: Python's {@code string.ascii_letters}. */
  private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

  /** A whole bracketed address followed by a port: {@code [2001:db8::1]:2222}. */
  private static final Pattern BRACKETED_PORT = Pattern.compile("\\[(.+)\\]:([0-9]+)");

  /** Anything without a bare colon (bracketed parts may hold colons), then a port. */
  private static final Pattern TRAILING_PORT =
      Pattern.compile("((?:[^:\\[\\]]|\\[[^\\]]*\\])*):([0-9]+)");

  private static final String NAME_RANGE = "\\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?\\]";

  /** A name label: a word character or a range, then those or '-', not ending in '-' or '_'. */
  private static final String LABEL =
      "(?:\\w|" + NAME_RANGE + ")(?:[\\w-]|" + NAME_RANGE + ")*(?<![_-])";

  private static final Pattern HOST_NAME =
      Pattern.compile(
          LABEL + "(?:\\." + LABEL + ")*",
          Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS);

  /** One group of an IPv6 address: up to four hex digits, or a hex range. */
  private static final String GROUP6 = "(?:[0-9a-f]{1,4}|\\[[0-9a-f]+:[0-9a-f]+(?::[0-9]+)?\\])";

  private static final Pattern GROUP6_PATTERN = Pattern.compile(GROUP6, Pattern.CASE_INSENSITIVE);

  private static final String GROUPS6 = "(" + GROUP6 + "(?::" + GROUP6 + ")*)";

  private static final Pattern FULL6 =
      Pattern.compile("(?:" + GROUP6 + ":){7}" + GROUP6, Pattern.CASE_INSENSITIVE);

  private static final Pattern COMPRESSED6 =
      Pattern.compile(GROUPS6 + "?::" + GROUPS6 + "?", Pattern.CASE_INSENSITIVE);

  private static final String DOTTED = "(?:" + GROUP6 + "\\.){3}" + GROUP6;

  private static final Pattern EMBEDDED4 =
      Pattern.compile(
          "(?:(?:0:){6}|::(?:ffff:)?|(?:0:){5}ffff:)" + DOTTED, Pattern.CASE_INSENSITIVE);

  private static final Pattern PYTHON_INT =
      Pattern.compile("[+-]?\\d+(?:_\\d+)*", Pattern.UNICODE_CHARACTER_CLASS);

  /**
   * A host pattern expanded.
   *
   * @param hosts the host names, in Ansible's order; empty when a range is empty
   * @param port the port the pattern gives every one of them ({@code ansible_port}), if any
   */
  record Expanded(List<String> hosts, Optional<Long> port) {
    /** Validates and copies the fields. */
    Expanded {
      hosts = List.copyOf(hosts);
      Objects.requireNonNull(port, "port");
    }
  }

  /**
   * Expands a host pattern.
   *
   * @param pattern the pattern as written
   * @param at where it is written, for errors and warnings
   * @param warnings receives a warning when the pattern expands to no host
   * @return the hosts and the port
   * @throws InputException at {@code at} for a range Ansible cannot expand (its message quoted), a
   *     port beyond 18 digits, or more than {@link #MAX_HOSTS} hosts
   */
  static Expanded expand(String pattern, SourceLocation at, Consumer<InventoryWarning> warnings) {
    String name = pattern;
    Optional<Long> port = Optional.empty();
    String[] address = address(pattern);
    if (address != null) {
      name = address[0];
      if (address[1] != null) {
        if (address[1].length() > 18) {
          throw new InputException(
              at,
              "the port of the host pattern '" + pattern + "' is too large",
              "a port is a number from 1 to 65535");
        }
        port = Optional.of(Long.parseLong(address[1]));
      }
    }
    if (name.indexOf('[') < 0) {
      return new Expanded(List.of(name), port);
    }
    List<String> hosts = new ArrayList<>();
    expandRanges(name, pattern, at, hosts);
    if (hosts.isEmpty()) {
      warnings.accept(
          new InventoryWarning(
              at,
              "the host pattern '"
                  + pattern
                  + "' expands to no host (its range's end is before its begin, or its step goes"
                  + " the other way): Ansible adds no host for it either"));
    }
    return new Expanded(hosts, port);
  }

  /**
   * Ansible's {@code parse_address}: the address and the port's digits (or null), or null when the
   * text, its port taken off, is not a host name, IPv4 or IPv6 address.
   */
  static String[] address(String text) {
    String address = text;
    String port = null;
    Matcher bracketed = BRACKETED_PORT.matcher(address);
    if (bracketed.matches()) {
      address = bracketed.group(1);
      port = bracketed.group(2);
    }
    Matcher trailing = TRAILING_PORT.matcher(address);
    if (trailing.matches()) {
      address = trailing.group(1);
      port = trailing.group(2);
    }
    if (HOST_NAME.matcher(address).matches() || isIpv6(address)) {
      return new String[] {address, port};
    }
    return null;
  }

  /**
   * Whether Ansible's {@code ipv6} pattern accepts the text: eight groups, or fewer around one
   * {@code ::} (at most six on either side, seven in all), or an IPv4 address embedded in the forms
   * {@code ::a.b.c.d}, {@code ::ffff:a.b.c.d}, {@code 0:0:0:0:0:0:a.b.c.d}, {@code
   * 0:0:0:0:0:ffff:a.b.c.d}; any group may be a hex range.
   */
  static boolean isIpv6(String text) {
    if (FULL6.matcher(text).matches() || EMBEDDED4.matcher(text).matches()) {
      return true;
    }
    Matcher m = COMPRESSED6.matcher(text);
    if (!m.matches()) {
      return false;
    }
    int left = groups6(m.group(1));
    int right = groups6(m.group(2));
    return left <= 6 && right <= 6 && left + right <= 7;
  }

  private static int groups6(String part) {
    if (part == null) {
      return 0;
    }
    int n = 0;
    Matcher g = GROUP6_PATTERN.matcher(part);
    while (g.find()) {
      n++;
    }
    return n;
  }

  /** Ansible's {@code expand_hostname_range}: the first range, then the rest in each result. */
  private static void expandRanges(
      String name, String pattern, SourceLocation at, List<String> out) {
    int open = name.indexOf('[');
    if (open < 0) {
      out.add(name);
      if (out.size() > MAX_HOSTS) {
        throw new InputException(
            at,
            "the host ranges of '" + pattern + "' expand to more than " + MAX_HOSTS + " hosts",
            "check the ranges' bounds");
      }
      return;
    }
    // Ansible cuts the name at its first '[' and its first ']', wherever they are.
    int close = name.indexOf(']');
    if (close < 0 || name.indexOf('|') >= 0) {
      throw invalid(pattern, at, "the brackets do not enclose a range");
    }
    int first = Math.min(open, close);
    int second = Math.max(open, close);
    String head = name.substring(0, first);
    String range = name.substring(first + 1, second);
    String tail = name.substring(second + 1);
    String[] bounds = range.split(":", -1);
    if (bounds.length != 2 && bounds.length != 3) {
      throw invalid(pattern, at, "host range must be begin:end or begin:end:step");
    }
    String begin = bounds[0].isEmpty() ? "0" : bounds[0];
    String end = bounds[1];
    if (end.isEmpty()) {
      throw invalid(pattern, at, "host range must specify end value");
    }
    int width = begin.length() > 1 && begin.charAt(0) == '0' ? begin.length() : 0;
    if (width > 0 && end.length() != width) {
      throw invalid(pattern, at, "host range must specify equal-length begin and end formats");
    }
    String stepText = bounds.length == 3 ? bounds[2] : "1";
    int b = LETTERS.indexOf(begin);
    int e = LETTERS.indexOf(end);
    if (b >= 0 && e >= 0 && b > e) {
      throw invalid(pattern, at, "host range must have begin <= end");
    }
    long step = pythonInt(stepText, pattern, at);
    if (step == 0) { // Python refuses a zero step in a slice and in range()
      throw new InputException(
          at,
          "invalid host range stride 0 in '"
              + pattern
              + "': Ansible refuses it and skips this whole inventory file",
          "a stride is at least 1, e.g. web[01:20:2]");
    }
    List<String> values = new ArrayList<>();
    if (b >= 0 && e >= 0) {
      // Python's slice letters[b:e+1:step]: empty for a negative step (b <= e)
      for (long i = b; step > 0 && i <= e; i += step) {
        values.add(String.valueOf(LETTERS.charAt((int) i)));
      }
    } else {
      long from = pythonInt(begin, pattern, at);
      long to = pythonInt(end, pattern, at);
      // Python's range(from, to + 1, step): counts down for a negative step, stopping above to + 1
      long count =
          step > 0
              ? (to < from ? 0 : (to - from) / step + 1)
              : (from <= to + 1 ? 0 : (from - to - 1 + (-step) - 1) / -step);
      if (count > MAX_HOSTS) {
        throw new InputException(
            at,
            "the host range ["
                + range
                + "] has more than "
                + MAX_HOSTS
                + " hosts (in '"
                + pattern
                + "')",
            "check the range's bounds");
      }
      for (long i = 0; i < count; i++) {
        values.add(zeroFill(from + i * step, width));
      }
    }
    for (String v : values) {
      expandRanges(head + v + tail, pattern, at, out);
    }
  }

  /** Python's {@code str(n).zfill(width)}: zeros after the sign. */
  private static String zeroFill(long n, int width) {
    String digits = Long.toString(Math.abs(n));
    String sign = n < 0 ? "-" : "";
    int pad = width - sign.length() - digits.length();
    return sign + (pad > 0 ? "0".repeat(pad) : "") + digits;
  }

  /** Python's {@code int(text)}: white space around, a sign, digits with single '_' between. */
  private static long pythonInt(String text, String pattern, SourceLocation at) {
    String t = text.strip();
    if (!PYTHON_INT.matcher(t).matches()) {
      throw invalid(pattern, at, "invalid literal for int() with base 10: '" + text + "'");
    }
    StringBuilder digits = new StringBuilder();
    for (int i = 0; i < t.length(); i = t.offsetByCodePoints(i, 1)) {
      int c = t.codePointAt(i);
      if (c == '-') {
        digits.append('-');
      } else if (c != '+' && c != '_') {
        digits.append(Character.digit(c, 10));
      }
    }
    String plain = digits.toString().replaceFirst("^(-?)0+(?=\\d)", "$1");
    if (plain.replace("-", "").length() > 18) {
      throw new InputException(
          at,
          "the host range number " + text + " is too large (in '" + pattern + "')",
          "check the range's bounds");
    }
    return Long.parseLong(plain);
  }

  private static InputException invalid(String pattern, SourceLocation at, String ansibleSays) {
    return new InputException(
        at,
        "invalid host range in '"
            + pattern
            + "': Ansible says \""
            + ansibleSays
            + "\" and skips this whole inventory file",
        "write [begin:end] or [begin:end:step] with numbers (zero-padded alike on both sides, e.g."
            + " web[01:20]) or letters (db[a:f])");
  }
}
