package dev.orchestrator.inventory;

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
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * {@link KeyValues} reads {@code k=v} arguments as ansible-core's own {@code parse_kv} does: the
 * same text is given to both, on texts made of the characters that matter (quotes, {@code =},
 * backslashes, spaces, newlines, Jinja2 delimiters), and both must give the same arguments or both
 * refuse it.
 */
class KeyValuesCheckRawParityIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SCRIPT =
      String.join(
          "\n",
          "import sys, json",
          "from ansible.parsing.splitter import parse_kv",
          "for line in sys.stdin:",
          "    q = json.loads(line)",
          "    try:",
          "        print(json.dumps({'ok': parse_kv(q['text'], check_raw=q['raw'])}), flush=True)",
          "    except Exception as e:",
          "        print(json.dumps({'error': type(e).__name__}), flush=True)");

  private static Process python;
  private static PrintWriter in;
  private static BufferedReader out;

  @BeforeContainer
  static void start() throws IOException {
    Optional<Path> playbook = command("ansible-playbook");
    if (!"true".equals(System.getenv("CI"))) {
      assumeTrue(playbook.isPresent(), "ansible-playbook is not installed");
    }
    String shebang = Files.readAllLines(playbook.orElseThrow()).get(0);
    String interpreter =
        shebang.startsWith("#!") ? shebang.substring(2).strip().split("\\s+")[0] : "python3";
    python =
        new ProcessBuilder(interpreter, "-c", SCRIPT)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    in =
        new PrintWriter(
            new java.io.OutputStreamWriter(python.getOutputStream(), StandardCharsets.UTF_8), true);
    out =
        new BufferedReader(new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8));
  }

  @AfterContainer
  static void stop() {
    if (python != null) {
      python.destroy();
    }
  }

  private static Optional<Path> command(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.of(
            List.of(
                "a", "b", "k", "=", " ", "  ", "\"", "'", "\\", "\\=", "\\n", "\n", "{{", "}}",
                "{%", "%}", "{#", "#}", "creates", "chdir=", "é", "x y", "\\u00e9", "\\x41"))
        .list()
        .ofMinSize(1)
        .ofMaxSize(12)
        .map(parts -> String.join("", parts));
  }

  @Property(tries = 400)
  void ourReadingEqualsAnsibles(@ForAll("texts") String text, @ForAll boolean raw)
      throws IOException {
    // given what Ansible makes of the text
    in.println(JSON.writeValueAsString(Map.of("text", text, "raw", raw)));
    JsonNode ansible = JSON.readTree(out.readLine());

    // when we read it
    String ours;
    try {
      KeyValues.Parsed parsed = KeyValues.parse(text, raw);
      Map<String, String> all = new LinkedHashMap<>(parsed.options());
      if (!parsed.rawParams().isEmpty()) {
        all.put("_raw_params", KeyValues.join(parsed.rawParams()));
      }
      ours = JSON.writeValueAsString(new java.util.TreeMap<>(all));
    } catch (dev.orchestrator.common.InputException refused) {
      ours = "refused";
    }

    // then it is the same
    String theirs =
        ansible.has("ok")
            ? JSON.writeValueAsString(
                new java.util.TreeMap<>(JSON.convertValue(ansible.get("ok"), Map.class)))
            : "refused";
    assertEquals(theirs, ours, "for " + JSON.writeValueAsString(text) + " raw=" + raw);
  }
}
