package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Ansible's own {@code lineinfile}, {@code blockinfile} and {@code replace} modules as the oracle
 * of our controller-side versions: one long-lived process of the Python that runs {@code ansible}
 * calls each module's {@code main()} on a temporary file ({@code
 * src/test/resources/oracles/text_modules.py}). Where Ansible is missing a test is skipped, except
 * under {@code CI=true}, where it fails.
 */
final class TextModuleOracle implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final PrintWriter in;
  private final BufferedReader out;

  private TextModuleOracle(Process process) {
    this.process = process;
    this.in =
        new PrintWriter(
            new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8),
            true);
    this.out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /** What Ansible's module did: its result and the file's bytes after it (empty: no file). */
  record Answer(JsonNode result, Optional<byte[]> content) {}

  /** Starts the oracle, or skips the test when Ansible is not installed. */
  static TextModuleOracle start() throws IOException {
    Optional<Path> ansible = command("ansible");
    if ("true".equals(System.getenv("CI"))) {
      if (ansible.isEmpty()) {
        throw new AssertionError("ansible is not installed, and CI=true: the oracle must run");
      }
    }
    assumeTrue(ansible.isPresent(), "ansible is not installed (apt-get install ansible)");
    String shebang = Files.readAllLines(ansible.get()).get(0);
    String python = shebang.startsWith("#!") ? shebang.substring(2).strip().split("\\s+")[0] : "";
    String script;
    try (InputStream s = TextModuleOracle.class.getResourceAsStream("/oracles/text_modules.py")) {
      script = new String(s.readAllBytes(), StandardCharsets.UTF_8);
    }
    Process p =
        new ProcessBuilder(python.isEmpty() ? "/usr/bin/python3" : python, "-c", script)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    return new TextModuleOracle(p);
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

  /**
   * Runs {@code module} with {@code args} (path added) on a file holding {@code content} (empty: no
   * file).
   */
  Answer ask(String module, Map<String, Object> args, Optional<byte[]> content) throws IOException {
    Map<String, Object> req = new LinkedHashMap<>();
    req.put("module", module);
    req.put("args", args);
    req.put("content", content.map(c -> Base64.getEncoder().encodeToString(c)).orElse(null));
    in.println(JSON.writeValueAsString(req));
    String line = out.readLine();
    if (line == null) {
      throw new IOException("Ansible's Python stopped answering");
    }
    JsonNode answer = JSON.readTree(line);
    JsonNode c = answer.get("content");
    return new Answer(
        answer.get("result"),
        c == null || c.isNull()
            ? Optional.empty()
            : Optional.of(Base64.getDecoder().decode(c.asText())));
  }

  @Override
  public void close() {
    in.close();
    process.destroy();
  }
}
