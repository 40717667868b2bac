package dev.orchestrator.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyValueArgsTest {
  @Test
  void pairsQuotesAndJinjaBlocksReadAsAnsibleReadsThem() {
    assertEquals(Map.of("a", "1", "b", "2"), KeyValueArgs.parse("a=1 b=2", false));
    assertEquals(Map.of("msg", "hello world"), KeyValueArgs.parse("msg=\"hello world\"", false));
    assertEquals(
        Map.of("msg", "{{ a | default('x y') }}", "dest", "/a b"),
        KeyValueArgs.parse("msg={{ a | default('x y') }} dest='/a b'", false));
    assertEquals(Map.of("a", "x=y"), KeyValueArgs.parse("a=x=y", false));
    assertEquals(Map.of("a", "line\nbreak"), KeyValueArgs.parse("a=line\\nbreak", false));
  }

  @Test
  void shellAndCommandKeepTheirCommandAndTakeOnlyTheirOwnArguments() {
    assertEquals(
        Map.of("_raw_params", "echo a=b > /tmp/x", "creates", "/tmp/x"),
        KeyValueArgs.parse("echo a=b > /tmp/x creates=/tmp/x", true));
    assertEquals(
        Map.of("_raw_params", "echo 'two  spaces'"),
        KeyValueArgs.parse("echo 'two  spaces'", true));
    assertEquals(Map.of("_raw_params", "a=b"), KeyValueArgs.parse("a\\=b", false));
  }

  @Test
  void unbalancedQuotesOrBlocksAreRefused() {
    assertThrows(KeyValueArgs.Unbalanced.class, () -> KeyValueArgs.parse("msg=\"open", false));
    assertThrows(KeyValueArgs.Unbalanced.class, () -> KeyValueArgs.parse("msg={{ x", false));
    assertThrows(KeyValueArgs.Unbalanced.class, () -> KeyValueArgs.parse("  x", false));
  }
}
