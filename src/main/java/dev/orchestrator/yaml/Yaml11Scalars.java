package dev.orchestrator.yaml;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Types an unquoted YAML scalar as YAML 1.1 does, the way PyYAML's implicit resolver and safe
 * constructor (which Ansible uses to read inventories and {@code group_vars}/{@code host_vars}
 * files) type it: {@code yes/no/on/off} (any of their three spellings) and {@code true/false} are
 * booleans; {@code ~}, {@code null} and an empty value are null; integers may be binary ({@code
 * 0b101}), octal ({@code 0755}), hexadecimal ({@code 0x1F}), sexagesimal ({@code 1:20}) and hold
 * {@code _}; a float needs a dot and a signed exponent ({@code 1.5e+3}; {@code 1e3} is a string).
 * The YAML 1.2 core schema that snakeyaml-engine applies differs on each of these. Infinity, NaN
 * and timestamps are left to the 1.2 reading (Ansible's JSON output has no form for the first two
 * and prints timestamps as text). Rules from PyYAML's {@code resolver.py} and {@code
 * constructor.py} (github.com/yaml/pyyaml), checked against {@code ansible-inventory --list} by
 * {@code InventoryParityIT} (corpus family {@code yaml11}).
 */
final class Yaml11Scalars {
  private Yaml11Scalars() {}

  private static final Pattern BOOL =
      Pattern.compile("yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF");
  private static final Pattern NULL = Pattern.compile("~|null|Null|NULL|");
  private static final Pattern INT =
      Pattern.compile(
          "[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+"
              + "|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+");
  private static final Pattern FLOAT =
      Pattern.compile(
          "[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+][0-9]+)?|\\.[0-9_]+(?:[eE][-+][0-9]+)?"
              + "|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*");

  /** The value's type under YAML 1.1, or null when it is not one of the forms above. */
  static Object resolve(String text) {
    if (NULL.matcher(text).matches()) {
      return Null.NULL;
    }
    if (BOOL.matcher(text).matches()) {
      String t = text.toLowerCase(Locale.ROOT);
      return t.equals("yes") || t.equals("true") || t.equals("on");
    }
    if (INT.matcher(text).matches()) {
      return integer(text);
    }
    if (FLOAT.matcher(text).matches()) {
      return floating(text);
    }
    return null;
  }

  /** The null value, distinct from "not a YAML 1.1 form". */
  enum Null {
    NULL
  }

  private static Object integer(String text) {
    String v = text.replace("_", "");
    int sign = 1;
    if (v.startsWith("-")) {
      sign = -1;
      v = v.substring(1);
    } else if (v.startsWith("+")) {
      v = v.substring(1);
    }
    try {
      java.math.BigInteger n;
      if (v.equals("0")) {
        n = java.math.BigInteger.ZERO;
      } else if (v.startsWith("0b")) {
        n = new java.math.BigInteger(v.substring(2), 2);
      } else if (v.startsWith("0x")) {
        n = new java.math.BigInteger(v.substring(2), 16);
      } else if (v.startsWith("0")) {
        n = new java.math.BigInteger(v.substring(1), 8);
      } else if (v.contains(":")) {
        n = java.math.BigInteger.ZERO;
        for (String part : v.split(":")) {
          n = n.multiply(java.math.BigInteger.valueOf(60)).add(new java.math.BigInteger(part));
        }
      } else {
        n = new java.math.BigInteger(v);
      }
      n = sign < 0 ? n.negate() : n;
      return n.bitLength() < 64 ? (Object) n.longValueExact() : n;
    } catch (NumberFormatException | ArithmeticException e) {
      return text; // e.g. "0b_" : what PyYAML would refuse is kept as written
    }
  }

  private static Object floating(String text) {
    String v = text.replace("_", "");
    try {
      if (v.contains(":")) {
        int sign = v.startsWith("-") ? -1 : 1;
        String digits = v.replaceFirst("^[-+]", "");
        double n = 0;
        for (String part : digits.split(":")) {
          n = n * 60 + Double.parseDouble(part);
        }
        return sign * n;
      }
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      return text;
    }
  }
}
