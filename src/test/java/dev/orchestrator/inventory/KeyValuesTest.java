package dev.orchestrator.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.orchestrator.common.InputException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link KeyValues} reads {@code k=v} strings as ansible-core 2.14's {@code parse_kv}. */
class KeyValuesTest {
  @Test
  void severalPairsAreSplitOnSpaces() {
    // given two pairs; when parsed; then both, as text, in order
    assertEquals(Map.of("a", "1", "b", "2"), KeyValues.parse("a=1 b=2").options());
    assertEquals(List.of("a", "b"), List.copyOf(KeyValues.parse("a=1 b=2").options().keySet()));
  }

  @Test
  void quotedValuesKeepTheirSpacesAndLoseTheirQuotes() {
    // given single and double quoted values; when parsed; then the quotes are gone
    assertEquals(Map.of("a", "x y", "b", "q r"), KeyValues.parse("a='x y' b=\"q r\"").options());
  }

  @Test
  void onlyTheFirstEqualsSeparates() {
    // given '=' in the value; when parsed; then it stays in the value
    assertEquals(Map.of("a", "b=c"), KeyValues.parse("a=b=c").options());
  }

  @Test
  void aWordWithoutEqualsIsFreeForm() {
    // given a bare word and a word starting with '='; when parsed; then both are free-form
    KeyValues.Parsed p = KeyValues.parse("a=1 foo =x");
    assertEquals(Map.of("a", "1"), p.options());
    assertEquals(List.of("foo", "=x"), p.rawParams());
  }

  @Test
  void escapesAreDecodedAndTheValueStripped() {
    // given Python escapes; when parsed; then decoded, and the trailing line break stripped
    assertEquals(Map.of("a", "é"), KeyValues.parse("a=\\u00e9\\n").options());
    assertEquals(Map.of("k", "\\=v"), KeyValues.parse("k=\\=v").options());
  }

  @Test
  void jinjaBlocksStayWhole() {
    // given a value holding a Jinja2 expression with spaces; when parsed; then kept whole
    assertEquals(
        Map.of("a", "{{ x }} y", "b", "{{ z }}"),
        KeyValues.parse("a=\"{{ x }} y\" b={{ z }}").options());
  }

  @Test
  void lineBreaksSeparateToo() {
    // given pairs on two lines; when parsed; then both
    assertEquals(Map.of("a", "1", "b", "2"), KeyValues.parse("a=1\nb=2").options());
  }

  @Test
  void unbalancedQuotesAreRefused() {
    // given an unterminated quote; when parsed; then refused saying what to do
    InputException e =
        assertThrows(InputException.class, () -> KeyValues.parse("a=\"unterminated"));
    assertEquals("unbalanced quotes or Jinja2 block in 'a=\"unterminated'", e.getMessage());
  }

  @Test
  void leadingSpacesAreRefusedAsAnsibleRefusesThem() {
    // given a text starting with two spaces (Ansible: "Unable to parse argument string")
    assertThrows(InputException.class, () -> KeyValues.parse("  a=1"));
  }

  @Test
  void anUnknownCharacterNameIsRefused() {
    // given \N{...} naming no character; when parsed; then refused
    assertThrows(InputException.class, () -> KeyValues.parse("a=\\N{NO_SUCH_THING}"));
  }
}
