package dev.orchestrator.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web console's API and security over real HTTP (Javalin on Jetty, java.net.http as the client)
 * on a real stored run paused at an approval gate: who may do what (401, 403), CSRF, cookies, the
 * login rate limit, and an approval that lets the run finish, recorded with who and from where.
 */
class WebConsoleIT {
  /** A logged-in user: the session cookie and the CSRF token its pages carry. */
  @TempDir Path dir;

  ConsoleFixture f;
  final HttpClient http =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeEach
  void start() throws IOException {
    f = new ConsoleFixture(dir);
  }

  @AfterEach
  void stop() {
    if (f != null) {
      f.close();
    }
  }

  ConsoleClient client() {
    return new ConsoleClient(f.console.url());
  }

  HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
    return client().send(b);
  }

  HttpResponse<String> loginResponse(String name, String password) throws Exception {
    return client().loginForm(name, password);
  }

  ConsoleClient.Caller login(String name) throws Exception {
    return client().login(name, ConsoleFixture.PASSWORD, "/runs/" + f.runId);
  }

  HttpResponse<String> post(ConsoleClient.Caller who, String path, String body, boolean withCsrf)
      throws Exception {
    return client().post(who, path, body, withCsrf);
  }

  JsonNode run(ConsoleClient.Caller who) throws Exception {
    return client().run(who, f.runId);
  }

  @Test
  void anonymousCallersGet401AndPagesSendThemToTheLogin() throws Exception {
    HttpResponse<String> api = send(HttpRequest.newBuilder(URI.create(f.url("/api/v1/runs"))));
    assertEquals(401, api.statusCode());
    assertTrue(api.body().contains("log in first"), api.body());
    HttpResponse<String> approve =
        send(
            HttpRequest.newBuilder(URI.create(f.url("/api/v1/runs/" + f.runId + "/approve")))
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
    assertEquals(401, approve.statusCode());
    HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(f.url("/"))));
    assertEquals(302, page.statusCode());
    assertEquals("/login", page.headers().firstValue("Location").orElseThrow());
    HttpResponse<String> badToken =
        send(
            HttpRequest.newBuilder(URI.create(f.url("/api/v1/runs")))
                .header("Authorization", "Bearer alice.not-the-token"));
    assertEquals(401, badToken.statusCode());
  }

  @Test
  void aTokenGivesCiTheApiAndNeedsNoCsrf() throws Exception {
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(URI.create(f.url("/api/v1/runs")))
                .header("Authorization", "Bearer " + f.token));
    assertEquals(200, r.statusCode(), r.body());
    JsonNode runs = JSON.readTree(r.body()).get("runs");
    assertEquals(f.runId, runs.get(0).get("id").asText());
    assertEquals("paused", runs.get(0).get("status").asText());
    assertEquals(ConsoleFixture.STARTER, runs.get(0).get("started_by").asText());
    assertEquals(1, runs.get(0).get("hosts_started").asInt(), "QA's one host has run");
    assertEquals(1, runs.get(0).get("hosts_done").asInt(), "and is done");
  }

  @Test
  void theSessionCookieIsHttpOnlyAndStrictAndAWrongPasswordIsRefused() throws Exception {
    HttpResponse<String> r = loginResponse("alice", ConsoleFixture.PASSWORD);
    String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
    assertTrue(cookie.contains("HttpOnly"), cookie);
    assertTrue(cookie.contains("SameSite=Strict"), cookie);
    assertFalse(cookie.contains("Secure"), "loopback: no Secure flag, " + cookie);
    HttpResponse<String> wrong = loginResponse("alice", "not her password");
    assertEquals(401, wrong.statusCode());
    assertTrue(wrong.headers().firstValue("Set-Cookie").isEmpty());
    HttpResponse<String> unknown = loginResponse("mallory", ConsoleFixture.PASSWORD);
    assertEquals(401, unknown.statusCode());
  }

  @Test
  void afterLogoutTheSessionIsGone() throws Exception {
    ConsoleClient.Caller alice = login("alice");
    assertEquals(200, client().get(alice, "/api/v1/me").statusCode());
    HttpResponse<String> out =
        send(
            HttpRequest.newBuilder(URI.create(f.url("/logout")))
                .header("Cookie", alice.cookie())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "csrf="
                            + java.net.URLEncoder.encode(alice.csrf(), StandardCharsets.UTF_8))));
    assertEquals(302, out.statusCode(), out.body());
    assertEquals(401, client().get(alice, "/api/v1/me").statusCode(), "the old cookie is dead");
  }

  @Test
  void loginsAreRateLimitedPerAddress() throws Exception {
    int refused = 0;
    int limited = 0;
    for (int i = 0; i < 12; i++) {
      int code = loginResponse("alice", "guess " + i).statusCode();
      if (code == 401) {
        refused++;
      } else if (code == 429) {
        limited++;
      }
    }
    assertEquals(10, refused, "ten tries a minute");
    assertEquals(2, limited, "then 429 Too Many Requests");
  }

  @Test
  void aViewerCannotApproveAndSeesWhy() throws Exception {
    ConsoleClient.Caller vera = login("vera");
    JsonNode run = run(vera);
    assertFalse(run.get("may").get("approve").asBoolean());
    assertFalse(run.get("may").get("resume").asBoolean());
    HttpResponse<String> r = post(vera, "/api/v1/runs/" + f.runId + "/approve", "{}", true);
    assertEquals(403, r.statusCode(), r.body());
    assertEquals("paused", run(vera).get("status").asText());
    HttpResponse<String> resume = post(vera, "/api/v1/runs/" + f.runId + "/resume", "{}", true);
    assertEquals(403, resume.statusCode(), resume.body());
  }

  @Test
  void theStarterCannotApproveADistinctFromStarterGateOnTheWebNorOnTheCli() throws Exception {
    ConsoleClient.Caller starter = login(ConsoleFixture.STARTER);
    JsonNode gate = run(starter).get("waiting_approvals").get(0);
    assertFalse(gate.get("may_approve").asBoolean());
    assertTrue(gate.get("why_not").asText().contains("distinct_from_starter"));
    HttpResponse<String> r = post(starter, "/api/v1/runs/" + f.runId + "/approve", "{}", true);
    assertEquals(403, r.statusCode(), r.body());
    assertTrue(r.body().contains("someone other than " + ConsoleFixture.STARTER), r.body());
    var cli = f.cli.run("approve", f.runId, "--state-dir", f.state.toString());
    assertEquals(4, cli.exitCode(), cli.out() + cli.err());
    assertTrue(cli.err().contains("distinct_from_starter"), cli.err());
  }

  @Test
  void aPostWithoutTheCsrfTokenIsRefused() throws Exception {
    ConsoleClient.Caller alice = login("alice");
    HttpResponse<String> none = post(alice, "/api/v1/runs/" + f.runId + "/approve", "{}", false);
    assertEquals(403, none.statusCode(), none.body());
    assertTrue(none.body().contains("CSRF"), none.body());
    ConsoleClient.Caller forged = alice.withCsrf("forged");
    assertEquals(
        403, post(forged, "/api/v1/runs/" + f.runId + "/approve", "{}", true).statusCode());
    assertEquals("paused", run(alice).get("status").asText());
  }

  @Test
  void anApprovalByAliceLetsTheRunFinishAndIsRecordedWithWhoAndWhere() throws Exception {
    ConsoleClient.Caller alice = login("alice");
    HttpResponse<String> r =
        post(
            alice,
            "/api/v1/runs/" + f.runId + "/approve",
            "{\"comment\":\"QA checked by hand\"}",
            true);
    assertEquals(202, r.statusCode(), r.body());
    JsonNode run = waitForStatus(alice, "succeeded");
    assertEquals(3, run.get("hosts").size());
    for (JsonNode h : run.get("hosts")) {
      assertEquals("succeeded", h.get("steps").get("done").get("status").asText(), h.toString());
    }
    String events =
        Files.readString(f.state.resolve("runs").resolve(f.runId).resolve("events.jsonl"));
    assertTrue(
        events.contains(
            "\"action\":\"approve\",\"by\":\"alice (web console, from 127.0.0.1)\","
                + "\"detail\":\"production/before/0: QA checked by hand\""),
        events);
    String journal =
        Files.readString(f.state.resolve("runs").resolve(f.runId).resolve("journal.jsonl"));
    assertTrue(journal.contains("approved by alice (web console, from 127.0.0.1)"), journal);
    HttpResponse<String> report =
        send(
            HttpRequest.newBuilder(URI.create(f.url("/runs/" + f.runId + "/report")))
                .header("Cookie", alice.cookie()));
    assertEquals(200, report.statusCode());
    assertTrue(
        report.body().contains("approve by alice (web console, from 127.0.0.1)"),
        "the report's timeline shows who approved");
    assertTrue(
        report.headers().firstValue("Content-Security-Policy").orElse("").startsWith("sandbox"),
        "the report is sandboxed");
  }

  @Test
  void theEventStreamSendsTheStoredEventsWithIds() throws Exception {
    ConsoleClient.Caller alice = login("alice");
    HttpResponse<java.io.InputStream> r =
        http.send(
            HttpRequest.newBuilder(URI.create(f.url("/api/v1/runs/" + f.runId + "/events")))
                .header("Cookie", alice.cookie())
                .header("Accept", "text/event-stream")
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, r.statusCode());
    assertTrue(
        r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"),
        r.headers().map().toString());
    try (var in =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      String first = null;
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("data: ")) {
          first = line.substring(6);
          break;
        }
      }
      assertTrue(first != null && first.contains("\"event\":\"run_started\""), first);
    }
  }

  @Test
  void unknownRunsAndHostileNamesGetClearErrorsNotFiles() throws Exception {
    ConsoleClient.Caller alice = login("alice");
    HttpResponse<String> none =
        send(
            HttpRequest.newBuilder(URI.create(f.url("/api/v1/runs/20990101-000000-none-0000")))
                .header("Cookie", alice.cookie()));
    assertEquals(404, none.statusCode(), none.body());
    assertTrue(none.body().contains("there is no run"), none.body());
    HttpResponse<String> traversal =
        send(
            HttpRequest.newBuilder(
                    URI.create(
                        f.url(
                            "/api/v1/runs/"
                                + f.runId
                                + "/log?name=..%2F..%2F..%2Fusers.yml&offset=0")))
                .header("Cookie", alice.cookie()));
    assertEquals(400, traversal.statusCode(), traversal.body());
    HttpResponse<String> badId =
        send(
            HttpRequest.newBuilder(URI.create(f.url("/api/v1/runs/..%2Fusers.yml")))
                .header("Cookie", alice.cookie()));
    assertTrue(
        badId.statusCode() == 400 || badId.statusCode() == 404,
        badId.statusCode() + " " + badId.body());
    assertFalse(badId.body().contains("$argon2"), "no file is served by a name");
    HttpResponse<String> events =
        send(
            HttpRequest.newBuilder(
                    URI.create(f.url("/api/v1/runs/20990101-000000-none-0000/events")))
                .header("Cookie", alice.cookie())
                .header("Accept", "text/event-stream"));
    assertEquals(404, events.statusCode(), events.body());
    HttpResponse<String> notJson = post(alice, "/api/v1/runs/" + f.runId + "/approve", "[1]", true);
    assertEquals(400, notJson.statusCode(), notJson.body());
  }

  @Test
  void anOperatorPlansOnTheControllerAndAViewerMayNot() throws Exception {
    ConsoleClient.Caller oscar = login("oscar");
    String form =
        "csrf="
            + java.net.URLEncoder.encode(oscar.csrf(), StandardCharsets.UTF_8)
            + "&playbook="
            + java.net.URLEncoder.encode(
                f.root.resolve("console.yml").toString(), StandardCharsets.UTF_8)
            + "&inventory="
            + java.net.URLEncoder.encode(
                f.root.resolve("inventory.yml").toString(), StandardCharsets.UTF_8);
    HttpResponse<String> plan =
        send(
            HttpRequest.newBuilder(URI.create(f.url("/plan")))
                .header("Cookie", oscar.cookie())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    assertEquals(200, plan.statusCode(), plan.body());
    assertTrue(plan.body().contains("stage production"), plan.body());
    assertTrue(plan.body().contains("&lt;img/src=x/onerror=alert(1)&gt;"), "escaped host name");
    assertFalse(plan.body().contains(ConsoleFixture.HOSTILE_HOST), "never raw");
    ConsoleClient.Caller vera = login("vera");
    HttpResponse<String> refused =
        send(
            HttpRequest.newBuilder(URI.create(f.url("/plan")))
                .header("Cookie", vera.cookie())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        form.replace(
                            java.net.URLEncoder.encode(oscar.csrf(), StandardCharsets.UTF_8),
                            java.net.URLEncoder.encode(vera.csrf(), StandardCharsets.UTF_8)))));
    assertEquals(403, refused.statusCode());
    assertFalse(refused.body().contains("stage production"));
  }

  private JsonNode waitForStatus(ConsoleClient.Caller who, String status) throws Exception {
    return client().awaitStatus(who, f.runId, status, 60, f.serverLog::toString);
  }
}
