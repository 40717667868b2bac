package dev.orchestrator.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.InputException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * YAML 1.1 typing as PyYAML (and so Ansible) types inventories and vars files (issue 14). The
 * expected values were checked with {@code ansible-inventory --list} of ansible-core 2.14.18.
 */
class PyYamlTypingTest {
  private static final Path FILE = Path.of("group_vars/all.yml");

  private static Object value(String yaml, YamlTyping typing) {
    Map<?, ?> m =
        (Map<?, ?>) YamlDocument.parse(FILE, "vars", "v: " + yaml + "\n", typing).toPlain("vars");
    return m.get("v");
  }

  private static Object v11(String yaml) {
    return value(yaml, YamlTyping.PYYAML_1_1);
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    "yes, true", "Yes, true", "YES, true", "no, false", "No, false", "NO, false",
    "on, true", "On, true", "ON, true", "off, false", "Off, false", "OFF, false",
    "true, true", "True, true", "TRUE, true", "false, false", "False, false", "FALSE, false"
  })
  void yamlOneOneBooleansAreBooleans(String text, boolean expected) {
    // given a plain yes/no/on/off in any of the three cases PyYAML knows, when read as Ansible does
    // then it is a boolean
    assertEquals(expected, v11(text));
  }

  @ParameterizedTest(name = "{0} stays text")
  @CsvSource({
    "y",
    "Y",
    "n",
    "N",
    "tRUE",
    "yES",
    "oN",
    "'''yes'''",
    "'\"on\"'",
    "'''0755'''",
    "'''~'''",
    "-.5",
    "+.5",
    "-.nan",
    "1e3",
    "1:60",
    "08",
    "09",
    "0o755",
    "1.2.3",
    "'''1:20'''",
    "0x",
    "2001-1-2"
  })
  void formsPyYamlDoesNotTypeStayText(String text) {
    // given a scalar that PyYAML's resolver does not type (or that is quoted)
    // when read as Ansible does, then it is the text (without its quotes)
    String unquoted = text.replaceAll("^['\"](.*)['\"]$", "$1");
    assertEquals(unquoted, v11(text));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    "0755, 493",
    "0, 0",
    "-0, 0",
    "+12, 12",
    "0x1F, 31",
    "0x_1F, 31",
    "-0xff, -255",
    "0b1010, 10",
    "1:20, 80",
    "-1:00:01, -3601",
    "1:0:5, 3605",
    "1_000, 1000",
    "0_7, 7",
    "0001, 1"
  })
  void yamlOneOneIntegersAreIntegers(String text, long expected) {
    assertEquals(expected, v11(text));
  }

  @Test
  void integersBeyondALongAreExact() {
    assertEquals(
        new BigInteger("123456789012345678901234567890"), v11("123456789012345678901234567890"));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    "1.5, 1.5",
    "1., 1.0",
    ".5, 0.5",
    "1.0e+3, 1000.0",
    "1_0.5, 10.5",
    "1:20.5, 80.5",
    "1_000.000_1, 1000.0001",
    ".inf, Infinity",
    ".INF, Infinity",
    "-.Inf, -Infinity",
    ".NaN, NaN"
  })
  void yamlOneOneFloatsAreFloats(String text, double expected) {
    assertEquals(expected, v11(text));
  }

  @ParameterizedTest(name = "{0} is null")
  @CsvSource({"~", "null", "Null", "NULL", "''"})
  void yamlOneOneNullsAreNull(String text) {
    assertEquals(null, v11(text));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    "2001-12-14, 2001-12-14",
    "2001-12-14t21:59:43.10-05:00, 2001-12-14T21:59:43.100000-05:00",
    "2001-12-14 21:59:43Z, 2001-12-14T21:59:43+00:00",
    "2001-12-14 21:59:43.123456789 +1, 2001-12-14T21:59:43.123456+01:00",
    "2001-1-2T03:04:05, 2001-01-02T03:04:05",
    "2001-01-02 03:04:05., 2001-01-02T03:04:05"
  })
  void timestampsAreWhatPythonsIsoformatGives(String text, String expected) {
    // given a YAML 1.1 timestamp, when read as Ansible does, then it is the text
    // ansible-inventory prints for the Python date or datetime
    assertEquals(expected, v11(text));
  }

  @Test
  void whatPyYamlRefusesIsRefusedAtItsPosition() {
    // given values PyYAML cannot construct, when read as Ansible does, then it is an input error
    // at the value that says to quote it
    for (String bad :
        List.of("=", "2001-02-30", "2001-12-14 25:00:00", "!!int 0b_", "!!bool maybe")) {
      InputException e = assertThrows(InputException.class, () -> v11(bad), bad);
      assertTrue(e.getMessage().contains("all.yml:1:4"), e.getMessage());
      assertTrue(e.hint().contains("quote"), e.hint());
    }
  }

  @Test
  void mergeKeysMergeAsPyYamlDoes() {
    // given mappings merged with '<<' (one, and a list where the earlier mapping wins)
    String yaml =
        """
        base: &base {a: 1, b: 2}
        other: &other {b: 20, c: 30}
        one: {<<: *base, b: 3}
        two:
          <<: [*other, *base]
          d: 4
        nested: {<<: {<<: *base, e: 5}, f: 6}
        """;
    // when read as Ansible does
    Map<?, ?> m =
        (Map<?, ?>) YamlDocument.parse(FILE, "vars", yaml, YamlTyping.PYYAML_1_1).toPlain("vars");
    // then the merged keys are there, the mapping's own keys win, the earlier of a list wins
    assertEquals(Map.of("a", 1L, "b", 3L), m.get("one"));
    assertEquals(Map.of("a", 1L, "b", 20L, "c", 30L, "d", 4L), m.get("two"));
    assertEquals(Map.of("a", 1L, "b", 2L, "e", 5L, "f", 6L), m.get("nested"));
    // and a merge of something else is refused where it is
    InputException e =
        assertThrows(
            InputException.class,
            () ->
                YamlDocument.parse(FILE, "vars", "x:\n  <<: 3\n", YamlTyping.PYYAML_1_1)
                    .toPlain("vars"));
    assertTrue(e.getMessage().contains("all.yml:2:7"), e.getMessage());
  }

  @Test
  void typedKeysAreNamedAsAnsiblesJsonNamesThem() {
    // given vars keys that YAML 1.1 types
    Map<?, ?> m =
        (Map<?, ?>)
            YamlDocument.parse(
                    FILE, "vars", "{yes: a, ~: b, 0x10: c, '1': d, =: e}\n", YamlTyping.PYYAML_1_1)
                .toPlain("vars");
    // then they are named as ansible-inventory's JSON names them (and '=' as a key is text)
    assertEquals(List.of("true", "null", "16", "1", "="), List.copyOf(m.keySet()));
    // and two keys that become the same are a duplicate
    assertThrows(
        InputException.class,
        () ->
            YamlDocument.parse(FILE, "vars", "yes: 1\non: 2\n", YamlTyping.PYYAML_1_1)
                .toPlain("vars"));
  }

  @Test
  void aJsonTextIsTypedAsJsonAsAnsibleTriesJsonFirst() {
    // given a JSON vars file with a number PyYAML alone would keep as text
    Map<?, ?> m =
        (Map<?, ?>)
            YamlDocument.parse(
                    FILE,
                    "vars",
                    "{\"x\": 1e3, \"y\": \"yes\", \"z\": [true, null]}",
                    YamlTyping.PYYAML_1_1)
                .toPlain("vars");
    // then it is a number, as json.loads gives it
    assertEquals(1000.0, m.get("x"));
    assertEquals("yes", m.get("y"));
    assertEquals(Arrays.asList(true, null), m.get("z"));
  }

  @Test
  void playbookTypingIsUnchanged() {
    // given YAML 1.1-only forms, when read with the playbooks' typing, then they stay text
    for (String s : List.of("yes", "on", "0755", "1:20", "1_000", "~", ".inf", "2001-12-14")) {
      assertEquals(s, value(s, YamlTyping.YAML_1_2_JSON), s);
    }
  }

  /** Every integer, in each of the forms YAML 1.1 writes integers in, is that integer. */
  @Property
  void everyYamlOneOneIntegerFormIsTheInteger(
      @ForAll long n, @ForAll @IntRange(min = 0, max = 3) int underscoreEvery) {
    BigInteger abs = BigInteger.valueOf(n).abs();
    String sign = n < 0 ? "-" : "";
    List<String> forms = new java.util.ArrayList<>();
    forms.add(sign + abs);
    forms.add(sign + "0x" + abs.toString(16));
    forms.add(sign + "0b" + abs.toString(2));
    if (n != 0) {
      forms.add(sign + "0" + abs.toString(8));
    }
    if (abs.compareTo(BigInteger.valueOf(60)) >= 0) {
      forms.add(sign + sexagesimal(abs));
    }
    for (String form : forms) {
      String written = underscoreEvery == 0 ? form : underscores(form, underscoreEvery);
      assertEquals(n, ((Number) v11(written)).longValue(), written);
    }
  }

  /**
   * What YAML 1.2 (the playbooks' typing) and YAML 1.1 type alike stays the same: decimal integers,
   * decimal fractions, true/false/null, and any text written quoted.
   */
  @Property
  void formsBothYamlsShareAreTypedTheSame(@ForAll("sharedForms") String yaml) {
    assertEquals(value(yaml, YamlTyping.YAML_1_2_JSON), v11(yaml), yaml);
  }

  @Provide
  Arbitrary<String> sharedForms() {
    Arbitrary<String> ints = Arbitraries.longs().map(String::valueOf);
    Arbitrary<String> fractions =
        Arbitraries.bigDecimals()
            .between(new java.math.BigDecimal("-1e9"), new java.math.BigDecimal("1e9"))
            .ofScale(4)
            .map(java.math.BigDecimal::toPlainString);
    Arbitrary<String> quoted =
        Arbitraries.strings()
            .all()
            .ofMaxLength(30)
            .filter(
                s ->
                    s.codePoints()
                        .allMatch(c -> (c >= 0x20 && c < 0x7f) || (c >= 0xa0 && c < 0xd800)))
            .map(s -> "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
    Arbitrary<String> words = Arbitraries.of("true", "false", "null", "hello", "web1.example.org");
    return Arbitraries.oneOf(ints, fractions, quoted, words);
  }

  private static String sexagesimal(BigInteger n) {
    StringBuilder out = new StringBuilder();
    BigInteger sixty = BigInteger.valueOf(60);
    BigInteger rest = n;
    while (rest.compareTo(sixty) >= 0) {
      out.insert(0, ":" + rest.mod(sixty));
      rest = rest.divide(sixty);
    }
    return rest + out.toString();
  }

  /**
   * Puts an underscore after every {@code every} digits of the number part of a form, before its
   * first ':' (YAML 1.1 allows them only there).
   */
  private static String underscores(String form, int every) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("^(-?(?:0x|0b)?)(.*)$").matcher(form);
    m.matches();
    StringBuilder out = new StringBuilder(m.group(1));
    String digits = m.group(2);
    int colon = digits.indexOf(':') < 0 ? digits.length() : digits.indexOf(':');
    for (int i = 0; i < colon; i++) {
      out.append(digits.charAt(i));
      if ((i + 1) % every == 0 && i + 1 < colon) {
        out.append('_');
      }
    }
    return out.append(digits.substring(colon)).toString();
  }
}
