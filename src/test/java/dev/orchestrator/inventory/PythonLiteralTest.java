package dev.orchestrator.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Python literals as {@code ast.literal_eval} reads them (the full comparison with Ansible's own
 * parser is IniValuesParityIT), and hostile values never break the parser.
 */
class PythonLiteralTest {
  private static Object eval(String text) throws Exception {
    return PythonLiteral.eval(text);
  }

  @Example
  void typesValuesAsPythonDoes() throws Exception {
    assertEquals(42L, eval("42"));
    assertEquals(-7L, eval("-7"));
    assertEquals(31L, eval("0x1F"));
    assertEquals(1000L, eval("1_000"));
    assertEquals(1000.0, eval("1e3"));
    assertEquals(0.5, eval(".5"));
    assertEquals(true, eval("True"));
    assertEquals(null, eval("None"));
    assertEquals("ab", eval("'a' \"b\""));
    assertEquals("café", eval("'caf\\u00e9'"));
    assertEquals("\\d", eval("r'\\d'"));
    assertEquals(
        new BigInteger("123456789012345678901234567890"), eval("123456789012345678901234567890"));
    assertEquals(Arrays.asList(1L, "two", null), eval("[1, 'two', None]"));
    assertEquals(List.of(1L, 2L), eval("1, 2"));
    assertEquals(Map.of("1", "b"), eval("{1: 'a', True: 'b'}"), "1 == True: one key");
    assertEquals(2L, eval("2 # a comment"));
  }

  @Example
  void whatIsNotALiteralStaysText() {
    for (String text :
        List.of(
            "08",
            "true",
            "yes",
            "hello world",
            "--1",
            "-True",
            "1+2",
            "f'x'",
            "[1, 2",
            "x=1",
            "")) {
      assertThrows(PythonLiteral.NotALiteral.class, () -> eval(text), text);
    }
  }

  @Example
  void literalsWithoutAJsonFormAreSaidSo() {
    for (String text : List.of("{1, 2}", "set()", "1j", "1+2j", "...", "1e999", "{(1, 2): 3}")) {
      assertThrows(PythonLiteral.Unrepresentable.class, () -> eval(text), text);
    }
  }

  @Provide
  Arbitrary<String> hostile() {
    return Arbitraries.oneOf(
        Arbitraries.strings()
            .withChars("[](){}'\"\\,:-+.0123456789eEjJxXbBrRuUfF_#\n\t ")
            .ofMaxLength(60),
        Arbitraries.strings().all().ofMaxLength(40),
        Arbitraries.integers().between(1, 20_000).map(n -> "[".repeat(n % 400) + "9".repeat(n)),
        Arbitraries.integers().between(1, 20_000).map(n -> "-".repeat(n) + "1"),
        Arbitraries.integers().between(1, 20_000).map(n -> "'a' ".repeat(n)));
  }

  @Property(tries = 1000)
  void anyTextIsAValueTextOrUnrepresentableNeverACrash(@ForAll("hostile") String text) {
    try {
      PythonLiteral.eval(text);
    } catch (PythonLiteral.NotALiteral | PythonLiteral.Unrepresentable e) {
      // both are answers: kept as text, or refused with a message
    }
  }
}
