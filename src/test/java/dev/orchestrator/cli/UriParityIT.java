package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code uri} module against a real HTTP server on loopback (the JDK's {@code
 * com.sun.net.httpserver}, started by the test), from the host and delegated to the controller
 * ({@code delegate_to: localhost}), compared with real Ansible's {@code uri} ({@code
 * ansible-playbook} against {@code localhost}, ansible-core's {@code lib/ansible/modules/uri.py})
 * on the same server: for each call, the registered keys we document ({@code status}, {@code url},
 * {@code redirected}, {@code content}, {@code json}, {@code content_type}, {@code failed}, {@code
 * changed}, and {@code msg} of a success) have Ansible's values, and the requests the server saw
 * are the same.
 */
class UriParityIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Keys compared with Ansible's, where Ansible has them. */
  private static final Set<String> COMPARED =
      Set.of("status", "url", "redirected", "content", "json", "content_type", "failed", "changed");

  /** The calls, each registered under its name, as both tools write them. */
  private static final Map<String, String> CALLS = new LinkedHashMap<>();

  static {
    CALLS.put("health", "{uri: {url: 'BASE/health', return_content: true}, register: health}");
    CALLS.put("api", "{uri: {url: 'BASE/api'}, register: api}");
    CALLS.put("missing_ok", "{uri: {url: 'BASE/missing', status_code: 404}, register: missing_ok}");
    CALLS.put(
        "missing_bad", "{uri: {url: 'BASE/missing'}, register: missing_bad, ignore_errors: true}");
    CALLS.put(
        "posted",
        "{uri: {url: 'BASE/echo', method: POST, body_format: json, body: {a: 1, b: [x]},"
            + " status_code: [200, 201], return_content: true, headers: {X-Probe: probe-1}},"
            + " register: posted}");
    CALLS.put(
        "delegated",
        "{uri: {url: 'BASE/health', return_content: true}, register: delegated,"
            + " delegate_to: localhost}");
  }

  @TempDir Path dir;

  private HttpServer server;
  private final List<String> requests =
      java.util.Collections.synchronizedList(new java.util.ArrayList<>());

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/health", ex -> reply(ex, 200, "text/plain; charset=utf-8", "up\n"));
    server.createContext(
        "/api", ex -> reply(ex, 200, "application/json", "{\"version\": \"1.2\", \"ok\": true}"));
    server.createContext("/missing", ex -> reply(ex, 404, "text/plain", "nope\n"));
    server.createContext(
        "/echo",
        ex -> {
          String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          requests.add(
              ex.getRequestMethod()
                  + " "
                  + ex.getRequestHeaders().getFirst("Content-Type")
                  + " "
                  + ex.getRequestHeaders().getFirst("X-Probe")
                  + " "
                  + JSON.readTree(body));
          // the body as parsed: Python's json.dumps spaces it, ours is compact (same JSON)
          reply(ex, 201, "application/json", "{\"got\": " + JSON.readTree(body) + "}");
        });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private static void reply(HttpExchange ex, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
    ex.close();
  }

  private String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The steps saving each registered result as JSON into {@code out}. */
  private static String saves(Path out, String indent, boolean ours) {
    StringBuilder s = new StringBuilder();
    for (String name : CALLS.keySet()) {
      s.append(indent)
          .append("- {")
          .append(ours ? "id: save-" + name.replace('_', '-') + ", " : "")
          .append("copy: {content: \"{{ ")
          .append(name)
          .append(" | to_json }}\", dest: '")
          .append(out.resolve(name + ".json"))
          .append("'}}\n");
    }
    return s.toString();
  }

  @Test
  void registeredResultsMatchAnsiblesOnTheSameServer() throws Exception {
    // given Ansible's results for the calls against the server
    Path theirs = dir.resolve("theirs");
    Files.createDirectories(theirs);
    StringBuilder play = new StringBuilder("- hosts: localhost\n  gather_facts: false\n  tasks:\n");
    CALLS
        .values()
        .forEach(c -> play.append("    - ").append(c.replace("BASE", base())).append('\n'));
    play.append(saves(theirs, "    ", false));
    Files.writeString(dir.resolve("play.yml"), play);
    Process p =
        new ProcessBuilder(
                "ansible-playbook",
                "-i",
                "localhost,",
                "-c",
                "local",
                dir.resolve("play.yml").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("ansible.log").toFile())
            .start();
    assertTrue(p.waitFor(300, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), Files.readString(dir.resolve("ansible.log")));
    List<String> ansibleRequests = List.copyOf(requests);
    requests.clear();
    // when ours make the same calls from a host (connection: local) and from the controller
    Path ours = dir.resolve("ours");
    Files.createDirectories(ours);
    StringBuilder pb = new StringBuilder("steps:\n");
    CALLS.forEach(
        (name, c) ->
            pb.append("  - ")
                .append(
                    c.replace("BASE", base())
                        .replace("{uri:", "{id: " + name.replace('_', '-') + ", uri:"))
                .append('\n'));
    pb.append(saves(ours, "  ", true));
    Files.writeString(dir.resolve("pb.yml"), pb);
    Files.writeString(dir.resolve("inv.yml"), "all:\n  hosts:\n    h1:\n      connection: local\n");
    Cli.Result run =
        Cli.withLocalHome(Files.createDirectories(dir.resolve("home")))
            .run(
                "run",
                dir.resolve("pb.yml").toString(),
                "-i",
                dir.resolve("inv.yml").toString(),
                "--state-dir",
                dir.resolve("state").toString());
    // then the run succeeds, the server saw the same request, and every compared key is Ansible's
    assertEquals(0, run.exitCode(), run.out() + run.err());
    assertEquals(ansibleRequests, requests);
    for (String name : CALLS.keySet()) {
      Map<String, Object> a = read(theirs.resolve(name + ".json"));
      Map<String, Object> o = read(ours.resolve(name + ".json"));
      Map<String, Object> expected = new TreeMap<>();
      Map<String, Object> actual = new TreeMap<>();
      for (String key : COMPARED) {
        if (a.containsKey(key)) {
          expected.put(key, a.get(key));
          actual.put(key, o.get(key));
        }
      }
      if (!Boolean.TRUE.equals(a.get("failed"))) {
        expected.put("msg", a.get("msg"));
        actual.put("msg", o.get("msg"));
      }
      assertEquals(expected, actual, name + ": ours " + o + "\nAnsible's " + a);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> read(Path file) throws IOException {
    return JSON.readValue(Files.readString(file), Map.class);
  }
}
