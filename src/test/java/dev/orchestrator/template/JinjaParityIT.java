package dev.orchestrator.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Renders generated values through this engine and through Ansible's own templating ({@code
 * ansible.template.Templar}, Jinja2 with Ansible's filters and tests, in one long-lived Python
 * process) and compares: the same text, or both an error. Each template prints a non-string result
 * through {@code to_json}, as Jinjava and Jinja2 print lists and booleans differently (README,
 * "Templates").
 */
class JinjaParityIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The templates compared; {@code s}, {@code t} are strings, {@code l} a list of strings. */
  static final List<String> TEMPLATES =
      List.of(
          "{{ s.split() | to_json }}",
          "{{ s.split(t) | to_json }}",
          "{{ s.split(t, 1) | to_json }}",
          "{{ s.split(none, 1) | to_json }}",
          "{{ s.rsplit(t, 1) | to_json }}",
          "{{ s.rsplit(none, 1) | to_json }}",
          "{{ s.splitlines() | to_json }}",
          "<{{ s.strip() }}>",
          "<{{ s.strip(t) }}>",
          "<{{ s.lstrip(t) }}>",
          "<{{ s.rstrip() }}>",
          "{{ s.find(t) }} {{ s.rfind(t) }} {{ s.count(t) }} {{ s.find(t, 2) }}",
          "<{{ s.replace(t, 'X') }}> <{{ s.replace(t, '', 1) }}>",
          "{{ s.startswith(t) | to_json }} {{ s.endswith(t) | to_json }}",
          "<{{ s.lower() }}|{{ s.upper() }}|{{ s.title() }}|{{ s.capitalize() }}>",
          "{{ [s.isdigit(), s.isalpha(), s.isspace(), s.islower(), s.isupper()] | to_json }}",
          "<{{ '{}-{}'.format(s, t) }}> <{{ '{1}{0}'.format(s, 7) }}>",
          "<{{ t.join(l) }}> <{{ l | join(t) }}>",
          "<{{ s | default('D', true) }}> <{{ nope | default(s) }}>",
          "{{ l | map('upper') | list | to_json }} {{ l | unique | to_json }}",
          "{{ l | select | list | to_json }} {{ l | reject('match', t) | list | to_json }}",
          "{{ l | select('search', t) | list | to_json }} {{ l | reject | list | to_json }}",
          "{{ l | sort | to_json }} {{ l | length }}",
          "{{ [l, [s, [t]]] | flatten | to_json }} {{ [l, [s, [t]]] | flatten(1) | to_json }}",
          "{{ {'a': s, 'b': l} | dict2items | to_json }}",
          "{{ {'a': s} | combine({'b': t}, {'a': l}) | to_json }}",
          "{{ {'a': {'x': s} } | combine({'a': {'y': t} }, recursive=true) | to_nice_json }}",
          "{{ ((s | to_json | from_json) == s) | to_json }} {{ l | to_json | from_json | to_json }}",
          "<{{ s | regex_replace('[a-c]+', 'Z') }}> <{{ s | regex_replace('(\\w)(\\s)', '\\2\\1') }}>",
          "<{{ s | regex_search('[0-9.]+') or 'none' }}>",
          "{{ s | regex_findall('[a-z]') | to_json }}",
          "<{{ s | b64encode }}> {{ ((s | b64encode | b64decode) == s) | to_json }}",
          "<{{ s | basename }}> <{{ s | dirname }}>",
          "{{ s | bool | to_json }} {{ s | int }} {{ t | int(7) }}",
          "{{ (s is match('[a-c]')) | to_json }} {{ (s is search(t | regex_escape)) | to_json }}",
          "{{ (s is version(t, '<')) | to_json }} {{ (s is version(t, 'ge')) | to_json }}",
          "{{ [r is succeeded, r is failed, r is changed, r is skipped] | to_json }}");

  private static Process oracle;
  private static PrintWriter toOracle;
  private static BufferedReader fromOracle;

  private final TemplateEngine engine = new TemplateEngine();

  @Provide
  Arbitrary<String> text() {
    return Arbitraries.of(
            "a", "b", "c", "A", "1", "0", ".", ",", " ", "\t", "\n", "/", "-", "_", "é", "x", "9",
            "yes", "on", "1.2", "10", "-3", "  ", "ab", "/usr/", "1_0")
        .list()
        .ofMaxSize(6)
        .map(parts -> String.join("", parts));
  }

  @Property(tries = 150)
  void everyTemplateRendersAsAnsibleRendersIt(
      @ForAll("text") String s,
      @ForAll("text") String t,
      @ForAll("text") String a,
      @ForAll("text") String b)
      throws IOException {
    // given generated strings and a list of them
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("s", s);
    vars.put("t", t);
    vars.put("l", List.of(a, b, s));
    vars.put("r", Map.of("failed", s.equals(t), "changed", true));

    for (String template : TEMPLATES) {
      // when both engines render the template
      String ours;
      try {
        ours = "text:" + engine.render(template, vars);
      } catch (TemplateException e) {
        ours = "error";
      }
      JsonNode answer = ask(template, vars);
      String theirs =
          answer.get("kind").asText().equals("text")
              ? "text:" + answer.get("text").asText()
              : "error";

      // then they agree
      assertEquals(theirs, ours, template + " with " + JSON.writeValueAsString(vars));
    }
  }

  private static final String SCRIPT =
      """
      import json, sys
      from ansible.template import Templar
      from ansible.parsing.dataloader import DataLoader
      loader = DataLoader()
      for line in sys.stdin:
          req = json.loads(line)
          try:
              t = Templar(loader=loader, variables=req["vars"])
              out = {"kind": "text", "text": str(t.template(req["template"]))}
          except Exception as e:
              out = {"kind": "error", "error": type(e).__name__ + ": " + str(e)}
          print(json.dumps(out), flush=True)
      """;

  private static synchronized JsonNode ask(String template, Map<String, Object> vars)
      throws IOException {
    if (oracle == null) {
      start();
    }
    toOracle.println(JSON.writeValueAsString(Map.of("template", template, "vars", vars)));
    String line = fromOracle.readLine();
    if (line == null) {
      throw new IOException("Ansible's Python stopped answering");
    }
    return JSON.readTree(line);
  }

  private static void start() throws IOException {
    Path playbook = Path.of("/usr/bin/ansible-playbook");
    boolean present = Files.isExecutable(playbook);
    if ("true".equals(System.getenv("CI")) && !present) {
      throw new AssertionError("ansible-playbook is not installed, and CI=true: parity must run");
    }
    assumeTrue(present, "ansible-playbook is not installed (.ci/run installs it)");
    String shebang = Files.readAllLines(playbook).get(0);
    String python = shebang.startsWith("#!") ? shebang.substring(2).strip().split("\\s+")[0] : "";
    oracle =
        new ProcessBuilder(python.isEmpty() ? "/usr/bin/python3" : python, "-c", SCRIPT)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    toOracle =
        new PrintWriter(
            new java.io.OutputStreamWriter(oracle.getOutputStream(), StandardCharsets.UTF_8), true);
    fromOracle =
        new BufferedReader(new InputStreamReader(oracle.getInputStream(), StandardCharsets.UTF_8));
  }

  @AfterContainer
  static void stop() {
    if (oracle != null) {
      toOracle.close();
      oracle.destroy();
      oracle = null;
    }
  }
}
