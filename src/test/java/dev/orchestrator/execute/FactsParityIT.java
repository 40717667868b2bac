package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestrator.template.Facts;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Our facts against real Ansible's {@code setup} module on this machine ({@code ansible localhost
 * -m setup -c local}): every fact of {@link Facts#NAMES}, by name and value.
 */
class FactsParityIT {
  @Test
  void everyGatheredFactHasAnsiblesNameAndValue() throws Exception {
    // given: Ansible's facts of this machine
    Process p =
        new ProcessBuilder("ansible", "localhost", "-m", "setup", "-c", "local")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(300, TimeUnit.SECONDS) && p.exitValue() == 0, out);
    JsonNode ansible =
        new ObjectMapper().readTree(out.substring(out.indexOf('{'))).get("ansible_facts");

    // when: ours
    Map<String, Object> ours = Facts.vars(FactGatherer.parse(FactGathererTest.runScript()));

    // then
    List<String> differ = new ArrayList<>();
    for (String name : Facts.NAMES.keySet()) {
      String key = "ansible_" + name;
      JsonNode theirs = ansible.get(key);
      Object mine = ours.get(key);
      if (theirs == null) {
        differ.add(key + ": Ansible has none");
        continue;
      }
      switch (name) {
        case "default_ipv4" -> {
          for (String k : Facts.DEFAULT_IPV4_KEYS) {
            String t = theirs.path(k).asText(null);
            Object m = ((Map<?, ?>) mine).get(k);
            if (t != null && !t.equals(m)) {
              differ.add(key + "." + k + ": ours " + m + ", Ansible's " + t);
            }
          }
        }
        case "date_time" -> {
          Map<?, ?> d = (Map<?, ?>) mine;
          long gap =
              Math.abs(Long.parseLong((String) d.get("epoch")) - theirs.get("epoch").asLong());
          if (gap > 600) {
            differ.add(key + ".epoch: " + gap + " s apart");
          }
          if (gap < 5 && !theirs.get("date").asText().equals(d.get("date"))) {
            differ.add(key + ".date: ours " + d.get("date") + ", Ansible's " + theirs.get("date"));
          }
        }
        case "all_ipv4_addresses" -> {
          List<String> t = new ArrayList<>();
          theirs.forEach(n -> t.add(n.asText()));
          if (!new java.util.HashSet<>(t).equals(new java.util.HashSet<>((List<?>) mine))) {
            differ.add(key + ": ours " + mine + ", Ansible's " + t);
          }
        }
        default -> {
          String t = theirs.isTextual() ? theirs.asText() : theirs.toString();
          if (!t.equals(String.valueOf(mine))) {
            differ.add(key + ": ours " + mine + ", Ansible's " + t);
          }
        }
      }
    }
    assertEquals(List.of(), differ);
  }
}
