package dev.orchestrator.web;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The console's HTTP API as the tests use it (java.net.http, redirects not followed): logging in
 * through the form, a session's CSRF token read from a page, calls with a session or a token, and
 * waiting for a run's status.
 *
 * @param base the console's URL, ending in {@code /}
 */
record ConsoleClient(String base) {
  static final HttpClient HTTP =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Who calls: a session (cookie and CSRF token) or a token.
   *
   * @param cookie the session cookie ({@code name=value}), or empty
   * @param csrf the session's CSRF token, or empty
   * @param token the API token, or empty
   */
  record Caller(String cookie, String csrf, String token) {
    static Caller token(String token) {
      return new Caller("", "", token);
    }

    /** The same session with another CSRF token. */
    Caller withCsrf(String other) {
      return new Caller(cookie, other, token);
    }

    HttpRequest.Builder sign(HttpRequest.Builder b, boolean withCsrf) {
      if (!cookie.isEmpty()) {
        b.header("Cookie", cookie);
      }
      if (!token.isEmpty()) {
        b.header("Authorization", "Bearer " + token);
      }
      if (withCsrf && !csrf.isEmpty()) {
        b.header("X-CSRF-Token", csrf);
      }
      return b;
    }
  }

  URI uri(String path) {
    return URI.create(base + (path.startsWith("/") ? path.substring(1) : path));
  }

  HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Posts the login form. */
  HttpResponse<String> loginForm(String name, String password) throws Exception {
    return send(
        HttpRequest.newBuilder(uri("/login"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "name="
                        + URLEncoder.encode(name, StandardCharsets.UTF_8)
                        + "&password="
                        + URLEncoder.encode(password, StandardCharsets.UTF_8))));
  }

  /** Logs in and reads the CSRF token from {@code page} (any page of the session). */
  Caller login(String name, String password, String page) throws Exception {
    HttpResponse<String> r = loginForm(name, password);
    assertEquals(302, r.statusCode(), r.body());
    String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    HttpResponse<String> html = send(HttpRequest.newBuilder(uri(page)).header("Cookie", cookie));
    assertEquals(200, html.statusCode(), html.body());
    Matcher m = Pattern.compile("name=\"csrf\" content=\"([^\"]+)\"").matcher(html.body());
    assertTrue(m.find(), html.body());
    return new Caller(cookie, m.group(1), "");
  }

  HttpResponse<String> get(Caller who, String path) throws Exception {
    return send(who.sign(HttpRequest.newBuilder(uri(path)), false));
  }

  HttpResponse<String> post(Caller who, String path, String json, boolean withCsrf)
      throws Exception {
    return send(
        who.sign(
            HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)),
            withCsrf));
  }

  JsonNode run(Caller who, String runId) throws Exception {
    HttpResponse<String> r = get(who, "/api/v1/runs/" + runId);
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  /**
   * Looks at the run until it has {@code status} (at most {@code seconds}); asserts it has.
   *
   * @param why what to show when it has not (the server's log)
   */
  JsonNode awaitStatus(Caller who, String runId, String status, int seconds, Supplier<String> why)
      throws Exception {
    AtomicReference<JsonNode> last = new AtomicReference<>();
    try {
      return await("run " + runId + " to be " + status)
          .atMost(Duration.ofSeconds(seconds))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                JsonNode run = run(who, runId);
                last.set(run);
                return run;
              },
              run -> run.get("status").asText().equals(status));
    } catch (ConditionTimeoutException timedOut) {
      throw new AssertionError(
          "run " + runId + " is not " + status + ": " + last.get() + "\n" + why.get(), timedOut);
    }
  }

  /**
   * Waits (at most {@code timeout}) until a process's log has a match for {@code pattern}, and
   * returns the match's first group; fails with the log's text if the process ends first or the
   * time runs out.
   *
   * @param what the process, as the failure message names it (e.g. "serve")
   */
  static String awaitInLog(Process p, Path log, Pattern pattern, Duration timeout, String what) {
    Optional<String> found;
    try {
      found =
          await(pattern + " in " + log)
              .atMost(timeout)
              .pollInterval(Duration.ofMillis(100))
              .until(() -> firstGroup(log, pattern), m -> m.isPresent() || !p.isAlive());
    } catch (ConditionTimeoutException timedOut) {
      throw new AssertionError(
          what + ": not seen within " + timeout + ": " + pattern + "\n" + read(log), timedOut);
    }
    return found
        .or(() -> firstGroup(log, pattern))
        .orElseThrow(() -> new AssertionError(what + " ended: " + read(log)));
  }

  private static Optional<String> firstGroup(Path log, Pattern pattern) {
    if (!java.nio.file.Files.exists(log)) {
      return Optional.empty();
    }
    Matcher m = pattern.matcher(read(log));
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** A log file's text for a failure message (or why it cannot be read). */
  static String read(java.nio.file.Path log) {
    try {
      return java.nio.file.Files.readString(log);
    } catch (IOException e) {
      return e.toString();
    }
  }
}
