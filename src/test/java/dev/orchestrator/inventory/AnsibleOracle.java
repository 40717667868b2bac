package dev.orchestrator.inventory;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Ansible as the reference the inventory tests compare with: its commands ({@code
 * ansible-inventory}, {@code ansible}) and, in one long-lived process of the Python that runs them,
 * its INI plugin's own value parser and line splitter. Where Ansible is missing, a test is skipped
 * with a message, except under {@code CI=true} ({@code .ci/run} installs Ansible), where it fails.
 */
final class AnsibleOracle implements AutoCloseable {
  private static final ObjectMapper JSON = mapper();

  /** A JSON mapper for Ansible's output, which may hold integers of thousands of digits. */
  static ObjectMapper mapper() {
    ObjectMapper m = new ObjectMapper();
    m.getFactory()
        .setStreamReadConstraints(
            com.fasterxml.jackson.core.StreamReadConstraints.builder()
                .maxNumberLength(100_000)
                .build());
    return m;
  }

  /**
   * Answers one request per line: {"op": "value" | "split" | "kv", "text": ...}. "kv" runs
   * ansible.parsing.splitter.parse_kv (its options, "_raw_params" included, or an error). "value"
   * runs the INI plugin's _parse_value and reports a JSON value, "text" (kept as text) or
   * "unrepresentable" (an exception, or a value that json cannot write); "split" runs
   * ansible.utils.shlex.shlex_split.
   */
  private static final String SCRIPT =
      """
      import json, sys
      from ansible.plugins.inventory.ini import InventoryModule
      from ansible.utils.shlex import shlex_split
      from ansible.parsing.splitter import parse_kv
      for line in sys.stdin:
          req = json.loads(line)
          text = req["text"]
          if req["op"] == "kv":
              try:
                  out = {"kind": "kv", "options": parse_kv(text)}
              except Exception as e:
                  out = {"kind": "error", "error": type(e).__name__}
          elif req["op"] == "split":
              try:
                  out = {"kind": "words", "words": list(shlex_split(text, comments=True))}
              except ValueError as e:
                  out = {"kind": "error", "error": str(e)}
          else:
              try:
                  v = InventoryModule._parse_value(text)
              except Exception as e:
                  v = e
              if isinstance(v, Exception):
                  out = {"kind": "unrepresentable"}
              elif isinstance(v, str) and v == text:
                  out = {"kind": "text"}
              else:
                  try:
                      json.dumps(v, allow_nan=False)
                      out = {"kind": "value", "value": v}
                  except (TypeError, ValueError):
                      out = {"kind": "unrepresentable"}
          try:
              print(json.dumps(out, allow_nan=False, ensure_ascii=True), flush=True)
          except (TypeError, ValueError):
              print(json.dumps({"kind": "unrepresentable"}), flush=True)
      """;

  private final Process process;
  private final PrintWriter in;
  private final BufferedReader out;

  private AnsibleOracle(Process process) {
    this.process = process;
    this.in =
        new PrintWriter(
            new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8),
            true);
    this.out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /** Skips the test where Ansible is not installed, or fails it under {@code CI=true}. */
  static void requireAnsible() {
    boolean present = commandPath("ansible-inventory").isPresent();
    String why =
        "ansible-inventory is not installed (apt-get install ansible; .ci/run installs it)";
    if ("true".equals(System.getenv("CI"))) {
      if (!present) {
        throw new AssertionError(why + ", and CI=true: the parity tests must run");
      }
      return;
    }
    assumeTrue(present, why);
  }

  /** Starts the Python that runs {@code ansible-inventory}, with Ansible's parser loaded. */
  static AnsibleOracle start() throws IOException {
    requireAnsible();
    Path inventory = commandPath("ansible-inventory").orElseThrow();
    String shebang = Files.readAllLines(inventory).get(0);
    String python = shebang.startsWith("#!") ? shebang.substring(2).strip().split("\\s+")[0] : "";
    if (python.isEmpty()) {
      python = "/usr/bin/python3";
    }
    Process p =
        new ProcessBuilder(python, "-c", SCRIPT)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    return new AnsibleOracle(p);
  }

  private static Optional<Path> commandPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** Asks the oracle; the answer's {@code kind} says what Ansible made of the text. */
  JsonNode ask(String op, String text) throws IOException {
    in.println(
        JSON.writeValueAsString(java.util.Map.of("op", op, "text", text)).replace("\n", "\\n"));
    String line = out.readLine();
    if (line == null) {
      throw new IOException("Ansible's Python stopped answering");
    }
    return JSON.readTree(line);
  }

  /**
   * Runs an Ansible command to completion.
   *
   * @return its standard output
   * @throws AssertionError naming the command and its standard error when it fails
   */
  static String run(Path dir, List<String> command) throws IOException, InterruptedException {
    return run(dir, command, java.util.Map.of());
  }

  /** Runs an Ansible command with more environment; whether it exits 0. */
  static boolean succeeds(Path dir, List<String> command, java.util.Map<String, String> env)
      throws IOException, InterruptedException {
    try {
      run(dir, command, env);
      return true;
    } catch (AssertionError e) {
      return false;
    }
  }

  private static String run(Path dir, List<String> command, java.util.Map<String, String> env)
      throws IOException, InterruptedException {
    Optional<Path> script = commandPath(command.get(0));
    if (env.isEmpty()
        && AnsibleForkServer.COMMANDS.contains(command.get(0))
        && script.isPresent()) {
      // the same command, forked from a Python that imported Ansible once (AnsibleForkServer)
      java.util.Map.Entry<Integer, String[]> r =
          AnsibleForkServer.shared(script.get()).run(dir, command, script.get());
      if (r.getKey() != 0) {
        throw new AssertionError(
            String.join(" ", command) + " failed: " + r.getValue()[0] + r.getValue()[1]);
      }
      return r.getValue()[0];
    }
    List<String> args = new ArrayList<>(command);
    Path err = Files.createTempFile("ansible", ".err");
    try {
      ProcessBuilder pb =
          new ProcessBuilder(args)
              .directory(dir.toFile())
              .redirectError(err.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      pb.environment().putAll(env);
      Process p = pb.start();
      p.getOutputStream().close();
      String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(String.join(" ", args) + " did not finish in 120 s");
      }
      if (p.exitValue() != 0) {
        throw new AssertionError(
            String.join(" ", args) + " failed: " + stdout + Files.readString(err));
      }
      return stdout;
    } finally {
      Files.deleteIfExists(err);
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process.destroy();
  }
}
