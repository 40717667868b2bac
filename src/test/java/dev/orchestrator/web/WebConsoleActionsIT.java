package dev.orchestrator.web;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operator's actions from the console on a real run: resume with a decision about a failed step,
 * reject with a comment, abort; each goes through the service as the CLI's commands do and is
 * recorded with who and from where.
 */
class WebConsoleActionsIT {
  @TempDir Path dir;
  ConsoleFixture f;

  @AfterEach
  void stop() {
    if (f != null) {
      f.close();
    }
  }

  String events() throws Exception {
    return Files.readString(f.state.resolve("runs").resolve(f.runId).resolve("events.jsonl"));
  }

  @Test
  void anOperatorSkipsAFailedStepAndTheRunGoesOnToTheApproval() throws Exception {
    // given QA's host failed step 'done', so the run paused before production
    f = new ConsoleFixture(dir, List.of("q1"));
    ConsoleClient console = new ConsoleClient(f.console.url());
    ConsoleClient.Caller oscar = console.login("oscar", ConsoleFixture.PASSWORD, "/");
    JsonNode before = console.run(oscar, f.runId);
    assertEquals(
        "failed", before.get("hosts").get(0).get("steps").get("done").get("status").asText());
    assertTrue(before.get("may").get("resume").asBoolean());
    // an approver may not resume
    ConsoleClient.Caller alice = console.login("alice", ConsoleFixture.PASSWORD, "/");
    assertEquals(
        403, console.post(alice, "/api/v1/runs/" + f.runId + "/resume", "{}", true).statusCode());
    // when the operator resumes, skipping 'done' on q1
    var r =
        console.post(
            oscar,
            "/api/v1/runs/" + f.runId + "/resume",
            "{\"decision\":\"skip\",\"step\":\"done\",\"host\":\"q1\"}",
            true);
    assertEquals(202, r.statusCode(), r.body());
    // then the run goes on and stops at production's approval gate
    JsonNode after = awaitReason(console, oscar, "waiting for approval", f.serverLog::toString);
    assertEquals(
        "skipped", after.get("hosts").get(0).get("steps").get("done").get("status").asText());
    assertEquals(1, after.get("waiting_approvals").size());
    assertTrue(
        events()
            .contains(
                "\"action\":\"resume\",\"by\":\"oscar (web console, from 127.0.0.1)\","
                    + "\"detail\":\"--skip-step done on q1\""),
        events());
    // and a bad decision is a 400 saying what is allowed
    var bad =
        console.post(oscar, "/api/v1/runs/" + f.runId + "/resume", "{\"decision\":\"pray\"}", true);
    assertEquals(400, bad.statusCode());
    assertTrue(bad.body().contains("skip, assume_done or rerun"), bad.body());
  }

  @Test
  void aRejectionEndsTheRunAndAnAbortIsRecorded() throws Exception {
    f = new ConsoleFixture(dir);
    ConsoleClient console = new ConsoleClient(f.console.url());
    ConsoleClient.Caller alice = console.login("alice", ConsoleFixture.PASSWORD, "/");
    var r =
        console.post(
            alice,
            "/api/v1/runs/" + f.runId + "/reject",
            "{\"comment\":\"QA shows a regression\"}",
            true);
    assertEquals(202, r.statusCode(), r.body());
    JsonNode run = console.run(alice, f.runId);
    assertEquals("aborted", run.get("status").asText());
    assertTrue(
        run.get("reason")
            .asText()
            .contains("rejected by alice (web console, from 127.0.0.1): QA shows a regression"),
        run.get("reason").asText());
    // an aborted run cannot be resumed: a clear 409, at once
    ConsoleClient.Caller oscar = console.login("oscar", ConsoleFixture.PASSWORD, "/");
    var resume = console.post(oscar, "/api/v1/runs/" + f.runId + "/resume", "{}", true);
    assertEquals(409, resume.statusCode(), resume.body());
    assertTrue(resume.body().contains("aborted"), resume.body());
  }

  @Test
  void anOperatorAbortsAPausedRun() throws Exception {
    f = new ConsoleFixture(dir);
    ConsoleClient console = new ConsoleClient(f.console.url());
    ConsoleClient.Caller vera = console.login("vera", ConsoleFixture.PASSWORD, "/");
    assertEquals(
        403, console.post(vera, "/api/v1/runs/" + f.runId + "/abort", "{}", true).statusCode());
    ConsoleClient.Caller oscar = console.login("oscar", ConsoleFixture.PASSWORD, "/");
    var r = console.post(oscar, "/api/v1/runs/" + f.runId + "/abort", "{}", true);
    assertEquals(200, r.statusCode(), r.body());
    JsonNode run = console.run(oscar, f.runId);
    assertEquals("aborted", run.get("status").asText());
    assertTrue(
        run.get("reason").asText().contains("aborted by oscar (web console"), run.toString());
    assertTrue(events().contains("\"action\":\"abort\",\"by\":\"oscar (web console"), events());
  }

  @Test
  void behindATrustedProxyTheClientAddressIsRecordedAndOtherwiseTheHeaderIsIgnored()
      throws Exception {
    f = new ConsoleFixture(dir);
    // given the fixture's console (no trusted proxy): a forged header is ignored
    ConsoleClient direct = new ConsoleClient(f.console.url());
    ConsoleClient.Caller alice = ConsoleClient.Caller.token(f.token);
    var forged =
        direct.send(
            alice.sign(
                java.net.http.HttpRequest.newBuilder(
                        direct.uri("/api/v1/runs/" + f.runId + "/approve"))
                    .header("X-Forwarded-For", "203.0.113.66")
                    .header("Content-Type", "application/json")
                    .POST(
                        java.net.http.HttpRequest.BodyPublishers.ofString("{\"no_resume\":true}")),
                false));
    assertEquals(202, forged.statusCode(), forged.body());
    assertTrue(
        events().contains("\"by\":\"alice (web console, from 127.0.0.1)\""),
        "a header from an untrusted peer is not believed: " + events());
    // when a second console trusts the proxy on 127.0.0.1
    try (WebConsole proxied =
        WebConsole.start(
            new dev.orchestrator.app.Orchestrator(f.home),
            new WebConsole.Settings(
                dev.orchestrator.app.StateLocation.folder(f.state),
                f.users,
                "127.0.0.1",
                0,
                dev.orchestrator.app.TestHints.PLAIN,
                new dev.orchestrator.app.Console(
                    new java.io.PrintWriter(new java.io.StringWriter()),
                    new java.io.PrintWriter(new java.io.StringWriter())),
                List.of("127.0.0.1")))) {
      ConsoleClient behind = new ConsoleClient(proxied.url());
      ConsoleClient.Caller oscar = behind.login("oscar", ConsoleFixture.PASSWORD, "/");
      var abort =
          behind.send(
              oscar.sign(
                  java.net.http.HttpRequest.newBuilder(
                          behind.uri("/api/v1/runs/" + f.runId + "/abort"))
                      .header("X-Forwarded-For", "198.51.100.7, 127.0.0.1")
                      .header("Content-Type", "application/json")
                      .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")),
                  true));
      // then the record names the client behind the proxy
      assertEquals(200, abort.statusCode(), abort.body());
      assertTrue(events().contains("\"by\":\"oscar (web console, from 198.51.100.7)\""), events());
    }
  }

  private JsonNode awaitReason(
      ConsoleClient console,
      ConsoleClient.Caller who,
      String reason,
      java.util.function.Supplier<String> why)
      throws Exception {
    AtomicReference<JsonNode> last = new AtomicReference<>();
    try {
      return await("the run to be paused with reason " + reason)
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                JsonNode run = console.run(who, f.runId);
                last.set(run);
                return run;
              },
              run ->
                  run.get("status").asText().equals("paused")
                      && run.get("reason").asText().contains(reason)
                      && !run.get("action_running").asBoolean());
    } catch (ConditionTimeoutException timedOut) {
      JsonNode run = last.get();
      assertTrue(
          run != null && run.get("reason").asText().contains(reason), run + "\n" + why.get());
      return run;
    }
  }
}
