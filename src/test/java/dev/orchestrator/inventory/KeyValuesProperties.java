package dev.orchestrator.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orchestrator.common.InputException;
import java.util.LinkedHashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Hostile {@code k=v} texts (quotes, backslashes, {@code =}, braces, unicode) never make {@link
 * KeyValues} fail other than with an {@link InputException}, and values written the way Ansible
 * users quote them come back as written.
 */
class KeyValuesProperties {
  @Provide
  Arbitrary<String> hostile() {
    return Arbitraries.strings()
        .withChars("ab=\\'\" \n{}%#éxuUN0123456789\u00a0\u2028\t")
        .withCharRange('\u4e00', '\u4e0f')
        .ofMaxLength(40);
  }

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.strings()
        .withCharRange('a', 'z')
        .withChars("_")
        .ofMinLength(1)
        .ofMaxLength(8);
  }

  /** Values without quotes, backslashes, braces, line breaks or edge white space. */
  @Provide
  Arbitrary<String> values() {
    return Arbitraries.strings()
        .withCharRange('a', 'z')
        .withChars("= .,:/@-é\u4e2d😀")
        .ofMaxLength(20)
        .map(String::strip)
        .filter(v -> !v.contains("  "));
  }

  @Property
  void hostileTextIsParsedOrRefusedNeverCrashes(@ForAll("hostile") String text) {
    try {
      KeyValues.parse(text);
    } catch (InputException e) {
      // refused with a message: fine
    }
  }

  @Property
  void doubleQuotedValuesComeBackAsWritten(
      @ForAll("names") String a,
      @ForAll("values") String va,
      @ForAll("names") String b,
      @ForAll("values") String vb) {
    // given two pairs, values in double quotes; when parsed; then the values as written
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put(a, va);
    expected.put(b, vb);
    assertEquals(
        expected, KeyValues.parse(a + "=\"" + va + "\" " + b + "=\"" + vb + "\"").options());
  }

  @Property
  void singleQuotedValuesComeBackAsWritten(@ForAll("names") String a, @ForAll("values") String v) {
    assertEquals(Map.of(a, v), KeyValues.parse(a + "='" + v + "'").options());
  }
}
