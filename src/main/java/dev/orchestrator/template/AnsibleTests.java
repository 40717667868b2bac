package dev.orchestrator.template;

import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ansible's tests ({@code x is succeeded}) with Ansible's semantics, followed from ansible-core
 * 2.14 {@code lib/ansible/plugins/test/core.py}
 * (https://docs.ansible.com/ansible/latest/playbook_guide/playbooks_tests.html): the task-result
 * tests {@code succeeded}/{@code success}, {@code failed}/{@code failure}, {@code changed}/{@code
 * change}, {@code skipped} (a registered result; anything else is an error), the regular-expression
 * tests {@code match} (at the start), {@code search} and {@code regex} ({@link PyRegex}), and
 * {@code version}/{@code version_compare} (Python's {@code LooseVersion} with Ansible's operators).
 */
final class AnsibleTests {
  private AnsibleTests() {}

  /** Registers the tests in {@code global}, replacing Jinjava's of the same names. */
  static void register(Context global) {
    for (String name : List.of("failed", "failure")) {
      test(global, name, (v, a) -> result(name, v, "failed"));
    }
    for (String name : List.of("succeeded", "success")) {
      test(global, name, (v, a) -> !result(name, v, "failed"));
    }
    for (String name : List.of("changed", "change")) {
      test(global, name, (v, a) -> result(name, v, "changed"));
    }
    test(global, "skipped", (v, a) -> result("skipped", v, "skipped"));
    test(global, "match", (v, a) -> regex(v, a, true));
    test(global, "search", (v, a) -> regex(v, a, false));
    test(
        global,
        "regex",
        (v, a) -> regex(v, a, a.length > 3 ? !"search".equals(String.valueOf(a[3])) : false));
    for (String name : List.of("version", "version_compare")) {
      test(
          global,
          name,
          (v, a) -> {
            if (a.length < 1) {
              throw new IllegalArgumentException(
                  "version needs a version: x is version('1.2', '>=')");
            }
            return version(
                PyFormat.str(v), PyFormat.str(a[0]), a.length > 1 ? PyFormat.str(a[1]) : "eq");
          });
    }
  }

  /** A registered result's {@code field}, false when absent; refuses a value that is no result. */
  private static boolean result(String test, Object v, String field) {
    if (!(v instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException(
          "The '" + test + "' test expects a dictionary (a registered result)");
    }
    return PyValues.truthy(m.get(field));
  }

  private static boolean regex(Object v, Object[] a, boolean match) {
    String pattern = a.length > 0 ? PyFormat.str(a[0]) : "";
    boolean icase = a.length > 1 && PyValues.truthy(a[1]);
    boolean ml = a.length > 2 && PyValues.truthy(a[2]);
    return PyRegex.test(PyFormat.str(v), pattern, icase, ml, match);
  }

  private static final Pattern LOOSE = Pattern.compile("(\\d+|[a-z]+|\\.)");

  /** Python's {@code LooseVersion(v).version}: numbers, letters and the text between. */
  static List<Object> loose(String v) {
    List<Object> out = new ArrayList<>();
    Matcher m = LOOSE.matcher(v);
    int at = 0;
    while (m.find()) {
      addPart(out, v.substring(at, m.start()));
      addPart(out, m.group());
      at = m.end();
    }
    addPart(out, v.substring(at));
    return out;
  }

  private static void addPart(List<Object> out, String part) {
    if (part.isEmpty() || part.equals(".")) {
      return;
    }
    if (part.chars().allMatch(c -> c >= '0' && c <= '9')) {
      out.add(new java.math.BigInteger(part));
    } else {
      out.add(part);
    }
  }

  /** Ansible's {@code version_compare(value, version, operator)} with {@code LooseVersion}. */
  static boolean version(String value, String version, String op) {
    if (value.isEmpty() || version.isEmpty()) {
      throw new IllegalArgumentException("Input version value cannot be empty");
    }
    int c = compareLoose(loose(value), loose(version), value, version);
    return switch (op) {
      case "==", "=", "eq" -> c == 0;
      case "<", "lt" -> c < 0;
      case "<=", "le" -> c <= 0;
      case ">", "gt" -> c > 0;
      case ">=", "ge" -> c >= 0;
      case "!=", "<>", "ne" -> c != 0;
      default -> throw new IllegalArgumentException("Invalid operator type (" + op + ")");
    };
  }

  private static int compareLoose(List<Object> a, List<Object> b, String va, String vb) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      Object x = a.get(i);
      Object y = b.get(i);
      int c;
      if (x instanceof java.math.BigInteger p && y instanceof java.math.BigInteger q) {
        c = p.compareTo(q);
      } else if (x instanceof String p && y instanceof String q) {
        c = comparePy(p, q);
      } else {
        throw new IllegalArgumentException(
            "Version comparison failed: '<' not supported between a number and a word in '"
                + va
                + "' and '"
                + vb
                + "'");
      }
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  /** Python's string order: by code point. */
  private static int comparePy(String a, String b) {
    int[] x = a.codePoints().toArray();
    int[] y = b.codePoints().toArray();
    return java.util.Arrays.compare(x, y);
  }

  private static void test(Context global, String name, BiPredicate<Object, Object[]> fn) {
    global.registerExpTest(
        new ExpTest() {
          @Override
          public String getName() {
            return name;
          }

          @Override
          public boolean evaluate(Object var, JinjavaInterpreter interpreter, Object... args) {
            Object[] a = args == null ? new Object[0] : args;
            // Jinjava passes is t(x, y) as one tuple argument
            if (a.length == 1 && a[0] instanceof List<?> tuple && !name.equals("in")) {
              a = tuple.toArray();
            }
            return fn.test(var, a);
          }
        });
  }
}
