package dev.orchestrator.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * INI values and host lines are read as Ansible's own INI plugin reads them: hostile and random
 * texts are given to Ansible's {@code _parse_value} and {@code shlex_split} (in the Python that
 * runs Debian's {@code ansible-inventory}) and to {@link PythonLiteral} and {@link Shlex}, which
 * must agree on every one: the same typed JSON value, text kept as text, or no JSON form (a set, a
 * complex number) where Ansible cannot show the value either.
 */
class IniValuesParityIT {
  private static final ObjectMapper JSON = AnsibleOracle.mapper();
  private static AnsibleOracle ansible;

  @BeforeContainer
  static void startAnsible() throws IOException {
    ansible = AnsibleOracle.start();
  }

  @AfterContainer
  static void stopAnsible() throws IOException {
    if (ansible != null) {
      ansible.close();
    }
  }

  /** Pieces of Python literals, valid and not, joined at random. */
  private static final List<String> PIECES =
      List.of(
          "0",
          "00",
          "08",
          "7",
          "42",
          "-",
          "+",
          "1_000",
          "1__0",
          "1_",
          "0x1F",
          "0XfF",
          "0o17",
          "0b101",
          "0b2",
          "0_0",
          "1.5",
          ".5",
          "5.",
          "1e3",
          "1E-3",
          "08.5",
          "07e1",
          "1j",
          "1.5J",
          "99999999999999999999",
          "True",
          "False",
          "None",
          "true",
          "yes",
          "no",
          "null",
          "set()",
          "set",
          "...",
          "'a'",
          "\"b c\"",
          "'''t'''",
          "\"\"\"u\"\"\"",
          "r'\\n'",
          "b'x'",
          "u'x'",
          "f'x'",
          "rb'\\x41'",
          "Rb\"z\"",
          "'\\x41'",
          "'\\x4'",
          "'\\u00e9'",
          "'\\N{BULLET}'",
          "'\\d'",
          "'\\101'",
          "'\\0'",
          "'é'",
          "b'é'",
          "b'\\xff'",
          "b'\\xc3\\xa9'",
          "[",
          "]",
          "(",
          ")",
          "{",
          "}",
          ",",
          ":",
          " ",
          "  ",
          "\t",
          "#c",
          " # note",
          "x",
          "é",
          "'unclosed",
          "\\",
          "=",
          "*",
          "j",
          "e",
          ".",
          "\"\\\"\"",
          "'\\''",
          "\u00a0",
          "\u200b");

  @Provide
  Arbitrary<String> pieces() {
    return Arbitraries.of(PIECES).list().ofMinSize(1).ofMaxSize(8).map(l -> String.join("", l));
  }

  /** Well-formed nested literals (lists, tuples, dicts, signed numbers, strings). */
  @Provide
  Arbitrary<String> literals() {
    Arbitrary<String> scalar =
        Arbitraries.oneOf(
            Arbitraries.integers().between(-100000, 100000).map(String::valueOf),
            Arbitraries.doubles().between(-1e6, 1e6).ofScale(3).map(String::valueOf),
            Arbitraries.of("True", "False", "None", "'x'", "\"y z\"", "-0", "+1", "1e20", "0.1"),
            Arbitraries.strings()
                .withChars("abc é'\"\\#=,:")
                .ofMaxLength(6)
                .map(s -> "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'"));
    return Arbitraries.recursive(
        () -> scalar,
        inner ->
            Arbitraries.oneOf(
                inner.list().ofMaxSize(4).map(l -> "[" + String.join(", ", l) + "]"),
                inner.list().ofMaxSize(3).map(l -> "(" + String.join(",", l) + ",)"),
                Arbitraries.entries(scalar, inner)
                    .list()
                    .ofMaxSize(3)
                    .map(
                        es ->
                            "{"
                                + String.join(
                                    ", ",
                                    es.stream().map(e -> e.getKey() + ": " + e.getValue()).toList())
                                + "}")),
        0,
        3);
  }

  @Provide
  Arbitrary<String> hostLines() {
    return Arbitraries.strings().withChars("ab=' \"\\#\t;x1").ofMaxLength(24);
  }

  @Property(tries = 1500)
  void randomPiecesAreTypedAsAnsibleTypesThem(@ForAll("pieces") String text) throws IOException {
    assertSameValue(text);
  }

  @Property(tries = 500)
  void nestedLiteralsAreTypedAsAnsibleTypesThem(@ForAll("literals") String text)
      throws IOException {
    assertSameValue(text);
  }

  @Property(tries = 1500)
  void hostLinesAreSplitAsAnsibleSplitsThem(@ForAll("hostLines") String line) throws IOException {
    JsonNode theirs = ansible.ask("split", line);
    String ours;
    try {
      ours = JSON.writeValueAsString(java.util.Map.of("kind", "words", "words", Shlex.split(line)));
    } catch (Shlex.SplitException e) {
      ours = JSON.writeValueAsString(java.util.Map.of("kind", "error", "error", e.getMessage()));
    }
    assertEquals(theirs, JSON.readTree(ours), "split of [" + line + "]");
  }

  @Example
  void edgeCasesOfPythonsGrammar() throws IOException {
    for (String text :
        List.of(
            "1 # comment",
            "hello world # comment",
            "1, 2",
            "(1)",
            "-(1)",
            "--1",
            "-True",
            "1+2j",
            "1+2",
            "{1: 'a', True: 'b', 1.0: 'c'}",
            "{None: 1, 2.5: 2, 1e20: 3}",
            "{0.1: 1, 1e16: 2, 1e-5: 3, 0.0001: 4, -0.0: 5, 123456789.125: 6, -2.5e-7: 7}",
            "{b'k': 1}",
            "[b'x']",
            "b'\\xc3\\x28\\xff'",
            "{(1, 2): 3}",
            "{[1]: 2}",
            "{1, 2}",
            "[1, 2,]",
            "'a' 'b'",
            "'a' b'b'",
            "[".repeat(199) + "]".repeat(199),
            "[".repeat(200) + "]".repeat(200),
            "1".repeat(4300),
            "1".repeat(4301),
            "0x" + "f".repeat(5000),
            "1e999",
            "-".repeat(2000) + "1", // (beyond, Python runs out of stack: not reproduced)
            "1" + "+1".repeat(500),
            "'a' ".repeat(5000),
            "0x_1f",
            "1.j",
            "1__0",
            "٣",
            "'\\ud800'",
            "'\\U0010ffff'",
            "'\\U00110000'",
            "\f1",
            "\u00a01",
            "")) {
      assertSameValue(text);
    }
  }

  private static void assertSameValue(String text) throws IOException {
    JsonNode theirs = ansible.ask("value", text);
    JsonNode ours;
    try {
      Object v = PythonLiteral.eval(text);
      ours = JSON.readTree("{\"kind\":\"value\",\"value\":" + JSON.writeValueAsString(v) + "}");
    } catch (PythonLiteral.NotALiteral e) {
      ours = JSON.readTree("{\"kind\":\"text\"}");
    } catch (PythonLiteral.Unrepresentable e) {
      ours = JSON.readTree("{\"kind\":\"unrepresentable\"}");
    }
    assertEquals(theirs, ours, "value of [" + text + "]");
  }
}
