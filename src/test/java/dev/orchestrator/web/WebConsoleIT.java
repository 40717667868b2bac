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
import java.util.List;
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
  void aMisspeltFieldInAnActionsBodyIsA400NamingItAndNothingIsDone() throws Exception {
    // given a run paused at an approval gate, an approver and an operator
    ConsoleClient.Caller alice = login("alice");
    ConsoleClient.Caller oscar =
        client().login("oscar", ConsoleFixture.PASSWORD, "/runs/" + f.runId);
    String status = run(alice).path("status").asText();
    // when each action is posted with a misspelt field
    for (String[] c :
        new String[][] {
          {"approve", "{\"coment\": \"ok\"}", "coment", "comment, stage, no_resume"},
          {"reject", "{\"reason\": \"no\"}", "reason", "comment"},
          {"resume", "{\"retry_faild\": true}", "retry_faild", "retry_failed, decision"},
          {"abort", "{\"rollbak\": true}", "rollbak", "rollback"},
        }) {
      ConsoleClient.Caller who = c[0].equals("approve") || c[0].equals("reject") ? alice : oscar;
      HttpResponse<String> r = post(who, "/api/v1/runs/" + f.runId + "/" + c[0], c[1], true);
      // then it is refused with the field and the ones the call takes
      assertEquals(400, r.statusCode(), c[0] + ": " + r.body());
      JsonNode error = JSON.readTree(r.body());
      assertEquals("unknown field '" + c[2] + "' in the body", error.path("error").asText(), c[0]);
      assertTrue(error.path("hint").asText().contains(c[3]), c[0] + ": " + r.body());
    }
    HttpResponse<String> wrongType =
        post(oscar, "/api/v1/runs/" + f.runId + "/abort", "{\"rollback\": \"yes\"}", true);
    assertEquals(400, wrongType.statusCode(), wrongType.body());
    assertTrue(wrongType.body().contains("'rollback' must be true or false"), wrongType.body());
    // and the run is as it was: nothing was approved, rejected, resumed or aborted
    assertEquals(status, run(alice).path("status").asText());
  }

  @Test
  void aVeryLongRunIdIsNotEchoedInFull() throws Exception {
    ConsoleClient.Caller alice = login("alice");
    String id = "r" + "x".repeat(4999);
    HttpResponse<String> r = client().get(alice, "/api/v1/runs/" + id);
    assertEquals(
        400, r.statusCode(), r.body().length() > 600 ? r.body().substring(0, 600) : r.body());
    assertTrue(r.body().length() < 1000, "bounded: " + r.body().length() + " characters");
    assertTrue(r.body().contains("(5000 characters)"), r.body());
  }

  private HttpResponse<String> planForm(ConsoleClient.Caller who, String fields) throws Exception {
    return send(
        HttpRequest.newBuilder(URI.create(f.url("/plan")))
            .header("Cookie", who.cookie())
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "csrf="
                        + java.net.URLEncoder.encode(who.csrf(), StandardCharsets.UTF_8)
                        + "&"
                        + fields)));
  }

  private static String enc(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void anOperatorPlansAChoiceOfTheAdminsFoldersAndAViewerMayNot() throws Exception {
    // given: besides the playbook and inventory, the ops folder holds a link out of it and a
    // hidden .env; the console's users file is in the folder above
    Files.createSymbolicLink(f.ops.resolve("escape.yml"), f.users);
    Files.writeString(f.ops.resolve(".env"), "DB_PASSWORD=hunter2\n");
    ConsoleClient.Caller oscar = login("oscar");
    // when oscar opens the form, then it offers the folder's two files and the stored run, only
    HttpResponse<String> form = client().get(oscar, "/plan");
    assertEquals(200, form.statusCode(), form.body());
    assertTrue(form.body().contains("<option value=\"console.yml\""), form.body());
    assertTrue(form.body().contains("<option value=\"inventory.yml\""), form.body());
    assertTrue(form.body().contains("<option value=\"" + f.runId + "\""), form.body());
    assertFalse(form.body().contains("escape.yml"), "a link out of the folder is not offered");
    assertFalse(form.body().contains(".env"), "hidden files are not offered");
    assertFalse(form.body().contains(f.ops.toString()), "no controller path on the page");
    // when oscar plans a choice, then the plan shows, host names escaped
    HttpResponse<String> plan = planForm(oscar, "playbook=console.yml&inventory=inventory.yml");
    assertEquals(200, plan.statusCode(), plan.body());
    assertTrue(plan.body().contains("stage production"), plan.body());
    assertTrue(plan.body().contains("&lt;img/src=x/onerror=alert(1)&gt;"), "escaped host name");
    assertFalse(plan.body().contains(ConsoleFixture.HOSTILE_HOST), "never raw");
    // and a stored run's rest plans too
    HttpResponse<String> rest = planForm(oscar, "run=" + enc(f.runId));
    assertEquals(200, rest.statusCode(), rest.body());
    assertTrue(rest.body().contains("what is left of run " + f.runId), rest.body());
    assertTrue(rest.body().contains("stage production"), rest.body());
    ConsoleClient.Caller vera = login("vera");
    assertEquals(403, client().get(vera, "/plan").statusCode(), "a viewer gets no form");
    HttpResponse<String> refused = planForm(vera, "playbook=console.yml&inventory=inventory.yml");
    assertEquals(403, refused.statusCode());
    assertFalse(refused.body().contains("stage production"));
  }

  @Test
  void thePlanFormNeverReadsAPathFromTheRequestNorShowsAFilesText() throws Exception {
    Files.createSymbolicLink(f.ops.resolve("escape.yml"), f.users);
    Files.writeString(f.ops.resolve("broken.ini"), "[SECRET_LINE_42\n");
    Files.writeString(
        f.ops.resolve("odd.yml"),
        "all:\n  SECRET_LINE_43: {x: 1}\n  children:\n"
            + "    qa: {hosts: {q1: {ansible_connection: local}}}\n"
            + "    production: {hosts: {p2: {ansible_connection: local}}}\n");
    Files.createDirectories(f.ops.resolve("group_vars/all"));
    Files.writeString(f.ops.resolve("group_vars/all/vault.yml"), "db_password: hunter2\n");
    ConsoleClient.Caller oscar = login("oscar");
    String users = Files.readString(f.users);
    String hashPart = users.substring(users.indexOf("$argon2"), users.indexOf("$argon2") + 30);
    for (String attack :
        List.of(
            "playbook="
                + enc(f.ops.resolve("console.yml").toString())
                + "&inventory="
                + enc("/etc/passwd"),
            "playbook=console.yml&inventory=" + enc(f.users.toString()),
            "playbook=console.yml&inventory=" + enc("../users.yml"),
            "playbook=console.yml&inventory=escape.yml",
            "run=" + enc("../../users.yml"))) {
      HttpResponse<String> r = planForm(oscar, attack);
      assertEquals(400, r.statusCode(), attack + ": " + r.body());
      assertFalse(r.body().contains("root:x:0"), attack);
      assertFalse(r.body().contains(hashPart), attack);
      assertTrue(r.body().contains("not one the console offers"), r.body());
      assertFalse(r.body().contains("--inventorys"), r.body());
    }
    // a file the form offers but cannot plan: where, never its text
    HttpResponse<String> broken = planForm(oscar, "playbook=console.yml&inventory=broken.ini");
    assertEquals(200, broken.statusCode(), broken.body());
    assertTrue(
        broken
            .body()
            .contains(
                "cannot plan playbook console.yml with inventory broken.ini (at broken.ini line 1"),
        broken.body());
    assertFalse(broken.body().contains("SECRET_LINE_42"), broken.body());
    assertTrue(f.serverLog.toString().contains("SECRET_LINE_42"), "the admin's terminal says why");
    // a warning quoting a file is said as where, too; folders of variables are never offered
    HttpResponse<String> odd = planForm(oscar, "playbook=console.yml&inventory=odd.yml");
    assertEquals(200, odd.statusCode(), odd.body());
    assertTrue(odd.body().contains("warning (at odd.yml line 2, column 3)"), odd.body());
    assertFalse(odd.body().contains("SECRET_LINE_43"), odd.body());
    HttpResponse<String> form = client().get(oscar, "/plan");
    assertFalse(form.body().contains("vault.yml"), "group_vars are not offered");
    assertEquals(
        400,
        planForm(oscar, "playbook=console.yml&inventory=" + enc("group_vars/all/vault.yml"))
            .statusCode());
  }

  @Test
  void aLoginPostedFromAnotherSiteIsRefused() throws Exception {
    String form = "name=alice&password=" + enc(ConsoleFixture.PASSWORD);
    for (String origin : List.of("https://evil.example", "null", "http://127.0.0.1:1")) {
      HttpResponse<String> r =
          send(
              HttpRequest.newBuilder(URI.create(f.url("/login")))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .header("Origin", origin)
                  .POST(HttpRequest.BodyPublishers.ofString(form)));
      assertEquals(403, r.statusCode(), origin + ": " + r.body());
      assertTrue(r.body().contains("from another site"), r.body());
      assertTrue(r.headers().firstValue("Set-Cookie").isEmpty(), "no session");
    }
    HttpResponse<String> same =
        send(
            HttpRequest.newBuilder(URI.create(f.url("/login")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", f.console.url().replaceAll("/$", ""))
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    assertEquals(302, same.statusCode(), same.body());
  }

  @Test
  void aBadLastEventIdIsA400AndAnUnknownRunNamesNoPathNorOtherRuns() throws Exception {
    ConsoleClient.Caller alice = login("alice");
    for (String id : List.of("abc", "-1", "1e3", "99999999999")) {
      HttpResponse<String> r =
          send(
              HttpRequest.newBuilder(URI.create(f.url("/api/v1/runs/" + f.runId + "/events")))
                  .header("Cookie", alice.cookie())
                  .header("Accept", "text/event-stream")
                  .header("Last-Event-ID", id));
      assertEquals(400, r.statusCode(), id + ": " + r.body());
      assertTrue(r.body().contains("Last-Event-ID"), r.body());
    }
    String near = f.runId.substring(0, f.runId.length() - 1) + "x";
    HttpResponse<String> none = client().get(alice, "/api/v1/runs/" + near);
    assertEquals(404, none.statusCode(), none.body());
    assertTrue(none.body().contains("there is no run '" + near + "'"), none.body());
    assertTrue(none.body().contains("GET /api/v1/runs"), none.body());
    assertFalse(none.body().contains(f.state.toString()), "no store path: " + none.body());
    assertFalse(none.body().contains(f.runId), "no other run's id: " + none.body());
  }

  @Test
  void wrongTokensCountTowardTheLoginLimitAndAGoodOneIsNotCounted() throws Exception {
    for (int i = 0; i < 20; i++) {
      assertEquals(
          200, client().get(ConsoleClient.Caller.token(f.token), "/api/v1/me").statusCode());
    }
    for (int i = 0; i < LoginLimits.PER_MINUTE; i++) {
      HttpResponse<String> r =
          client().get(ConsoleClient.Caller.token("alice.guess" + i), "/api/v1/me");
      assertEquals(401, r.statusCode(), r.body());
    }
    HttpResponse<String> limited =
        client().get(ConsoleClient.Caller.token("nobody.guess"), "/api/v1/me");
    assertEquals(429, limited.statusCode(), limited.body());
    HttpResponse<String> login = loginResponse("alice", ConsoleFixture.PASSWORD);
    assertEquals(429, login.statusCode(), "the same allowance as logins");
  }

  @Test
  void anAddressThisMachineLacksIsNotBlamedOnAnotherProgram() throws Exception {
    dev.orchestrator.common.InputException absent =
        org.junit.jupiter.api.Assertions.assertThrows(
            dev.orchestrator.common.InputException.class, () -> startOn("192.0.2.1", 0));
    assertTrue(
        absent.getMessage().contains("this machine has no address 192.0.2.1"), absent.getMessage());
    assertFalse(absent.hint().contains("another program"), absent.hint());
    dev.orchestrator.common.InputException taken =
        org.junit.jupiter.api.Assertions.assertThrows(
            dev.orchestrator.common.InputException.class,
            () -> startOn("127.0.0.1", f.console.port()));
    assertTrue(taken.getMessage().contains("already in use"), taken.getMessage());
    assertTrue(taken.hint().contains("another program"), taken.hint());
  }

  private void startOn(String host, int port) {
    WebConsole.start(
            new dev.orchestrator.app.Orchestrator(f.home),
            new WebConsole.Settings(
                dev.orchestrator.app.StateLocation.folder(f.state),
                f.users,
                host,
                port,
                dev.orchestrator.app.TestHints.PLAIN,
                new dev.orchestrator.app.Console(
                    new java.io.PrintWriter(new java.io.StringWriter()),
                    new java.io.PrintWriter(new java.io.StringWriter()))))
        .close();
  }

  private JsonNode waitForStatus(ConsoleClient.Caller who, String status) throws Exception {
    return client().awaitStatus(who, f.runId, status, 60, f.serverLog::toString);
  }
}
