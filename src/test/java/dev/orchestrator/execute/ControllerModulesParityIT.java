package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestrator.template.TemplateEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The results of {@code debug}, {@code set_fact}, {@code assert} and {@code fail} have the keys and
 * values of real Ansible's ({@code ansible-playbook} against {@code localhost} with {@code
 * ansible_connection=local}, each result written out as JSON): every key Ansible registers is in
 * ours, with the same value.
 */
class ControllerModulesParityIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> COMPARED =
      Set.of("msg", "ansible_facts", "assertion", "evaluated_to", "failed", "changed");

  @TempDir Path dir;

  @Test
  void registeredKeysAndValuesMatchAnsible() throws Exception {
    // given what Ansible registers for each module
    Path out = dir.resolve("out");
    Files.createDirectories(out);
    Files.writeString(
        dir.resolve("pb.yml"),
        """
        - hosts: localhost
          gather_facts: false
          vars: {x: 2}
          tasks:
            - {debug: {msg: "x is {{ x }}"}, register: debug}
            - {set_fact: {a: "v{{ x }}", b: [1, 2]}, register: set_fact}
            - {assert: {that: ["x == 2"], success_msg: fine}, register: assert_ok}
            - {assert: {that: ["x == 2", "x == 3"], fail_msg: nope}, register: assert_bad, ignore_errors: true}
            - {fail: {msg: "boom {{ x }}"}, register: fail, ignore_errors: true}
            - copy: {content: "{{ lookup('vars', item) | to_json }}", dest: "OUT/{{ item }}.json"}
              loop: [debug, set_fact, assert_ok, assert_bad, fail]
        """
            .replace("OUT", out.toString()));
    Process p =
        new ProcessBuilder(
                "ansible-playbook",
                "-i",
                "localhost,",
                "-c",
                "local",
                dir.resolve("pb.yml").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("log").toFile())
            .start();
    assertTrue(p.waitFor(300, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), Files.readString(dir.resolve("log")));
    // when ours run the same calls
    TemplateEngine templates = new TemplateEngine();
    Map<String, Object> vars = new HashMap<>(Map.of("x", 2));
    ControllerModules modules = new ControllerModules(templates, d -> {});
    Map<String, ModuleOutcome> ours = new LinkedHashMap<>();
    ours.put("debug", modules.debug(args(templates, vars, Map.of("msg", "x is {{ x }}"))));
    ours.put(
        "set_fact",
        modules.setFact(args(templates, vars, Map.of("a", "v{{ x }}", "b", List.of(1, 2)))));
    ours.put(
        "assert_ok",
        modules.assertThat(
            args(templates, vars, Map.of("that", List.of("x == 2"), "success_msg", "fine")), vars));
    ours.put(
        "assert_bad",
        modules.assertThat(
            args(templates, vars, Map.of("that", List.of("x == 2", "x == 3"), "fail_msg", "nope")),
            vars));
    ours.put("fail", modules.fail(args(templates, vars, Map.of("msg", "boom {{ x }}"))));
    // then every compared key Ansible has, ours has with the same value
    for (Map.Entry<String, ModuleOutcome> e : ours.entrySet()) {
      @SuppressWarnings("unchecked")
      Map<String, Object> ansible =
          JSON.readValue(out.resolve(e.getKey() + ".json").toFile(), Map.class);
      Map<String, Object> mine =
          new LinkedHashMap<>(StepAttempt.registered(e.getValue().result(), 1));
      mine.put("changed", false);
      mine.putAll(e.getValue().fields());
      mine.put("failed", !e.getValue().result().succeeded());
      for (String key : COMPARED) {
        if (ansible.containsKey(key)) {
          assertEquals(
              JSON.valueToTree(ansible.get(key)),
              JSON.valueToTree(mine.get(key)),
              e.getKey() + "." + key + " (ours: " + mine + ")");
        }
      }
    }
  }

  private static ModuleArgs args(
      TemplateEngine templates, Map<String, Object> vars, Map<String, Object> args) {
    return new ModuleArgs(templates, args, vars);
  }
}
