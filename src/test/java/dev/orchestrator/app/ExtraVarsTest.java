package dev.orchestrator.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ExtraVars} reads {@code -e} as ansible-playbook's {@code load_extra_vars}. */
class ExtraVarsTest {
  @TempDir Path dir;

  @Test
  void oneKeyValueStillWorks() {
    // given today's form; when read; then one text variable
    assertEquals(
        Map.of("target_version", "28.0.14"), ExtraVars.parse(List.of("target_version=28.0.14")));
  }

  @Test
  void severalKeyValuesInOneTextAreTexts() {
    // given several k=v with quotes; when read; then each a text, as in Ansible
    assertEquals(Map.of("a", "1", "b", "x y"), ExtraVars.parse(List.of("a=1 b='x y'")));
  }

  @Test
  void aJsonOrYamlMappingIsTyped() {
    // given JSON and YAML 1.1 flow mappings; when read; then typed as PyYAML types them
    Map<String, Object> vars =
        ExtraVars.parse(List.of("{\"json\": 1}", "{a: yes, c: 010, l: [1, x]}"));
    assertEquals(1L, ((Number) vars.get("json")).longValue());
    assertEquals(true, vars.get("a"));
    assertEquals(8L, ((Number) vars.get("c")).longValue());
    assertEquals(2, ((List<?>) vars.get("l")).size());
  }

  @Test
  void aFileIsReadWithAt() throws IOException {
    // given a YAML file; when read with @; then its typed variables
    Path f = Files.writeString(dir.resolve("vars.yml"), "n: 5\nname: web\n");
    Map<String, Object> vars = ExtraVars.parse(List.of("@" + f));
    assertEquals(5L, ((Number) vars.get("n")).longValue());
    assertEquals("web", vars.get("name"));
  }

  @Test
  void laterTextsWin() throws IOException {
    // given a file, then k=v, then JSON setting the same names; when read; then the last wins
    Path f = Files.writeString(dir.resolve("v.yml"), "a: file\nb: file\nc: file\n");
    Map<String, Object> vars = ExtraVars.parse(List.of("@" + f, "b=kv c=kv", "{c: json}"));
    assertEquals(Map.of("a", "file", "b", "kv", "c", "json"), new HashMap<>(vars));
  }

  @Test
  void aDeviceOrAFolderIsNotARegularFile() {
    // given @ of a device, a pipe and a folder; when read; then each is said to be what it is
    for (String path : List.of("/dev/zero", "/dev/stdin", "/etc")) {
      InputException e =
          assertThrows(InputException.class, () -> ExtraVars.parse(List.of("@" + path)));
      assertEquals(
          "-e @"
              + path
              + ": "
              + path
              + (path.equals("/etc") ? " is a directory" : " is not a regular file"),
          e.getMessage());
    }
  }

  @Test
  void aMissingFileIsNamed() {
    // given @ of a file that does not exist; when read; then exit-2 input error naming it
    InputException e =
        assertThrows(InputException.class, () -> ExtraVars.parse(List.of("@nope/missing.yml")));
    assertEquals("-e @nope/missing.yml: the file nope/missing.yml does not exist", e.getMessage());
  }

  @Test
  void aFileNameWithoutAtIsRefusedAsAnsibleDoes() {
    InputException e =
        assertThrows(InputException.class, () -> ExtraVars.parse(List.of("./v.yml")));
    assertTrue(e.hint().contains("-e '@./v.yml'"), e.hint());
  }

  @Test
  void aListIsNotAMapping() throws IOException {
    // given a YAML list, and a file of a scalar; when read; then refused (Ansible: "Invalid extra
    // vars data supplied")
    assertThrows(InputException.class, () -> ExtraVars.parse(List.of("[1, 2]")));
    Path scalar = Files.writeString(dir.resolve("scalar.yml"), "just text\n");
    assertThrows(InputException.class, () -> ExtraVars.parse(List.of("@" + scalar)));
  }

  @Test
  void anEmptyFileIsNoVariables() throws IOException {
    // given an empty file (Ansible refuses it; we read it as --vars-file does: no variables)
    Path empty = Files.writeString(dir.resolve("empty.yml"), "");
    assertEquals(Map.of(), ExtraVars.parse(List.of("@" + empty)));
  }

  @Test
  void aBareWordOrABadNameIsRefused() {
    // given a word without '=' and a name no template can use; then both refused
    assertEquals(
        "-e 'foo a=1' is not KEY=VALUE",
        assertThrows(InputException.class, () -> ExtraVars.parse(List.of("foo a=1"))).getMessage());
    assertThrows(InputException.class, () -> ExtraVars.parse(List.of("a-b=1")));
  }

  @Test
  void aSinglePairWithSpacesOrAQuoteKeepsItsWholeValueAsBefore() {
    // given texts Ansible would split into a pair and free words, or refuse (a lone quote)
    // when read; then, as orchestrator always read -e, one variable with the whole rest
    assertEquals(Map.of("cmd", "touch /tmp/x"), ExtraVars.parse(List.of("cmd=touch /tmp/x")));
    assertEquals(Map.of("v", "it's"), ExtraVars.parse(List.of("v=it's")));
    assertEquals(Map.of("v", "$(touch x)"), ExtraVars.parse(List.of("v=$(touch x)")));
  }

  @Test
  void anEmptyTextIsNothing() {
    assertEquals(Map.of(), ExtraVars.parse(List.of("")));
  }
}
